import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { enterprisePeople, enterprises, industries, persons } from '../../db/schema/index.ts';
import type { RegistryScope } from './registry.policy.ts';

const iso = (col: unknown) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const escapeLike = (s: string) => s.replace(/[%_\\]/g, '\\$&');

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

function personFilterSql(scope: RegistryScope, f: PersonFilter): SQL {
  const conds: SQL[] = [sql`${persons.mergedIntoId} is null`, personScopeSql(scope)];
  if (f.nationalIdHash) conds.push(eq(persons.nationalIdHash, f.nationalIdHash));
  else if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    conds.push(
      sql`(${persons.name} like ${like} or ${persons.email} ilike ${like} or ${persons.phone} like ${like})`,
    );
  }
  if (f.countyCode) conds.push(eq(persons.countyCode, f.countyCode));
  if (f.gender) conds.push(sql`${persons.gender} = ${f.gender}`);
  if (f.employerEnterpriseId) conds.push(eq(persons.employerEnterpriseId, f.employerEnterpriseId));
  return and(...conds)!;
}

export function listPersons(
  db: DbOrTx,
  scope: RegistryScope,
  f: PersonFilter & { sort: 'createdAt' | 'name'; after?: (string | number | null)[] | undefined },
  limit: number,
) {
  let keyset: SQL | undefined;
  if (f.after) {
    const [k, id] = f.after as [string, string];
    keyset =
      f.sort === 'name'
        ? or(gt(persons.name, k), and(eq(persons.name, k), gt(persons.id, id)))
        : or(
            lt(persons.createdAt, sql`${k}::timestamptz`),
            and(eq(persons.createdAt, sql`${k}::timestamptz`), lt(persons.id, id)),
          );
  }
  const order =
    f.sort === 'name' ? [asc(persons.name), asc(persons.id)] : [desc(persons.createdAt), desc(persons.id)];
  return db
    .select(personSummaryCols)
    .from(persons)
    .leftJoin(enterprises, eq(enterprises.id, persons.employerEnterpriseId))
    .where(and(personFilterSql(scope, f), keyset))
    .orderBy(...order)
    .limit(limit + 1);
}

export async function countPersons(db: DbOrTx, scope: RegistryScope, f: PersonFilter, cap: number) {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${persons} where ${personFilterSql(scope, f)} limit ${cap + 1}) s`,
  );
  return r.rows[0]?.n ?? 0;
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
    else conds.push(sql`${enterprises.name} like ${`%${escapeLike(f.q)}%`}`);
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

export function listEnterprises(
  db: DbOrTx,
  scope: RegistryScope,
  f: EnterpriseFilter & { sort: 'createdAt' | 'name'; after?: (string | number | null)[] | undefined },
  limit: number,
) {
  let keyset: SQL | undefined;
  if (f.after) {
    const [k, id] = f.after as [string, string];
    keyset =
      f.sort === 'name'
        ? or(gt(enterprises.name, k), and(eq(enterprises.name, k), gt(enterprises.id, id)))
        : or(
            lt(enterprises.createdAt, sql`${k}::timestamptz`),
            and(eq(enterprises.createdAt, sql`${k}::timestamptz`), lt(enterprises.id, id)),
          );
  }
  const order =
    f.sort === 'name'
      ? [asc(enterprises.name), asc(enterprises.id)]
      : [desc(enterprises.createdAt), desc(enterprises.id)];
  return db
    .select(enterpriseSummaryCols)
    .from(enterprises)
    .leftJoin(industries, eq(industries.code, enterprises.industryCode))
    .where(and(enterpriseFilterSql(scope, f), keyset))
    .orderBy(...order)
    .limit(limit + 1);
}

export async function countEnterprises(db: DbOrTx, scope: RegistryScope, f: EnterpriseFilter, cap: number) {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${enterprises} where ${enterpriseFilterSql(scope, f)} limit ${cap + 1}) s`,
  );
  return r.rows[0]?.n ?? 0;
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
