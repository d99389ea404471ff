import { and, asc, desc, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, DbOrTx } from '../../db/client.ts';
import { countOf } from '../../db/counts.ts';
import {
  counties,
  enterprisePeople,
  enterpriseSmeStatuses,
  enterprises,
  industries,
  persons,
} from '../../db/schema/index.ts';
import type { RegistryScope } from './registry.policy.ts';

const iso = (col: unknown) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const escapeLike = (s: string) => s.replace(/[%_\\]/g, '\\$&');

/**
 * The grams `name_grams()` (migration 0005) indexes that a search for `q` needs: its two-character
 * grams, or its characters when it is one character long. Every name containing `q` has them all,
 * so the GIN index narrows the rows and the LIKE beside it decides; this serves Chinese names of
 * two characters, which are shorter than a trigram (decision 008).
 */
export function gramsOf(q: string): string[] {
  const chars = [...q.toLowerCase()];
  const bigrams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    if (!/\s/.test(g)) bigrams.add(g);
  }
  if (bigrams.size) return [...bigrams];
  return [...new Set(chars.filter((c) => !/\s/.test(c)))];
}

/** `column` contains `q` (case-insensitive), found through the grams index. */
export function nameContains(column: AnyColumn, q: string): SQL {
  const grams = gramsOf(q);
  const like = sql`lower(${column}) like ${`%${escapeLike(q.toLowerCase())}%`}`;
  if (grams.length === 0) return sql`true`;
  return sql`(name_grams(${column}) @> ${sql.param(grams)}::text[] and ${like})`;
}

/** Names sort in Taiwan's stroke order (姓氏筆畫); the id breaks ties, so keyset paging is exact. */
const stroke = (col: AnyColumn | SQL) => sql`(${col} collate zh_tw_stroke)`;
export type SortKey = 'createdAt' | 'name';

// ───────────── people ─────────────

/** Which persons a scope reaches; merged-away persons are never listed. */
export function personScopeSql(scope: RegistryScope): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'agencies':
      return sql`${persons.sourceAgencyId} in (${sql.join(
        scope.agencyIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`;
    case 'enterprises': {
      const ids = sql.join(
        scope.enterpriseIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      return sql`(${persons.employerEnterpriseId} in (${ids}) or exists (select 1 from enterprise_people ep
        where ep.person_id = ${persons}.id and ep.enterprise_id in (${ids}) and ep.valid_to is null))`;
    }
    case 'none':
      return sql`false`;
  }
}

const personSummaryCols = {
  id: persons.id,
  name: persons.name,
  email: persons.email,
  countyCode: persons.countyCode,
  gender: persons.gender,
  birthYear: sql<number | null>`extract(year from ${persons.birthDate})::int`,
  nationalIdMasked: persons.nationalIdMasked,
  employerName: enterprises.name,
  hasAccount: sql<boolean>`${persons.accountId} is not null`,
  createdAt: iso(persons.createdAt),
};

export type PersonFilter = {
  q?: string | undefined;
  countyCode?: string | undefined;
  gender?: string | undefined;
  employerEnterpriseId?: string | undefined;
  nationalIdHash?: string | undefined;
};

/**
 * What a search box query means: part of an e-mail address (has "@"), part of a phone number
 * (digits), or part of a name; a Latin word is tried as a name and as an e-mail address. Each
 * branch has its own index (grams for names, trigrams for e-mail and phone).
 */
function personSearchSql(q: string): SQL {
  const like = `%${escapeLike(q.toLowerCase())}%`;
  if (q.includes('@')) return sql`lower(${persons.email}) like ${like}`;
  if (/^[\d\s()+-]+$/.test(q) && /\d{3}/.test(q.replace(/\D/g, '')))
    return sql`${persons.phone} like ${`%${escapeLike(q)}%`}`;
  if (/^[\x20-\x7e]+$/.test(q))
    return sql`(${nameContains(persons.name, q)} or lower(${persons.email}) like ${like})`;
  return nameContains(persons.name, q);
}

