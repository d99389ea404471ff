import { and, asc, desc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accounts, consents, personalDataRequests, persons } from '../../db/schema/index.ts';

const iso = (col: unknown) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const isoOrNull = (col: unknown) =>
  sql<string | null>`case when ${col} is null then null else ${iso(col)} end`;

/** The consent in force per purpose: the newest row. */
export async function currentConsents(db: DbOrTx, personId: string) {
  const r = await db.execute<{
    purpose: string;
    granted: boolean;
    noticeVersion: number;
    source: 'sign_up' | 'self' | 'staff';
    recordedAt: string;
  }>(sql`
    select distinct on (purpose) purpose, granted, notice_version as "noticeVersion", source,
      ${iso(sql`recorded_at`)} as "recordedAt"
    from consents where person_id = ${personId}
    order by purpose, recorded_at desc, id desc`);
  return r.rows;
}

export const insertConsents = (db: DbOrTx, rows: (typeof consents.$inferInsert)[]) =>
  rows.length ? db.insert(consents).values(rows) : Promise.resolve();

export const consentHistory = (db: DbOrTx, personId: string) =>
  db
    .select({
      purpose: consents.purpose,
      granted: consents.granted,
      noticeVersion: consents.noticeVersion,
      source: consents.source,
      recordedAt: iso(consents.recordedAt),
    })
    .from(consents)
    .where(eq(consents.personId, personId))
    .orderBy(asc(consents.recordedAt), asc(consents.id));

const requestCols = {
  id: personalDataRequests.id,
  personId: personalDataRequests.personId,
  personName: sql<string>`coalesce(${persons.name}, ${accounts.displayName})`,
  requestedByAccountId: personalDataRequests.requestedByAccountId,
  type: personalDataRequests.type,
  details: personalDataRequests.details,
  status: personalDataRequests.status,
  receivedOn: personalDataRequests.receivedOn,
  dueOn: personalDataRequests.dueOn,
  extendedAt: personalDataRequests.extendedAt,
  extensionReason: personalDataRequests.extensionReason,
  decision: personalDataRequests.decision,
  legalReason: personalDataRequests.legalReason,
  decisionNote: personalDataRequests.decisionNote,
  decidedAt: isoOrNull(personalDataRequests.decidedAt),
  createdAt: iso(personalDataRequests.createdAt),
};
export type RequestRow = Awaited<ReturnType<typeof getRequest>> & object;

export const insertRequest = (db: DbOrTx, row: typeof personalDataRequests.$inferInsert) =>
  db.insert(personalDataRequests).values(row);

export async function getRequest(db: DbOrTx, id: string, forUpdate = false) {
  const q = db
    .select(requestCols)
    .from(personalDataRequests)
    .leftJoin(persons, eq(persons.id, personalDataRequests.personId))
    .leftJoin(accounts, eq(accounts.id, personalDataRequests.requestedByAccountId))
    .where(eq(personalDataRequests.id, id));
  const [row] = forUpdate ? await q.for('update', { of: personalDataRequests }) : await q;
  return row;
}

export const requestsOfPerson = (db: DbOrTx, personId: string) =>
  db
    .select(requestCols)
    .from(personalDataRequests)
    .leftJoin(persons, eq(persons.id, personalDataRequests.personId))
    .leftJoin(accounts, eq(accounts.id, personalDataRequests.requestedByAccountId))
    .where(eq(personalDataRequests.personId, personId))
    .orderBy(desc(personalDataRequests.createdAt));

/** Requests about an account without a person record (a staff account), newest first. */
export const requestsOfAccount = (db: DbOrTx, accountId: string) =>
  db
    .select(requestCols)
    .from(personalDataRequests)
    .leftJoin(persons, eq(persons.id, personalDataRequests.personId))
    .leftJoin(accounts, eq(accounts.id, personalDataRequests.requestedByAccountId))
    .where(
      and(isNull(personalDataRequests.personId), eq(personalDataRequests.requestedByAccountId, accountId)),
    )
    .orderBy(desc(personalDataRequests.createdAt));

export type RequestFilter = {
  status?: string | undefined;
  type?: string | undefined;
  /** With `today` (Asia/Taipei): only open requests past their due date, or only those not. */
  overdue?: boolean | undefined;
  today: string;
};

function filterSql(f: RequestFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.status) conds.push(sql`${personalDataRequests.status} = ${f.status}`);
  if (f.type) conds.push(sql`${personalDataRequests.type} = ${f.type}`);
  if (f.overdue === true)
    conds.push(
      sql`${personalDataRequests.status} = 'open' and ${personalDataRequests.dueOn} < ${f.today}::date`,
    );
  if (f.overdue === false)
    conds.push(
      sql`not (${personalDataRequests.status} = 'open' and ${personalDataRequests.dueOn} < ${f.today}::date)`,
    );
  return conds.length ? and(...conds) : undefined;
}

/** The queue, soonest deadline first (keyset on due date and id). */
export function listRequests(
  db: DbOrTx,
  f: RequestFilter & { after?: [string, string] | undefined },
  limit: number,
) {
  const keyset = f.after
    ? or(
        gt(personalDataRequests.dueOn, f.after[0]),
        and(eq(personalDataRequests.dueOn, f.after[0]), gt(personalDataRequests.id, f.after[1])),
      )
    : undefined;
  return db
    .select(requestCols)
    .from(personalDataRequests)
    .leftJoin(persons, eq(persons.id, personalDataRequests.personId))
    .leftJoin(accounts, eq(accounts.id, personalDataRequests.requestedByAccountId))
    .where(and(filterSql(f), keyset))
    .orderBy(asc(personalDataRequests.dueOn), asc(personalDataRequests.id))
    .limit(limit + 1);
}

export async function countRequests(db: DbOrTx, f: RequestFilter, cap: number) {
  const w = filterSql(f);
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${personalDataRequests} ${w ? sql`where ${w}` : sql``} limit ${cap + 1}) s`,
  );
  return r.rows[0]?.n ?? 0;
}

export const updateRequest = (
  db: DbOrTx,
  id: string,
  set: Partial<typeof personalDataRequests.$inferInsert>,
) => db.update(personalDataRequests).set(set).where(eq(personalDataRequests.id, id));

/** Where to tell an account without a person record (a staff account): its address and language. */
export async function accountContactOf(db: DbOrTx, accountId: string) {
  const r = await db.execute<{
    email: string;
    locale: 'zh-TW' | 'en';
    calendar: 'roc' | 'gregorian';
    name: string;
    accountId: string;
  }>(sql`
    select a.email, a.locale, a.calendar, a.display_name as name, a.id as "accountId"
    from accounts a where a.id = ${accountId}`);
  return r.rows[0];
}

/** Where to tell the person: the account's address, else the record's; in the record's language. */
export async function contactOf(db: DbOrTx, personId: string) {
  const r = await db.execute<{
    email: string | null;
    locale: 'zh-TW' | 'en';
    /** The account's calendar; without an account, 民國 for Chinese readers (decision 025). */
    calendar: 'roc' | 'gregorian';
    name: string;
    accountId: string | null;
  }>(sql`
    select coalesce(a.email, p.email) as email, p.preferred_locale as locale,
      coalesce(a.calendar, case when p.preferred_locale = 'en' then 'gregorian' else 'roc' end) as calendar,
      p.name, p.account_id as "accountId"
    from persons p left join accounts a on a.id = p.account_id where p.id = ${personId}`);
  return r.rows[0];
}
