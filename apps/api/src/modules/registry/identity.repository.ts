import { and, desc, eq, gt, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  accounts,
  enterprisePeople,
  enterprises,
  personClaimInvitations,
  personClaims,
  persons,
} from '../../db/schema/index.ts';
import type { RegistryScope } from './registry.policy.ts';
import { personScopeSql } from './registry.repository.ts';

const iso = (col: unknown) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const active = sql`${persons.mergedIntoId} is null and ${persons.anonymisedAt} is null`;

export async function accountBasics(db: DbOrTx, accountId: string) {
  const [row] = await db
    .select({
      id: accounts.id,
      email: accounts.email,
      displayName: accounts.displayName,
      locale: accounts.locale,
      emailVerified: sql<boolean>`${accounts.emailVerifiedAt} is not null`,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row;
}

/** The live person linked to an account (a merged-away row never keeps the link). */
export async function personIdForAccount(db: DbOrTx, accountId: string, forUpdate = false) {
  const q = db
    .select({ id: persons.id, anonymised: sql<boolean>`${persons.anonymisedAt} is not null` })
    .from(persons)
    .where(and(eq(persons.accountId, accountId), isNull(persons.mergedIntoId)));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

/** Inserts the account's person unless one exists (two first visits at once make one). */
export async function insertPersonForAccount(db: DbOrTx, row: typeof persons.$inferInsert) {
  const r = await db
    .insert(persons)
    .values(row)
    .onConflictDoNothing({ target: persons.accountId })
    .returning({ id: persons.id });
  return r[0]?.id ?? null;
}

/** An unlinked, live person record with this e-mail, other than `exceptId`. */
export async function unlinkedPersonByEmail(db: DbOrTx, email: string, exceptId: string | null) {
  const [row] = await db
    .select({ id: persons.id })
    .from(persons)
    .where(
      and(
        eq(persons.email, email.toLowerCase()),
        isNull(persons.accountId),
        active,
        exceptId ? sql`${persons.id} <> ${exceptId}` : undefined,
      ),
    )
    .orderBy(persons.createdAt)
    .limit(1);
  return row?.id ?? null;
}

export async function unlinkedPersonByNationalIdHash(db: DbOrTx, hash: string) {
  const [row] = await db
    .select({ id: persons.id, accountId: persons.accountId })
    .from(persons)
    .where(and(eq(persons.nationalIdHash, hash), active));
  return row && !row.accountId ? row.id : null;
}

/** Everything a merge or anonymisation reads and writes of a person, locked. */
export async function personForChange(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: persons.id,
      accountId: persons.accountId,
      name: persons.name,
      email: persons.email,
      phone: persons.phone,
      birthDate: persons.birthDate,
      gender: persons.gender,
      nationality: persons.nationality,
      countyCode: persons.countyCode,
      education: persons.education,
      employmentStatus: persons.employmentStatus,
      employerEnterpriseId: persons.employerEnterpriseId,
      preferredLocale: persons.preferredLocale,
      nationalIdEnc: persons.nationalIdEnc,
      nationalIdKeyId: persons.nationalIdKeyId,
      nationalIdHash: persons.nationalIdHash,
      nationalIdKind: persons.nationalIdKind,
      nationalIdMasked: persons.nationalIdMasked,
      sourceAgencyId: persons.sourceAgencyId,
      mergedIntoId: persons.mergedIntoId,
      anonymisedAt: persons.anonymisedAt,
    })
    .from(persons)
    .where(eq(persons.id, id))
    .for('update');
  return row;
}
export type PersonForChange = NonNullable<Awaited<ReturnType<typeof personForChange>>>;

export const setPerson = (db: DbOrTx, id: string, set: Partial<typeof persons.$inferInsert>) =>
  db
    .update(persons)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(persons.id, id));

// ───────────── references to persons, found at run time ─────────────

/**
 * Every single-column foreign key that references persons(id), read from pg_constraint, so a
 * module's table added later is moved by a merge without anyone listing it here.
 */
export async function personReferences(db: DbOrTx) {
  const r = await db.execute<{ schema: string; table: string; column: string }>(sql`
    select n.nspname as schema, cl.relname as table, a.attname as column
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_namespace n on n.oid = cl.relnamespace
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.confrelid = to_regclass('persons') and array_length(c.conkey, 1) = 1
    order by 1, 2, 3`);
  return r.rows;
}

