import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { agencies } from './access.ts';
import { counties, industries } from './reference.ts';

/** An enterprise, one per 統一編號 across the platform. */
export const enterprises = pgTable(
  'enterprises',
  {
    id: uuid('id').primaryKey(),
    ubn: text('ubn').notNull(),
    name: text('name').notNull(),
    industryCode: text('industry_code').references(() => industries.code),
    countyCode: text('county_code').references(() => counties.code),
    address: text('address'),
    paidInCapitalTwd: bigint('paid_in_capital_twd', { mode: 'number' }),
    regularEmployees: integer('regular_employees'),
    /** Derived by 中小企業認定標準 from capital and employees, kept with the date it was judged. */
    smeStatus: text('sme_status', { enum: ['small', 'sme', 'large'] }),
    smeStatusAsOf: date('sme_status_as_of'),
    sourceAgencyId: uuid('source_agency_id').references(() => agencies.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('enterprises_ubn_key').on(t.ubn),
    index('enterprises_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    // Chinese search: one- and two-character grams (shorter than a trigram); see decision 008.
    index('enterprises_name_grams_idx').using('gin', sql`name_grams(${t.name})`),
    // Sort by name in Taiwan's stroke order (姓氏筆畫), keyset-paged.
    index('enterprises_name_stroke_id_idx').on(sql`${t.name} collate zh_tw_stroke`, t.id),
    index('enterprises_industry_code_idx').on(t.industryCode),
    index('enterprises_county_code_idx').on(t.countyCode),
    index('enterprises_source_agency_id_idx').on(t.sourceAgencyId),
    index('enterprises_created_at_id_idx').on(t.createdAt, t.id),
  ],
);

/**
 * One person across the whole platform. Nothing else stores a person's name or ID number. The
 * national ID is encrypted (key id beside it), found by a keyed hash, and shown masked.
 */
export const persons = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id').references(() => accounts.id),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    birthDate: date('birth_date'),
    /** Set only when anonymisation removes the birth date: kept for KPI age bands (decision 008). */
    birthYear: integer('birth_year'),
    gender: text('gender', { enum: ['female', 'male', 'other', 'undisclosed'] }),
    nationality: text('nationality').notNull().default('TW'),
    countyCode: text('county_code').references(() => counties.code),
    education: text('education', {
      enum: ['junior_high_or_below', 'senior_high', 'associate', 'bachelor', 'master', 'doctorate'],
    }),
    employmentStatus: text('employment_status', {
      enum: ['employed', 'self_employed', 'unemployed', 'student', 'retired', 'other'],
    }),
    employerEnterpriseId: uuid('employer_enterprise_id').references(() => enterprises.id),
    preferredLocale: text('preferred_locale', { enum: ['zh-TW', 'en'] })
      .notNull()
      .default('zh-TW'),
    nationalIdEnc: text('national_id_enc'),
    nationalIdKeyId: text('national_id_key_id'),
    nationalIdHash: text('national_id_hash'),
    /**
     * The keyed hash of a national ID that another live record already carries, when the one who
     * registered this record may not see that other record (decision 016): kept apart from the
     * unique index, so the registration answers as for a new number, until the programme office
     * merges the two (the duplicates list pairs them).
     */
    nationalIdHeldHash: text('national_id_held_hash'),
    nationalIdKind: text('national_id_kind', { enum: ['national', 'resident_new', 'resident_old'] }),
    /** Kept only for the masked display: the first six characters (A12345). */
    nationalIdMasked: text('national_id_masked'),
    sourceAgencyId: uuid('source_agency_id').references(() => agencies.id),
    mergedIntoId: uuid('merged_into_id'),
    anonymisedAt: timestamp('anonymised_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('persons_account_id_key').on(t.accountId),
    uniqueIndex('persons_national_id_hash_key')
      .on(t.nationalIdHash)
      .where(sql`merged_into_id is null`),
    index('persons_national_id_held_hash_idx')
      .on(t.nationalIdHeldHash)
      .where(sql`national_id_held_hash is not null`),
    index('persons_email_idx').on(t.email),
    index('persons_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('persons_name_grams_idx').using('gin', sql`name_grams(${t.name})`),
    index('persons_name_stroke_id_idx').on(sql`${t.name} collate zh_tw_stroke`, t.id),
    index('persons_email_trgm_idx').using('gin', sql`lower(${t.email}) gin_trgm_ops`),
    index('persons_phone_trgm_idx').using('gin', sql`${t.phone} gin_trgm_ops`),
    index('persons_county_code_idx').on(t.countyCode),
    index('persons_employer_enterprise_id_idx').on(t.employerEnterpriseId),
    index('persons_source_agency_id_idx').on(t.sourceAgencyId),
    index('persons_merged_into_id_idx').on(t.mergedIntoId),
    index('persons_created_at_id_idx').on(t.createdAt, t.id),
    index('persons_birth_date_idx').on(t.birthDate),
    // The county filter of the people list: its page in order, and its capped count index-only.
    index('persons_live_county_created_at_id_idx')
      .on(t.countyCode, t.createdAt, t.id)
      .where(sql`merged_into_id is null`),
  ],
);

/** A person's tie to an enterprise: employee, successor (接班人) or DT-team member, over dates. */
export const enterprisePeople = pgTable(
  'enterprise_people',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    relation: text('relation', { enum: ['employee', 'successor', 'dt_team'] }).notNull(),
    title: text('title'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('enterprise_people_enterprise_id_idx').on(t.enterpriseId),
    index('enterprise_people_person_id_idx').on(t.personId),
  ],
);

/**
 * Every judgement of an enterprise's SME status, dated (Asia/Taipei), with the figures it was made
 * from, so a KPI can use the status at the time of an event. Written by a trigger on `enterprises`
 * (any writer: the service, an import, a bulk load), one row per enterprise and day.
 */
export const enterpriseSmeStatuses = pgTable(
  'enterprise_sme_statuses',
  {
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    asOf: date('as_of').notNull(),
    status: text('status', { enum: ['small', 'sme', 'large'] }),
    paidInCapitalTwd: bigint('paid_in_capital_twd', { mode: 'number' }),
    regularEmployees: integer('regular_employees'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enterpriseId, t.asOf] })],
);
