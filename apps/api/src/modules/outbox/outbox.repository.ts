import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';

export type OutboxInsert = typeof outbox.$inferInsert;

export const insertMessage = (db: DbOrTx, row: OutboxInsert) => db.insert(outbox).values(row);

const cols = {
  id: outbox.id,
  toAddress: outbox.toAddress,
  subject: outbox.subject,
  template: outbox.template,
  locale: outbox.locale,
  status: outbox.status,
  attempts: outbox.attempts,
  lastError: outbox.lastError,
  createdAt: sql<string>`to_char(${outbox.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  sentAt: sql<string | null>`to_char(${outbox.sentAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

export function listMessages(
  db: DbOrTx,
  f: { to?: string | undefined; status?: string | undefined; after?: [string, string] | undefined },
  limit: number,
) {
  const conds: (SQL | undefined)[] = [];
  if (f.to) conds.push(sql`${outbox.toAddress} ilike ${`%${f.to.replace(/[%_\\]/g, '\\$&')}%`}`);
  if (f.status) conds.push(sql`${outbox.status} = ${f.status}`);
  if (f.after)
    conds.push(
      or(
        lt(outbox.createdAt, sql`${f.after[0]}::timestamptz`),
        and(eq(outbox.createdAt, sql`${f.after[0]}::timestamptz`), lt(outbox.id, f.after[1])),
      ),
    );
  return db
    .select(cols)
    .from(outbox)
    .where(and(...conds))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit + 1);
}

export async function countMessages(
  db: DbOrTx,
  f: { to?: string | undefined; status?: string | undefined },
  cap: number,
) {
  const conds: SQL[] = [];
  if (f.to) conds.push(sql`to_address ilike ${`%${f.to.replace(/[%_\\]/g, '\\$&')}%`}`);
  if (f.status) conds.push(sql`status = ${f.status}`);
  const w = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from outbox ${w} limit ${cap + 1}) s`,
  );
  return r.rows[0]?.n ?? 0;
}

export async function getMessage(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ ...cols, bodyText: outbox.bodyText, bodyHtml: outbox.bodyHtml })
    .from(outbox)
    .where(eq(outbox.id, id));
  return row;
}

/** Claims due messages; SKIP LOCKED lets any number of app processes work the outbox. */
export async function claimDue(db: DbOrTx, batch: number, leaseSeconds: number) {
  const r = await db.execute<{
    id: string;
    to_address: string;
    subject: string;
    body_text: string;
    body_html: string;
    attempts: number;
    locale: 'zh-TW' | 'en';
    template: string;
    params: unknown;
    secret_enc: string | null;
    secret_key_id: string | null;
  }>(sql`
    update outbox set status = 'sending', attempts = attempts + 1,
      locked_until = now() + make_interval(secs => ${leaseSeconds})
    where id in (
      select id from outbox
      where (status in ('pending', 'failed') and next_attempt_at <= now())
         or (status = 'sending' and locked_until < now())
      order by next_attempt_at
      limit ${batch}
      for update skip locked
    )
    returning id, to_address, subject, body_text, body_html, attempts, locale, template, params,
      secret_enc, secret_key_id`);
  return r.rows;
}

/** Sent: the link has left with the message, so its secret is erased. Captured: kept for the recipient. */
export const markSent = (db: DbOrTx, id: string, status: 'sent' | 'captured') =>
  db
    .update(outbox)
    .set({
      status,
      sentAt: sql`now()`,
      lockedUntil: null,
      lastError: null,
      ...(status === 'sent' ? { secretEnc: null, secretKeyId: null } : {}),
    })
    .where(eq(outbox.id, id));

/** Erases captured links older than `days` (every token they carry has expired by then). */
export const eraseOldSecrets = (db: DbOrTx, days: number) =>
  db.execute(sql`
    update outbox set secret_enc = null, secret_key_id = null
    where secret_enc is not null and status = 'captured'
      and sent_at < now() - make_interval(days => ${days})`);

/** The newest messages addressed to one account (by account, never by address alone). */
export const recipientMessages = (db: DbOrTx, accountId: string, limit: number) =>
  db
    .select({
      ...cols,
      params: outbox.params,
      bodyText: outbox.bodyText,
      bodyHtml: outbox.bodyHtml,
      secretEnc: outbox.secretEnc,
      secretKeyId: outbox.secretKeyId,
    })
    .from(outbox)
    .where(eq(outbox.toAccountId, accountId))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit);

export const markFailed = (db: DbOrTx, id: string, error: string, retryInSeconds: number | null) =>
  db
    .update(outbox)
    .set({
      status: retryInSeconds === null ? 'dead' : 'failed',
      lastError: error.slice(0, 1000),
      lockedUntil: null,
      nextAttemptAt: sql`now() + make_interval(secs => ${retryInSeconds ?? 0})`,
    })
    .where(eq(outbox.id, id));