function personFilterSql(scope: RegistryScope, f: PersonFilter): SQL {
  const conds: SQL[] = [sql`${persons.mergedIntoId} is null`, personScopeSql(scope)];
  // A number held apart (decision 016) is found by its holder as any other.
  if (f.nationalIdHash)
    conds.push(
      sql`(${persons.nationalIdHash} = ${f.nationalIdHash} or ${persons.nationalIdHeldHash} = ${f.nationalIdHash})`,
    );
  else if (f.q) conds.push(personSearchSql(f.q));
  if (f.countyCode) conds.push(eq(persons.countyCode, f.countyCode));
  if (f.gender) conds.push(sql`${persons.gender} = ${f.gender}`);
  if (f.employerEnterpriseId) conds.push(eq(persons.employerEnterpriseId, f.employerEnterpriseId));
  return and(...conds)!;
}

type After = (string | number | null)[] | undefined;

/** The keyset condition and order of a sorted list: (key, id) after the last row of the page before. */
function keysetParts(
  sort: SortKey,
  cols: { name: AnyColumn; createdAt: AnyColumn; id: AnyColumn },
  after: After,
): { keyset: SQL | undefined; order: SQL[] } {
  let keyset: SQL | undefined;
  if (after) {
    const [k, id] = after as [string, string];
    keyset =
      sort === 'name'
        ? sql`(${stroke(cols.name)}, ${cols.id}) > (${k}::text collate zh_tw_stroke, ${id}::uuid)`
        : // A row comparison, which a btree on (created_at, id) seeks to; the equivalent OR of two
          // conditions is not, and read every row before the page (1.5 s at 1 M people).
          sql`(${cols.createdAt}, ${cols.id}) < (${k}::timestamptz, ${id}::uuid)`;
  }
  const order =
    sort === 'name' ? [sql`${stroke(cols.name)} asc`, asc(cols.id)] : [desc(cols.createdAt), desc(cols.id)];
  return { keyset, order };
}

export type PersonListFilter = PersonFilter & { sort: SortKey; after?: After };

export function listPersons(db: DbOrTx, scope: RegistryScope, f: PersonListFilter, limit: number) {
  const { keyset, order } = keysetParts(f.sort, persons, f.after);
  return db
    .select(personSummaryCols)
    .from(persons)
    .leftJoin(enterprises, eq(enterprises.id, persons.employerEnterpriseId))
    .where(and(personFilterSql(scope, f), keyset))
    .orderBy(...order)
    .limit(limit + 1);
}

/** One batch of the export of the people list: the list's query, with the columns a sheet needs. */
export function exportPersons(db: DbOrTx, scope: RegistryScope, f: PersonListFilter, limit: number) {
  const { keyset, order } = keysetParts(f.sort, persons, f.after);
  return db
    .select({
      id: persons.id,
      name: persons.name,
      nationalIdMasked: persons.nationalIdMasked,
      nationalIdEnc: persons.nationalIdEnc,
      nationalIdKeyId: persons.nationalIdKeyId,
      gender: persons.gender,
      birthDate: persons.birthDate,
      countyNameZh: counties.nameZh,
      countyNameEn: counties.nameEn,
      email: persons.email,
      phone: persons.phone,
      education: persons.education,
      employmentStatus: persons.employmentStatus,
      employerUbn: enterprises.ubn,
      employerName: enterprises.name,
      hasAccount: sql<boolean>`${persons.accountId} is not null`,
      createdAt: iso(persons.createdAt),
    })
    .from(persons)
    .leftJoin(enterprises, eq(enterprises.id, persons.employerEnterpriseId))
    .leftJoin(counties, eq(counties.code, persons.countyCode))
    .where(and(personFilterSql(scope, f), keyset))
    .orderBy(...order)
    .limit(limit);
}

