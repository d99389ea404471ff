import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/**
 * The SQL of importing people and enterprises in bulk: lookups for a batch of rows, and multi-row
 * writes from one JSON parameter (`jsonb_to_recordset`), so a batch is one round trip.
 */

export async function countyLookup(db: DbOrTx) {
  const r = await db.execute<{ code: string; name_zh: string; name_en: string; iso_code: string }>(
    sql`select code, name_zh, name_en, iso_code from counties`,
  );
  return r.rows;
}

export async function industryClassCodes(db: DbOrTx) {
  const r = await db.execute<{ code: string }>(sql`select code from industries where level = 'class'`);
  return r.rows.map((x) => x.code);
}

export type PersonCandidate = {
  id: string;
  hash: string | null;
  email: string | null;
  name: string;
  masked: string | null;
  source_agency_id: string | null;
};

export async function personCandidates(db: DbOrTx, hashes: string[], emails: string[]) {
  if (!hashes.length && !emails.length) return [];
  // Joined to the arrays, not `= any(…)`: a plan PostgreSQL keeps for the prepared statement then
  // probes the indexes once per value, where `= any` of thousands of values was planned row by
  // row (or, in a generic plan, compared with every value on a sequential scan: 0.4 s a batch).
  const r = await db.execute<PersonCandidate>(sql`
    select p.id, coalesce(p.national_id_hash, p.national_id_held_hash) as hash, p.email, p.name,
      p.national_id_masked as masked, p.source_agency_id
    from persons p
    where p.merged_into_id is null and p.anonymised_at is null and p.id in (
      select x.id from unnest(${sql.param(hashes)}::text[]) as h(v)
        join persons x on x.national_id_hash = h.v and x.merged_into_id is null
      union
      select x.id from unnest(${sql.param(hashes)}::text[]) as h(v)
        join persons x on x.national_id_held_hash = h.v and x.merged_into_id is null
      union
      select x.id from unnest(${sql.param(emails)}::text[]) as e(v) join persons x on x.email = e.v)`);
  return r.rows;
}

export async function enterprisesByUbn(db: DbOrTx, ubns: string[]) {
  if (!ubns.length) return [];
  const r = await db.execute<{ id: string; ubn: string; name: string; source_agency_id: string | null }>(
    sql`select id, ubn, name, source_agency_id from enterprises where ubn = any(${sql.param(ubns)}::text[])`,
  );
  return r.rows;
}

const PERSON_COLUMNS = sql`id uuid, name text, email text, phone text, "birthDate" date, gender text,
  nationality text, "countyCode" text, education text, "employmentStatus" text,
  "employerEnterpriseId" uuid, "preferredLocale" text, "nationalIdEnc" text, "nationalIdKeyId" text,
  "nationalIdHash" text, "nationalIdKind" text, "nationalIdMasked" text, "nationalIdHeldHash" text`;

export async function insertPersons(tx: DbOrTx, rows: Record<string, unknown>[], agencyId: string | null) {
  if (!rows.length) return;
  await tx.execute(sql`
    insert into persons (id, name, email, phone, birth_date, gender, nationality, county_code, education,
      employment_status, employer_enterprise_id, preferred_locale, national_id_enc, national_id_key_id,
      national_id_hash, national_id_kind, national_id_masked, national_id_held_hash, source_agency_id)
    select x.id, x.name, x.email, x.phone, x."birthDate", x.gender, coalesce(x.nationality, 'TW'),
      x."countyCode", x.education, x."employmentStatus", x."employerEnterpriseId",
      coalesce(x."preferredLocale", 'zh-TW'), x."nationalIdEnc", x."nationalIdKeyId", x."nationalIdHash",
      x."nationalIdKind", x."nationalIdMasked", x."nationalIdHeldHash", ${agencyId}::uuid
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${PERSON_COLUMNS})`);
}

/** New people straight from staged records (a query yielding `record`), in one statement. */
export async function insertPersonsFrom(tx: DbOrTx, staged: SQL, agencyId: string | null) {
  const r = await tx.execute<{ id: string }>(sql`
    insert into persons (id, name, email, phone, birth_date, gender, nationality, county_code, education,
      employment_status, employer_enterprise_id, preferred_locale, national_id_enc, national_id_key_id,
      national_id_hash, national_id_kind, national_id_masked, national_id_held_hash, source_agency_id)
    select x.id, x.name, x.email, x.phone, x."birthDate", x.gender, coalesce(x.nationality, 'TW'),
      x."countyCode", x.education, x."employmentStatus", x."employerEnterpriseId",
      coalesce(x."preferredLocale", 'zh-TW'), x."nationalIdEnc", x."nationalIdKeyId", x."nationalIdHash",
      x."nationalIdKind", x."nationalIdMasked", x."nationalIdHeldHash", ${agencyId}::uuid
    from (${staged}) s cross join lateral jsonb_to_record(s.record) as x(${PERSON_COLUMNS})
    returning id`);
  return r.rows.map((x) => x.id);
}

export type PersonBefore = {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  birthDate: string | null;
  gender: string | null;
  nationality: string;
  countyCode: string | null;
  education: string | null;
  employmentStatus: string | null;
  employerEnterpriseId: string | null;
  preferredLocale: string;
  nationalIdHash: string | null;
  nationalIdMasked: string | null;
};