export async function moveReferences(
  db: DbOrTx,
  ref: { schema: string; table: string; column: string },
  from: string,
  to: string,
) {
  const col = sql.identifier(ref.column);
  const r = await db.execute(
    sql`update ${sql.identifier(ref.schema)}.${sql.identifier(ref.table)} set ${col} = ${to}::uuid where ${col} = ${from}::uuid`,
  );
  return r.rowCount ?? 0;
}

/** Earlier merges into the merged person now point at the survivor. */
export const repointMerged = (db: DbOrTx, from: string, to: string) =>
  db.update(persons).set({ mergedIntoId: to }).where(eq(persons.mergedIntoId, from));

// ───────────── duplicates ─────────────

/**
 * Likely duplicate pairs among live records: a national ID held apart (decision 016), same e-mail, same name and birth date, or a
 * trigram-similar name with the same birth date. Each branch stops at `limit` rows.
 */
export async function duplicatePairs(db: DbOrTx, limit: number, minSimilarity: number) {
  const live = (p: string) => sql.raw(`${p}.merged_into_id is null and ${p}.anonymised_at is null`);
  const r = await db.execute<{ a: string; b: string; reason: string; similarity: number }>(sql`
    select distinct on (a, b) a, b, reason, similarity from (
      (select least(p1.id, p2.id) as a, greatest(p1.id, p2.id) as b, 'same_national_id' as reason,
          1::real as similarity, 0 as rank
        from persons p1 join persons p2 on p2.national_id_held_hash = p1.national_id_hash and p1.id <> p2.id
        where p1.national_id_hash is not null and ${live('p1')} and ${live('p2')} limit ${limit})
      union all
      (select p1.id, p2.id, 'same_email', 1::real, 1
        from persons p1 join persons p2 on p2.email = p1.email and p1.id < p2.id
        where p1.email is not null and ${live('p1')} and ${live('p2')} limit ${limit})
      union all
      (select p1.id, p2.id, 'same_name_birth_date', 1::real, 2
        from persons p1 join persons p2 on p2.birth_date = p1.birth_date and p2.name = p1.name and p1.id < p2.id
        where ${live('p1')} and ${live('p2')} limit ${limit})
      union all
      (select p1.id, p2.id, 'similar_name_birth_date', similarity(p1.name, p2.name), 3
        from persons p1 join persons p2 on p2.birth_date = p1.birth_date and p1.id < p2.id and p2.name <> p1.name
        where ${live('p1')} and ${live('p2')} and similarity(p1.name, p2.name) >= ${minSimilarity} limit ${limit})
    ) x order by a, b, rank`);
  return r.rows.slice(0, limit);
}

// ───────────── claims ─────────────

export const insertClaim = (db: DbOrTx, row: typeof personClaims.$inferInsert) =>
  db.insert(personClaims).values(row);

export function listMyClaims(db: DbOrTx, accountId: string) {
  return db
    .select({
      id: personClaims.id,
      basis: personClaims.basis,
      status: personClaims.status,
      createdAt: iso(personClaims.createdAt),
      decidedAt: sql<
        string | null
      >`case when ${personClaims.decidedAt} is null then null else ${iso(personClaims.decidedAt)} end`,
    })
    .from(personClaims)
    .where(eq(personClaims.accountId, accountId))
    .orderBy(desc(personClaims.createdAt));
}

/** Claims staff may decide: the programme office all; an agency those on records it brought in. */
function claimScopeSql(scope: RegistryScope): SQL {
  if (scope.kind === 'all') return sql`true`;
  return sql`exists (select 1 from ${persons} where ${persons.id} = ${personClaims.personId} and ${personScopeSql(scope)})`;
}