/** The list's total up to `cap + 1`, kept until the tables it reads change (decision 014). */
export function countPersons(database: Database, scope: RegistryScope, f: PersonFilter, cap: number) {
  return countOf(
    database,
    [persons, enterprisePeople],
    sql`select count(*)::int as n from (select 1 from ${persons} where ${personFilterSql(scope, f)} limit ${cap + 1}) s`,
  );
}

const personDetailCols = {
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
  employerName: enterprises.name,
  preferredLocale: persons.preferredLocale,
  nationalIdMasked: persons.nationalIdMasked,
  nationalIdKind: persons.nationalIdKind,
  nationalIdEnc: persons.nationalIdEnc,
  nationalIdKeyId: persons.nationalIdKeyId,
  hasAccount: sql<boolean>`${persons.accountId} is not null`,
  anonymised: sql<boolean>`${persons.anonymisedAt} is not null`,
  createdAt: iso(persons.createdAt),
  updatedAt: iso(persons.updatedAt),
};
export type PersonRow = Awaited<ReturnType<typeof getPerson>> & object;

export async function getPerson(db: DbOrTx, scope: RegistryScope, id: string, forUpdate = false) {
  const q = db
    .select(personDetailCols)
    .from(persons)
    .leftJoin(enterprises, eq(enterprises.id, persons.employerEnterpriseId))
    .where(and(eq(persons.id, id), personFilterSql(scope, {})));
  const [row] = forUpdate ? await q.for('update', { of: persons }) : await q;
  return row;
}

export async function findPersonByNationalIdHash(db: DbOrTx, hash: string) {
  const [row] = await db
    .select({ id: persons.id })
    .from(persons)
    .where(and(eq(persons.nationalIdHash, hash), sql`${persons.mergedIntoId} is null`));
  return row;
}

/** Live records the caller may see that carry a national ID, by its keyed hash (also as a held number). */
export async function visiblePersonsByNationalIdHash(db: DbOrTx, scope: RegistryScope, hash: string) {
  return db
    .select({ id: persons.id })
    .from(persons)
    .where(
      and(
        sql`(${persons.nationalIdHash} = ${hash} or ${persons.nationalIdHeldHash} = ${hash})`,
        sql`${persons.mergedIntoId} is null`,
        personScopeSql(scope),
      ),
    )
    .limit(2);
}

export const insertPerson = (db: DbOrTx, row: typeof persons.$inferInsert) => db.insert(persons).values(row);
export const updatePerson = (db: DbOrTx, id: string, set: Partial<typeof persons.$inferInsert>) =>
  db
    .update(persons)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(persons.id, id));

// ───────────── enterprises ─────────────

export function enterpriseScopeSql(scope: RegistryScope): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'agencies':
      return sql`${enterprises.sourceAgencyId} in (${sql.join(
        scope.agencyIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`;
    case 'enterprises':
      return sql`${enterprises.id} in (${sql.join(
        scope.enterpriseIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`;
    case 'none':
      return sql`false`;
  }
}

export type EnterpriseFilter = {
  q?: string | undefined;
  countyCode?: string | undefined;
  industrySection?: string | undefined;
  smeStatus?: string | undefined;
};

function enterpriseFilterSql(scope: RegistryScope, f: EnterpriseFilter): SQL {
  const conds: SQL[] = [sql`${enterprises.archivedAt} is null`, enterpriseScopeSql(scope)];
  if (f.q) {
    if (/^\d{8}$/.test(f.q)) conds.push(eq(enterprises.ubn, f.q));
    else conds.push(nameContains(enterprises.name, f.q));
  }
  if (f.countyCode) conds.push(eq(enterprises.countyCode, f.countyCode));
  if (f.smeStatus) conds.push(sql`${enterprises.smeStatus} = ${f.smeStatus}`);
  if (f.industrySection) {
    conds.push(
      sql`exists (select 1 from industries i where i.code = ${enterprises}.industry_code and i.section = ${f.industrySection})`,
    );
  }
  return and(...conds)!;
}