export async function lockPersons(tx: DbOrTx, ids: string[]) {
  const r = await tx.execute<PersonBefore>(sql`
    select id, name, email, phone, birth_date as "birthDate", gender, nationality, county_code as "countyCode",
      education, employment_status as "employmentStatus", employer_enterprise_id as "employerEnterpriseId",
      preferred_locale as "preferredLocale", national_id_hash as "nationalIdHash",
      national_id_masked as "nationalIdMasked"
    from persons where id = any(${sql.param(ids)}::uuid[]) for update`);
  return r.rows;
}

/** Sets the fields a row gives; the ones it leaves empty keep their value. */
export async function updatePersons(tx: DbOrTx, rows: Record<string, unknown>[]) {
  if (!rows.length) return;
  await tx.execute(sql`
    update persons p set
      name = coalesce(x.name, p.name), email = coalesce(x.email, p.email), phone = coalesce(x.phone, p.phone),
      birth_date = coalesce(x."birthDate", p.birth_date), gender = coalesce(x.gender, p.gender),
      nationality = coalesce(x.nationality, p.nationality), county_code = coalesce(x."countyCode", p.county_code),
      education = coalesce(x.education, p.education),
      employment_status = coalesce(x."employmentStatus", p.employment_status),
      employer_enterprise_id = coalesce(x."employerEnterpriseId", p.employer_enterprise_id),
      preferred_locale = coalesce(x."preferredLocale", p.preferred_locale),
      national_id_enc = coalesce(x."nationalIdEnc", p.national_id_enc),
      national_id_key_id = coalesce(x."nationalIdKeyId", p.national_id_key_id),
      national_id_hash = case when x."nationalIdHeldHash" is not null then null
        else coalesce(x."nationalIdHash", p.national_id_hash) end,
      national_id_held_hash = case when x."nationalIdHeldHash" is not null then x."nationalIdHeldHash"
        when x."nationalIdHash" is not null then null else p.national_id_held_hash end,
      national_id_kind = coalesce(x."nationalIdKind", p.national_id_kind),
      national_id_masked = coalesce(x."nationalIdMasked", p.national_id_masked),
      updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${PERSON_COLUMNS})
    where p.id = x.id`);
}

const ENTERPRISE_COLUMNS = sql`id uuid, ubn text, name text, "industryCode" text, "countyCode" text,
  address text, "paidInCapitalTwd" bigint, "regularEmployees" integer, "smeStatus" text, "smeStatusAsOf" date`;

export async function insertEnterprises(
  tx: DbOrTx,
  rows: Record<string, unknown>[],
  agencyId: string | null,
) {
  if (!rows.length) return;
  await tx.execute(sql`
    insert into enterprises (id, ubn, name, industry_code, county_code, address, paid_in_capital_twd,
      regular_employees, sme_status, sme_status_as_of, source_agency_id)
    select x.id, x.ubn, x.name, x."industryCode", x."countyCode", x.address, x."paidInCapitalTwd",
      x."regularEmployees", x."smeStatus", x."smeStatusAsOf", ${agencyId}::uuid
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${ENTERPRISE_COLUMNS})`);
}

export async function insertEnterprisesFrom(tx: DbOrTx, staged: SQL, agencyId: string | null, today: string) {
  const r = await tx.execute<{ id: string }>(sql`
    insert into enterprises (id, ubn, name, industry_code, county_code, address, paid_in_capital_twd,
      regular_employees, sme_status, sme_status_as_of, source_agency_id)
    select x.id, x.ubn, x.name, x."industryCode", x."countyCode", x.address, x."paidInCapitalTwd",
      x."regularEmployees", x."smeStatus", case when x."smeStatus" is null then null else ${today}::date end,
      ${agencyId}::uuid
    from (${staged}) s cross join lateral jsonb_to_record(s.record) as x(${ENTERPRISE_COLUMNS})
    returning id`);
  return r.rows.map((x) => x.id);
}

export type EnterpriseBefore = {
  id: string;
  ubn: string;
  name: string;
  industryCode: string | null;
  countyCode: string | null;
  address: string | null;
  paidInCapitalTwd: number | null;
  regularEmployees: number | null;
  smeStatus: string | null;
};

export async function lockEnterprises(tx: DbOrTx, ids: string[]) {
  const r = await tx.execute<EnterpriseBefore>(sql`
    select id, ubn, name, industry_code as "industryCode", county_code as "countyCode", address,
      paid_in_capital_twd as "paidInCapitalTwd", regular_employees as "regularEmployees",
      sme_status as "smeStatus"
    from enterprises where id = any(${sql.param(ids)}::uuid[]) for update`);
  return r.rows;
}

export async function updateEnterprises(tx: DbOrTx, rows: Record<string, unknown>[]) {
  if (!rows.length) return;
  await tx.execute(sql`
    update enterprises e set
      name = coalesce(x.name, e.name), industry_code = coalesce(x."industryCode", e.industry_code),
      county_code = coalesce(x."countyCode", e.county_code), address = coalesce(x.address, e.address),
      paid_in_capital_twd = coalesce(x."paidInCapitalTwd", e.paid_in_capital_twd),
      regular_employees = coalesce(x."regularEmployees", e.regular_employees),
      sme_status = case when x."smeStatusAsOf" is null then e.sme_status else x."smeStatus" end,
      sme_status_as_of = coalesce(x."smeStatusAsOf", e.sme_status_as_of),
      updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${ENTERPRISE_COLUMNS})
    where e.id = x.id`);
}
