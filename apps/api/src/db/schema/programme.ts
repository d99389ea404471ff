import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agencies } from './access.ts';

type Localized = { 'zh-TW': string; en?: string };

export const programmes = pgTable('programmes', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: jsonb('name').$type<Localized>().notNull(),
  description: jsonb('description').$type<Localized>().notNull(),
  startYear: integer('start_year').notNull(),
  endYear: integer('end_year').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const subProgrammes = pgTable(
  'sub_programmes',
  {
    id: uuid('id').primaryKey(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id),
    code: text('code').notNull(),
    name: jsonb('name').$type<Localized>().notNull(),
    sortOrder: integer('sort_order').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sub_programmes_programme_code_key').on(t.programmeId, t.code)],
);

export const measures = pgTable(
  'measures',
  {
    id: uuid('id').primaryKey(),
    subProgrammeId: uuid('sub_programme_id')
      .notNull()
      .references(() => subProgrammes.id),
    code: text('code').notNull(),
    name: jsonb('name').$type<Localized>().notNull(),
    description: jsonb('description').$type<Localized>().notNull(),
    sortOrder: integer('sort_order').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('measures_code_key').on(t.code),
    index('measures_sub_programme_id_idx').on(t.subProgrammeId),
  ],
);

/** Which agency runs a measure, over which dates; history is kept, never overwritten. */
export const measureAgencies = pgTable(
  'measure_agencies',
  {
    id: uuid('id').primaryKey(),
    measureId: uuid('measure_id')
      .notNull()
      .references(() => measures.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('measure_agencies_measure_id_idx').on(t.measureId),
    index('measure_agencies_agency_id_idx').on(t.agencyId),
  ],
);

/** A KPI definition. Its actual comes only from a registered metric; none means "not yet measured". */
export const kpis = pgTable(
  'kpis',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    name: jsonb('name').$type<Localized>().notNull(),
    definition: jsonb('definition').$type<Localized>().notNull(),
    unit: text('unit').notNull(),
    kind: text('kind', { enum: ['count', 'sum', 'ratio', 'mean'] }).notNull(),
    benefit: text('benefit').notNull(),
    /** The module expected to compute it, as the catalogue says. */
    sourceModule: text('source_module').notNull(),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kpis_code_key').on(t.code)],
);

export const kpiMeasures = pgTable(
  'kpi_measures',
  {
    kpiId: uuid('kpi_id')
      .notNull()
      .references(() => kpis.id),
    measureId: uuid('measure_id')
      .notNull()
      .references(() => measures.id),
  },
  (t) => [
    uniqueIndex('kpi_measures_key').on(t.kpiId, t.measureId),
    index('kpi_measures_measure_id_idx').on(t.measureId),
  ],
);

/** A yearly target per KPI and measure (measure null: the whole programme). */
export const kpiTargets = pgTable(
  'kpi_targets',
  {
    id: uuid('id').primaryKey(),
    kpiId: uuid('kpi_id')
      .notNull()
      .references(() => kpis.id),
    measureId: uuid('measure_id').references(() => measures.id),
    year: integer('year').notNull(),
    target: numeric('target', { precision: 16, scale: 2 }).notNull(),
    note: text('note').notNull().default(''),
    /** Demo targets are illustrative and are labelled so, never presented as official figures. */
    illustrative: boolean('illustrative').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    uniqueIndex('kpi_targets_key').on(
      t.kpiId,
      sql`coalesce(${t.measureId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.year,
    ),
    index('kpi_targets_measure_id_idx').on(t.measureId),
  ],
);