const enterpriseSummaryCols = {
  id: enterprises.id,
  ubn: enterprises.ubn,
  name: enterprises.name,
  industryCode: enterprises.industryCode,
  industrySection: industries.section,
  countyCode: enterprises.countyCode,
  smeStatus: enterprises.smeStatus,
  createdAt: iso(enterprises.createdAt),
};

export type EnterpriseListFilter = EnterpriseFilter & { sort: SortKey; after?: After };

export function listEnterprises(db: DbOrTx, scope: RegistryScope, f: EnterpriseListFilter, limit: number) {
  const { keyset, order } = keysetParts(f.sort, enterprises, f.after);
  return db
    .select(enterpriseSummaryCols)
    .from(enterprises)
    .leftJoin(industries, eq(industries.code, enterprises.industryCode))
    .where(and(enterpriseFilterSql(scope, f), keyset))
    .orderBy(...order)
    .limit(limit + 1);
}

const section = alias(industries, 'industry_section');
const group = alias(industries, 'industry_group');
const division = alias(industries, 'industry_division');

/** One batch of the export of the enterprise list: the list's query, with the columns a sheet needs. */
export function exportEnterprises(db: DbOrTx, scope: RegistryScope, f: EnterpriseListFilter, limit: number) {
  const { keyset, order } = keysetParts(f.sort, enterprises, f.after);
  return db
    .select({
      id: enterprises.id,
      ubn: enterprises.ubn,
      name: enterprises.name,
      industryCode: enterprises.industryCode,
      industryNameZh: industries.nameZh,
      industryNameEn: industries.nameEn,
      // Classes have no English name yet: English readers get their division's (decision 025).
      divisionCode: division.code,
      divisionNameEn: division.nameEn,
      industrySection: industries.section,
      sectionNameZh: section.nameZh,
      sectionNameEn: section.nameEn,
      countyNameZh: counties.nameZh,
      countyNameEn: counties.nameEn,
      address: enterprises.address,
      paidInCapitalTwd: enterprises.paidInCapitalTwd,
      regularEmployees: enterprises.regularEmployees,
      smeStatus: enterprises.smeStatus,
      smeStatusAsOf: enterprises.smeStatusAsOf,
      createdAt: iso(enterprises.createdAt),
    })
    .from(enterprises)
    .leftJoin(industries, eq(industries.code, enterprises.industryCode))
    .leftJoin(section, and(eq(section.code, industries.section), eq(section.level, 'section')))
    .leftJoin(group, eq(group.code, industries.parentCode))
    .leftJoin(division, and(eq(division.code, group.parentCode), eq(division.level, 'division')))
    .leftJoin(counties, eq(counties.code, enterprises.countyCode))
    .where(and(enterpriseFilterSql(scope, f), keyset))
    .orderBy(...order)
    .limit(limit);
}

/** The list's total up to `cap + 1`, kept until the tables it reads change (decision 014). */
export function countEnterprises(database: Database, scope: RegistryScope, f: EnterpriseFilter, cap: number) {
  return countOf(
    database,
    [enterprises, industries],
    sql`select count(*)::int as n from (select 1 from ${enterprises} where ${enterpriseFilterSql(scope, f)} limit ${cap + 1}) s`,
  );
}

export async function getEnterprise(db: DbOrTx, scope: RegistryScope, id: string, forUpdate = false) {
  const q = db
    .select({
      ...enterpriseSummaryCols,
      address: enterprises.address,
      paidInCapitalTwd: enterprises.paidInCapitalTwd,
      regularEmployees: enterprises.regularEmployees,
      smeStatusAsOf: enterprises.smeStatusAsOf,
      updatedAt: iso(enterprises.updatedAt),
    })
    .from(enterprises)
    .leftJoin(industries, eq(industries.code, enterprises.industryCode))
    .where(and(eq(enterprises.id, id), enterpriseFilterSql(scope, {})));
  const [row] = forUpdate ? await q.for('update', { of: enterprises }) : await q;
  return row;
}

