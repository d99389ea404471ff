import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import type { KpiReportFigure } from '@dtp/contracts';

/**
 * One counted record behind a KPI: written by the module that owns the record, in the same
 * transaction as the record's change. Dimensions are the facts at the time of the event. For a
 * metric that counts each subject once a year, only the subject's first fact of the year is
 * `counted_kpi` (and first per measure, `counted_measure`); partial unique indexes keep that exact
 * under concurrency. Derived data: rebuilt from the records when a metric's rule changes.
 */
export const kpiFacts = pgTable(
  'kpi_facts',
  {
    id: uuid('id').primaryKey(),
    metricCode: text('metric_code').notNull(),
    kpiCode: text('kpi_code').notNull(),
    part: text('part', { enum: ['value', 'numerator', 'denominator'] }).notNull(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    /** The person or enterprise counted (distinct metrics); not a foreign key: it is either. */
    subjectId: uuid('subject_id'),
    eventDate: date('event_date').notNull(),
    year: integer('year').notNull(),
    month: integer('month').notNull(),
    measureCode: text('measure_code'),
    agencyId: uuid('agency_id'),
    countyCode: text('county_code'),
    industrySection: text('industry_section'),
    smeStatus: text('sme_status'),
    gender: text('gender'),
    ageBand: text('age_band'),
    category: text('category'),
    value: numeric('value', { precision: 18, scale: 4, mode: 'number' }).notNull().default(1),
    countedKpi: boolean('counted_kpi').notNull(),
    countedMeasure: boolean('counted_measure').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('kpi_facts_record_idx').on(t.recordType, t.recordId),
    index('kpi_facts_drill_idx').on(t.kpiCode, t.year, t.eventDate, t.id),
    index('kpi_facts_metric_code_idx').on(t.metricCode),
    uniqueIndex('kpi_facts_counted_kpi_key')
      .on(t.kpiCode, t.part, t.year, t.subjectId)
      .where(sql`counted_kpi and subject_id is not null`),
    uniqueIndex('kpi_facts_counted_measure_key')
      .on(t.kpiCode, t.part, t.year, sql`coalesce(measure_code, '')`, t.subjectId)
      .where(sql`counted_measure and subject_id is not null`),
  ],
);

/**
 * Marginal sums of counted facts: per KPI, part, year, month, measure and agency, one row per value
 * of each single dimension (`dim` total | county | industry | sme | gender | age_band | category).
 * Kept in step with `kpi_facts` by statement-level triggers (migration 0005) in the same
 * transaction, so the dashboard reads a few thousand rows however many records there are. A
 * breakdown filtered by a second dimension reads the facts instead (decision 007).
 */
export const kpiRollups = pgTable(
  'kpi_rollups',
  {
    kpiCode: text('kpi_code').notNull(),
    part: text('part').notNull(),
    year: integer('year').notNull(),
    month: integer('month').notNull(),
    measureCode: text('measure_code').notNull(),
    agencyId: text('agency_id').notNull(),
    dim: text('dim').notNull(),
    key: text('key').notNull(),
    /** Sum and count over facts counted for the KPI as a whole … */
    v: numeric('v', { precision: 20, scale: 4, mode: 'number' }).notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
    /** … and over facts counted within their measure. */
    vm: numeric('vm', { precision: 20, scale: 4, mode: 'number' }).notNull(),
    nm: bigint('nm', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({
      name: 'kpi_rollups_pkey',
      columns: [t.kpiCode, t.year, t.dim, t.part, t.month, t.measureCode, t.agencyId, t.key],
    }),
  ],
);

/** Which version of each metric's rule the facts were built with. */
export const kpiMetricStates = pgTable('kpi_metric_states', {
  metricCode: text('metric_code').primaryKey(),
  version: integer('version').notNull(),
  rebuiltAt: timestamp('rebuilt_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A closed quarter submitted to the ministry: figures frozen, a correction is a new version. */
export const kpiReports = pgTable(
  'kpi_reports',
  {
    id: uuid('id').primaryKey(),
    year: integer('year').notNull(),
    quarter: integer('quarter').notNull(),
    version: integer('version').notNull(),
    reason: text('reason'),
    periodEnd: date('period_end').notNull(),
    figures: jsonb('figures').$type<KpiReportFigure[]>().notNull(),
    submittedBy: uuid('submitted_by').references(() => accounts.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('kpi_reports_quarter_version_key').on(t.year, t.quarter, t.version),
    index('kpi_reports_submitted_by_idx').on(t.submittedBy),
  ],
);

/** The records behind a frozen report's figures, copied from the facts when it was submitted. */
export const kpiReportRecords = pgTable(
  'kpi_report_records',
  {
    reportId: uuid('report_id')
      .notNull()
      .references(() => kpiReports.id),
    factId: uuid('fact_id').notNull(),
    kpiCode: text('kpi_code').notNull(),
    part: text('part').notNull(),
    measureCode: text('measure_code'),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    eventDate: date('event_date').notNull(),
    value: numeric('value', { precision: 18, scale: 4, mode: 'number' }).notNull(),
    countedKpi: boolean('counted_kpi').notNull(),
    countedMeasure: boolean('counted_measure').notNull(),
  },
  (t) => [
    primaryKey({ name: 'kpi_report_records_pkey', columns: [t.reportId, t.factId] }),
    index('kpi_report_records_kpi_idx').on(t.reportId, t.kpiCode, t.recordId),
  ],
);
