import type { AuditQuery, Page, AuditEntry } from '@dtp/contracts';
import type { DbOrTx } from '../../db/client.ts';
import type { Deps, RequestContext } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { maskForAudit } from '../../lib/mask.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { countAudit, insertAudit, insertAuditRows, listAudit } from './audit.repository.ts';

export type AuditInput = {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Writes one audit row in the caller's transaction; personal fields are masked, secrets dropped. */
export async function recordAudit(tx: DbOrTx, ctx: RequestContext, entry: AuditInput): Promise<void> {
  await insertAudit(tx, {
    id: newId(),
    actorAccountId: ctx.actorAccountId,
    grantId: ctx.grantId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    before: entry.before === undefined ? null : maskForAudit(entry.before),
    after: entry.after === undefined ? null : maskForAudit(entry.after),
    ip: ctx.ip,
    requestId: ctx.requestId,
  });
}

/** Many audit rows in one statement (bulk work such as an import), masked like `recordAudit`. */
export async function recordAuditMany(tx: DbOrTx, ctx: RequestContext, entries: AuditInput[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1000) {
    await insertAuditRows(
      tx,
      entries.slice(i, i + 1000).map((entry) => ({
        id: newId(),
        actorAccountId: ctx.actorAccountId,
        grantId: ctx.grantId,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId ?? null,
        before: entry.before === undefined ? null : maskForAudit(entry.before),
        after: entry.after === undefined ? null : maskForAudit(entry.after),
        ip: ctx.ip,
        requestId: ctx.requestId,
      })),
    );
  }
}

export function createAuditService(deps: Deps) {
  const { db } = deps.database;
  return {
    async listAuditEntries(q: AuditQuery): Promise<Page<AuditEntry>> {
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const filter = { ...q, after };
      const [rows, total] = await Promise.all([
        listAudit(db, filter, q.limit),
        countAudit(db, filter, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.at, last.id]) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },
  };
}
