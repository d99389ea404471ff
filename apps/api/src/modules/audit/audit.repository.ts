import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accounts, auditLog } from '../../db/schema/index.ts';

export type AuditRow = typeof auditLog.$inferInsert;

export function insertAudit(db: DbOrTx, row: AuditRow) {
  return db.insert(auditLog).values(row);
}

export function insertAuditRows(db: DbOrTx, rows: AuditRow[]) {
  return db.insert(auditLog).values(rows);
}

export type AuditFilter = {
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  actorAccountId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  after?: [string, string] | undefined;
};

function where(f: AuditFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.action) conds.push(sql`${auditLog.action} like ${`${f.action.replace(/[%_\\]/g, '\\$&')}%`}`);
  if (f.targetType) conds.push(eq(auditLog.targetType, f.targetType));
  if (f.targetId) conds.push(eq(auditLog.targetId, f.targetId));
  if (f.actorAccountId) conds.push(eq(auditLog.actorAccountId, f.actorAccountId));
  // Calendar days are Asia/Taipei days.
  if (f.from) conds.push(gte(auditLog.at, sql`(${f.from}::date)::timestamp at time zone 'Asia/Taipei'`));
  if (f.to) conds.push(lt(auditLog.at, sql`(${f.to}::date + 1)::timestamp at time zone 'Asia/Taipei'`));
  return conds.length ? and(...conds) : undefined;
}

export async function listAudit(db: DbOrTx, f: AuditFilter, limit: number) {
  const base = where(f);
  const keyset = f.after
    ? or(
        lt(auditLog.at, sql`${f.after[0]}::timestamptz`),
        and(eq(auditLog.at, sql`${f.after[0]}::timestamptz`), lt(auditLog.id, f.after[1])),
      )
    : undefined;
  return db
    .select({
      id: auditLog.id,
      at: sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      actorAccountId: auditLog.actorAccountId,
      actorEmail: accounts.email,
      grantId: auditLog.grantId,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      before: auditLog.before,
      after: auditLog.after,
      ip: auditLog.ip,
      requestId: auditLog.requestId,
    })
    .from(auditLog)
    .leftJoin(accounts, eq(accounts.id, auditLog.actorAccountId))
    .where(and(base, keyset))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
}

export async function countAudit(db: DbOrTx, f: AuditFilter, cap: number): Promise<number> {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${auditLog} ${f && where(f) ? sql`where ${where(f)}` : sql``} limit ${cap + 1}) s`,
  );
  return r.rows[0]?.n ?? 0;
}