export async function findEnterpriseByUbn(db: DbOrTx, ubn: string) {
  const [row] = await db.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.ubn, ubn));
  return row;
}

export async function enterpriseExists(db: DbOrTx, id: string) {
  const [row] = await db.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.id, id));
  return !!row;
}

export const insertEnterprise = (db: DbOrTx, row: typeof enterprises.$inferInsert) =>
  db.insert(enterprises).values(row);
export const updateEnterprise = (db: DbOrTx, id: string, set: Partial<typeof enterprises.$inferInsert>) =>
  db
    .update(enterprises)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(enterprises.id, id));

export const listEnterprisePeople = (db: DbOrTx, enterpriseId: string) =>
  db
    .select({
      id: enterprisePeople.id,
      personId: enterprisePeople.personId,
      personName: persons.name,
      relation: enterprisePeople.relation,
      title: enterprisePeople.title,
      validFrom: enterprisePeople.validFrom,
      validTo: enterprisePeople.validTo,
    })
    .from(enterprisePeople)
    .innerJoin(persons, eq(persons.id, enterprisePeople.personId))
    .where(eq(enterprisePeople.enterpriseId, enterpriseId))
    .orderBy(asc(enterprisePeople.relation), asc(enterprisePeople.validFrom));

export const insertEnterprisePerson = (db: DbOrTx, row: typeof enterprisePeople.$inferInsert) =>
  db.insert(enterprisePeople).values(row);

export async function getEnterprisePerson(db: DbOrTx, enterpriseId: string, linkId: string) {
  const [row] = await db
    .select({
      id: enterprisePeople.id,
      personId: enterprisePeople.personId,
      relation: enterprisePeople.relation,
      title: enterprisePeople.title,
      validFrom: enterprisePeople.validFrom,
      validTo: enterprisePeople.validTo,
    })
    .from(enterprisePeople)
    .where(and(eq(enterprisePeople.id, linkId), eq(enterprisePeople.enterpriseId, enterpriseId)))
    .for('update');
  return row;
}

export const updateEnterprisePerson = (
  db: DbOrTx,
  linkId: string,
  set: Partial<typeof enterprisePeople.$inferInsert>,
) => db.update(enterprisePeople).set(set).where(eq(enterprisePeople.id, linkId));

/** The SME judgements of an enterprise, newest first (rows written by the trigger of migration 0005). */
export const listSmeHistory = (db: DbOrTx, enterpriseId: string) =>
  db
    .select({
      asOf: enterpriseSmeStatuses.asOf,
      status: enterpriseSmeStatuses.status,
      paidInCapitalTwd: enterpriseSmeStatuses.paidInCapitalTwd,
      regularEmployees: enterpriseSmeStatuses.regularEmployees,
    })
    .from(enterpriseSmeStatuses)
    .where(eq(enterpriseSmeStatuses.enterpriseId, enterpriseId))
    .orderBy(desc(enterpriseSmeStatuses.asOf));

/** The status judged on or before `date` (ISO, Asia/Taipei), or undefined when none was yet. */
export async function smeStatusOn(db: DbOrTx, enterpriseId: string, date: string) {
  const [row] = await db
    .select({ status: enterpriseSmeStatuses.status, asOf: enterpriseSmeStatuses.asOf })
    .from(enterpriseSmeStatuses)
    .where(
      and(
        eq(enterpriseSmeStatuses.enterpriseId, enterpriseId),
        sql`${enterpriseSmeStatuses.asOf} <= ${date}`,
      ),
    )
    .orderBy(desc(enterpriseSmeStatuses.asOf))
    .limit(1);
  return row;
}
