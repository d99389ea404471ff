import { and, asc, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database, DbOrTx } from '../../db/client.ts';
import { countOf } from '../../db/counts.ts';
import { alias } from 'drizzle-orm/pg-core';
import { accounts, agencies, grantRequests, grants } from '../../db/schema/index.ts';

const iso = (col: unknown) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const summaryCols = {
  id: accounts.id,
  email: accounts.email,
  displayName: accounts.displayName,
  status: accounts.status,
  emailVerified: sql<boolean>`${accounts.emailVerifiedAt} is not null`,
  mfaEnabled: sql<boolean>`${accounts.mfaEnabledAt} is not null`,
  roles: sql<
    string[]
  >`coalesce((select array_agg(distinct g.role order by g.role) from grants g where g.account_id = ${accounts}.id and g.revoked_at is null), '{}')`,
  createdAt: iso(accounts.createdAt),
  locale: accounts.locale,
};

export type AccountFilter = {
  q?: string | undefined;
  role?: string | undefined;
  status?: string | undefined;
};

function filterSql(f: AccountFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`;
    // Same expression as the trigram index, so a search uses it.
    conds.push(sql`lower(${accounts.email} || ' ' || ${accounts.displayName}) like ${like}`);
  }
  if (f.status) conds.push(sql`${accounts.status} = ${f.status}`);
  if (f.role) {
    conds.push(
      sql`exists (select 1 from grants g where g.account_id = ${accounts}.id and g.revoked_at is null and g.role = ${f.role})`,
    );
  }
  return conds.length ? and(...conds) : undefined;
}

export function listAccounts(
  db: DbOrTx,
  f: AccountFilter & { after?: [string, string] | undefined },
  limit: number,
) {
  // A row comparison, which the (created_at, id) index seeks to (as the registry's lists).
  const keyset = f.after
    ? sql`(${accounts.createdAt}, ${accounts.id}) < (${f.after[0]}::timestamptz, ${f.after[1]}::uuid)`
    : undefined;
  return db
    .select(summaryCols)
    .from(accounts)
    .where(and(filterSql(f), keyset))
    .orderBy(desc(accounts.createdAt), desc(accounts.id))
    .limit(limit + 1);
}

/** The list's total up to `cap + 1`, kept until accounts or grants change (decision 014). */
export function countAccounts(database: Database, f: AccountFilter, cap: number): Promise<number> {
  const w = filterSql(f);
  return countOf(
    database,
    [accounts, grants],
    sql`select count(*)::int as n from (select 1 from ${accounts} ${w ? sql`where ${w}` : sql``} limit ${cap + 1}) s`,
  );
}

export async function getAccountSummary(db: DbOrTx, id: string) {
  const [row] = await db.select(summaryCols).from(accounts).where(eq(accounts.id, id));
  return row;
}

export async function findByEmail(db: DbOrTx, email: string) {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  return row;
}

export const insertAccount = (db: DbOrTx, row: typeof accounts.$inferInsert) =>
  db.insert(accounts).values(row);
export const updateAccount = (db: DbOrTx, id: string, set: Partial<typeof accounts.$inferInsert>) =>
  db
    .update(accounts)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(accounts.id, id));

export const insertGrant = (db: DbOrTx, row: typeof grants.$inferInsert) => db.insert(grants).values(row);

export async function findGrant(db: DbOrTx, accountId: string, grantId: string) {
  const [row] = await db
    .select({
      id: grants.id,
      role: grants.role,
      scopeKind: grants.scopeKind,
      scopeId: grants.scopeId,
      function: grants.function,
    })
    .from(grants)
    .where(and(eq(grants.id, grantId), eq(grants.accountId, accountId), isNull(grants.revokedAt)));
  return row;
}

export async function sameGrantExists(
  db: DbOrTx,
  g: { accountId: string; role: string; scopeKind: string; scopeId: string | null; function: string | null },
) {
  const [row] = await db
    .select({ id: grants.id })
    .from(grants)
    .where(
      and(
        eq(grants.accountId, g.accountId),
        sql`${grants.role} = ${g.role}`,
        sql`${grants.scopeKind} = ${g.scopeKind}`,
        g.scopeId ? eq(grants.scopeId, g.scopeId) : isNull(grants.scopeId),
        g.function ? sql`${grants.function} = ${g.function}` : isNull(grants.function),
        isNull(grants.revokedAt),
      ),
    );
  return !!row;
}

export const revokeGrant = (db: DbOrTx, id: string) =>
  db
    .update(grants)
    .set({ revokedAt: sql`now()` })
    .where(eq(grants.id, id));

/**
 * Active admins other than the given grant. Every active admin grant, that one included, is locked
 * in id order, so two revocations queue instead of deadlocking, and the second sees the first's.
 */
export async function otherActiveAdmins(db: DbOrTx, exceptGrantId: string) {
  const rows = await db
    .select({ id: grants.id })
    .from(grants)
    .innerJoin(accounts, eq(accounts.id, grants.accountId))
    .where(and(eq(grants.role, 'admin'), isNull(grants.revokedAt), eq(accounts.status, 'active')))
    .orderBy(asc(grants.id))
    .for('update', { of: grants });
  return rows.filter((r) => r.id !== exceptGrantId).length;
}

export function listAgencies(db: DbOrTx) {
  return db
    .select({ id: agencies.id, code: agencies.code, name: agencies.name, createdAt: iso(agencies.createdAt) })
    .from(agencies)
    .where(isNull(agencies.archivedAt))
    .orderBy(asc(agencies.code));
}

export async function findAgency(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ id: agencies.id })
    .from(agencies)
    .where(and(eq(agencies.id, id), isNull(agencies.archivedAt)));
  return row;
}

export const insertAgency = (db: DbOrTx, row: typeof agencies.$inferInsert) =>
  db
    .insert(agencies)
    .values(row)
    .returning({
      id: agencies.id,
      code: agencies.code,
      name: agencies.name,
      createdAt: iso(agencies.createdAt),
    });

/** Active accounts holding an active grant of `role` on one scope (e.g. an enterprise's representatives). */
export const listScopeHolders = (db: DbOrTx, role: 'enterprise' | 'agency', scopeId: string) =>
  db
    .select({
      accountId: accounts.id,
      displayName: accounts.displayName,
      email: accounts.email,
      since: iso(sql`min(${grants.createdAt})`),
    })
    .from(grants)
    .innerJoin(accounts, eq(accounts.id, grants.accountId))
    .where(
      and(
        sql`${grants.role} = ${role}`,
        eq(grants.scopeId, scopeId),
        isNull(grants.revokedAt),
        sql`${accounts.status} = 'active'`,
      ),
    )
    .groupBy(accounts.id)
    .orderBy(asc(accounts.displayName), asc(accounts.id));

// Grant requests (decision 020): grants waiting for a second administrator.

export const insertGrantRequest = (db: DbOrTx, row: typeof grantRequests.$inferInsert) =>
  db.insert(grantRequests).values(row);

export async function samePendingRequestExists(
  db: DbOrTx,
  g: { accountId: string; role: string; scopeKind: string; scopeId: string | null; function: string | null },
) {
  const [row] = await db
    .select({ id: grantRequests.id })
    .from(grantRequests)
    .where(
      and(
        eq(grantRequests.accountId, g.accountId),
        sql`${grantRequests.role} = ${g.role}`,
        sql`${grantRequests.scopeKind} = ${g.scopeKind}`,
        g.scopeId ? eq(grantRequests.scopeId, g.scopeId) : isNull(grantRequests.scopeId),
        g.function ? sql`${grantRequests.function} = ${g.function}` : isNull(grantRequests.function),
        eq(grantRequests.status, 'pending'),
      ),
    );
  return !!row;
}

const grantee = alias(accounts, 'grantee');
const requester = alias(accounts, 'requester');
const requestCols = {
  id: grantRequests.id,
  accountId: grantRequests.accountId,
  accountEmail: grantee.email,
  accountName: grantee.displayName,
  role: grantRequests.role,
  scopeKind: grantRequests.scopeKind,
  scopeId: grantRequests.scopeId,
  scopeLabel: sql<
    string | null
  >`case when ${grantRequests.scopeKind} = 'agency' then ${agencies.name}->>'zh-TW' end`,
  function: grantRequests.function,
  status: grantRequests.status,
  requestedBy: grantRequests.requestedBy,
  requestedByEmail: requester.email,
  requestedAt: iso(grantRequests.requestedAt),
  decidedBy: grantRequests.decidedBy,
  decidedAt: sql<
    string | null
  >`to_char(${grantRequests.decidedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

function selectRequests(db: DbOrTx) {
  return db
    .select(requestCols)
    .from(grantRequests)
    .innerJoin(grantee, eq(grantee.id, grantRequests.accountId))
    .innerJoin(requester, eq(requester.id, grantRequests.requestedBy))
    .leftJoin(agencies, and(eq(grantRequests.scopeKind, 'agency'), eq(agencies.id, grantRequests.scopeId)));
}

export async function getGrantRequest(db: DbOrTx, id: string) {
  const [row] = await selectRequests(db).where(eq(grantRequests.id, id));
  return row;
}

/** Pending requests, oldest first (the order they wait in), at most `limit`. */
export const listPendingRequests = (db: DbOrTx, limit: number) =>
  selectRequests(db)
    .where(eq(grantRequests.status, 'pending'))
    .orderBy(asc(grantRequests.requestedAt), asc(grantRequests.id))
    .limit(limit);

/** Locks one request for its decision, so two administrators cannot both decide it. */
export async function lockGrantRequest(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: grantRequests.id,
      accountId: grantRequests.accountId,
      role: grantRequests.role,
      scopeKind: grantRequests.scopeKind,
      scopeId: grantRequests.scopeId,
      function: grantRequests.function,
      status: grantRequests.status,
      requestedBy: grantRequests.requestedBy,
    })
    .from(grantRequests)
    .where(eq(grantRequests.id, id))
    .for('update');
  return row;
}

export const decideGrantRequest = (
  db: DbOrTx,
  id: string,
  d: { status: 'approved' | 'rejected'; decidedBy: string; grantId?: string },
) =>
  db
    .update(grantRequests)
    .set({ status: d.status, decidedBy: d.decidedBy, decidedAt: sql`now()`, grantId: d.grantId ?? null })
    .where(eq(grantRequests.id, id));