export function listClaims(
  db: DbOrTx,
  scope: RegistryScope,
  f: { status?: string | undefined; after?: [string, string] | undefined },
  limit: number,
) {
  return db
    .select({
      id: personClaims.id,
      accountId: personClaims.accountId,
      claimantPersonId: personClaims.claimantPersonId,
      personId: personClaims.personId,
      basis: personClaims.basis,
      nationalIdMasked: personClaims.nationalIdMasked,
      status: personClaims.status,
      decisionNote: personClaims.decisionNote,
      accountEmail: accounts.email,
      accountDisplayName: accounts.displayName,
      createdAt: iso(personClaims.createdAt),
      decidedAt: sql<
        string | null
      >`case when ${personClaims.decidedAt} is null then null else ${iso(personClaims.decidedAt)} end`,
    })
    .from(personClaims)
    .innerJoin(accounts, eq(accounts.id, personClaims.accountId))
    .where(
      and(
        claimScopeSql(scope),
        f.status ? sql`${personClaims.status} = ${f.status}` : undefined,
        f.after
          ? or(
              lt(personClaims.createdAt, sql`${f.after[0]}::timestamptz`),
              and(
                eq(personClaims.createdAt, sql`${f.after[0]}::timestamptz`),
                lt(personClaims.id, f.after[1]),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(personClaims.createdAt), desc(personClaims.id))
    .limit(limit + 1);
}

export async function countClaims(db: DbOrTx, scope: RegistryScope, status: string | undefined, cap: number) {
  const where = and(claimScopeSql(scope), status ? sql`${personClaims.status} = ${status}` : undefined);
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${personClaims} where ${where} limit ${cap + 1}) s`,
  );
  return r.rows[0]?.n ?? 0;
}

export async function getClaimForUpdate(db: DbOrTx, scope: RegistryScope, id: string) {
  const [row] = await db
    .select({
      id: personClaims.id,
      accountId: personClaims.accountId,
      personId: personClaims.personId,
      basis: personClaims.basis,
      status: personClaims.status,
    })
    .from(personClaims)
    .where(and(eq(personClaims.id, id), claimScopeSql(scope)))
    .for('update', { of: personClaims });
  return row;
}

export const updateClaim = (db: DbOrTx, id: string, set: Partial<typeof personClaims.$inferInsert>) =>
  db.update(personClaims).set(set).where(eq(personClaims.id, id));

// ───────────── invitations ─────────────

export const insertInvitation = (db: DbOrTx, row: typeof personClaimInvitations.$inferInsert) =>
  db.insert(personClaimInvitations).values(row);

/** Consumes a single-use invitation atomically: a second use, or an expired link, finds nothing. */
export async function consumeInvitation(db: DbOrTx, tokenHash: string, accountId: string, now: Date) {
  const [row] = await db
    .update(personClaimInvitations)
    .set({ usedAt: now, usedByAccountId: accountId })
    .where(
      and(
        eq(personClaimInvitations.tokenHash, tokenHash),
        isNull(personClaimInvitations.usedAt),
        gt(personClaimInvitations.expiresAt, now),
      ),
    )
    .returning({
      id: personClaimInvitations.id,
      personId: personClaimInvitations.personId,
      email: personClaimInvitations.email,
    });
  return row;
}

// ───────────── the registry's personal-data provider ─────────────

export async function personExport(db: DbOrTx, personId: string) {
  const [row] = await db
    .select({
      id: persons.id,
      name: persons.name,
      email: persons.email,
      phone: persons.phone,
      birthDate: persons.birthDate,
      gender: persons.gender,
      nationality: persons.nationality,
      countyCode: persons.countyCode,
      education: persons.education,
      employmentStatus: persons.employmentStatus,
      employerEnterpriseId: persons.employerEnterpriseId,
      employerName: enterprises.name,
      preferredLocale: persons.preferredLocale,
      nationalIdMasked: persons.nationalIdMasked,
      nationalIdKind: persons.nationalIdKind,
      createdAt: iso(persons.createdAt),
      updatedAt: iso(persons.updatedAt),
    })
    .from(persons)
    .leftJoin(enterprises, eq(enterprises.id, persons.employerEnterpriseId))
    .where(eq(persons.id, personId));
  return row ?? null;
}

export const enterpriseLinksExport = (db: DbOrTx, personId: string) =>
  db
    .select({
      enterpriseId: enterprisePeople.enterpriseId,
      enterpriseName: enterprises.name,
      relation: enterprisePeople.relation,
      title: enterprisePeople.title,
      validFrom: enterprisePeople.validFrom,
      validTo: enterprisePeople.validTo,
    })
    .from(enterprisePeople)
    .innerJoin(enterprises, eq(enterprises.id, enterprisePeople.enterpriseId))
    .where(eq(enterprisePeople.personId, personId))
    .orderBy(enterprisePeople.validFrom);

export const claimsExport = (db: DbOrTx, accountId: string) => listMyClaims(db, accountId);

export const scrubInvitations = (db: DbOrTx, personId: string) =>
  db.update(personClaimInvitations).set({ email: null }).where(eq(personClaimInvitations.personId, personId));
