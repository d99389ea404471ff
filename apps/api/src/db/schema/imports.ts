import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { agencies } from './access.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * One uploaded file to import (people, enterprises, later classes or exam results): its life is
 * uploaded → validating → preview | invalid → committing → committed | failed. Progress
 * (rows_done / rows_total) is written as validation goes, so the web app can draw a bar.
 */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey(),
    /** The import kind's name (`people`, `enterprises`): kinds are pluggable, so plain text. */
    kind: text('kind').notNull(),
    status: text('status', {
      enum: [
        'uploaded',
        'validating',
        'preview',
        'invalid',
        'committing',
        'committed',
        'failed',
        'discarded',
      ],
    })
      .notNull()
      .default('uploaded'),
    fileName: text('file_name').notNull(),
    format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
    /** As detected: `utf-8-bom`, `utf-8`, `big5`, `utf-16le`; null for XLSX. */
    encoding: text('encoding'),
    fileSize: integer('file_size').notNull(),
    /** The uploader's agency (stamped on the records made); null for the programme office. */
    agencyId: uuid('agency_id').references(() => agencies.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => accounts.id),
    rowsTotal: integer('rows_total'),
    rowsDone: integer('rows_done').notNull().default(0),
    newCount: integer('new_count').notNull().default(0),
    matchCount: integer('match_count').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    /** The header as read: each column's text and the field it maps to (null: ignored). */
    columns: jsonb('columns').$type<{ column: string; field: string | null }[]>(),
    onMatch: text('on_match', { enum: ['update', 'skip'] }),
    /** Rows written so far by a running commit (its transaction is not visible until it ends). */
    commitDone: integer('commit_done').notNull().default(0),
    createdCount: integer('created_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    /** Why a job failed: `interrupted` (the server stopped mid-commit), `stale` (data changed since the preview), `internal`. */
    failure: text('failure'),
    attempts: integer('attempts').notNull().default(0),
    /** Lease of the process validating the job; an expired lease is claimed again. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    commitStartedAt: timestamp('commit_started_at', { withTimezone: true }),
    validatedAt: timestamp('validated_at', { withTimezone: true }),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('import_jobs_due_idx')
      .on(t.createdAt)
      .where(sql`status in ('uploaded', 'validating', 'committing')`),
    index('import_jobs_agency_id_idx').on(t.agencyId),
    index('import_jobs_created_by_idx').on(t.createdBy),
    index('import_jobs_created_at_id_idx').on(t.createdAt, t.id),
  ],
);

/** The uploaded file, encrypted with a field key (it holds ID numbers); removed once committed or discarded. */
export const importFiles = pgTable('import_files', {
  jobId: uuid('job_id')
    .primaryKey()
    .references(() => importJobs.id),
  keyId: text('key_id').notNull(),
  content: bytea('content').notNull(),
});

/**
 * Each data row of a validated file, ready for the kind's writer: national IDs only in their
 * protected form (ciphertext, keyed hash, masked). Removed when the job is committed or discarded.
 */
export const importRows = pgTable(
  'import_rows',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJobs.id),
    /** The row number as the clerk sees it in Excel: the header is row 1. */
    rowNumber: integer('row_number').notNull(),
    status: text('status', { enum: ['new', 'match', 'error'] }).notNull(),
    matchId: uuid('match_id'),
    /** Whether the caller may update the matched record (it is in their scope). */
    matchInScope: boolean('match_in_scope').notNull().default(false),
    record: jsonb('record').$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.rowNumber] }),
    index('import_rows_job_status_idx').on(t.jobId, t.status, t.rowNumber),
  ],
);

/** A problem found in a file: row 0 is the file itself, row 1 its header, then data rows. */
export const importErrors = pgTable(
  'import_errors',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJobs.id),
    rowNumber: integer('row_number').notNull(),
    seq: integer('seq').notNull(),
    field: text('field'),
    /** The column header as written in the file. */
    column: text('column'),
    issue: text('issue').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>(),
    /** The offending cell, shortened; ID numbers masked. */
    value: text('value'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNumber, t.seq] })],
);
