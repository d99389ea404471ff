import { z } from 'zod';
import { pageOf } from './common.ts';

/**
 * Imports of CSV/XLSX files. The API's import kinds are pluggable; these are the ones it has.
 * Row numbers are as the clerk sees them in Excel: the header is row 1, the first data row 2;
 * row 0 stands for the file as a whole (empty, not a table, unreadable).
 */
export const ImportKindName = z.enum(['people', 'enterprises']);
export type ImportKindName = z.infer<typeof ImportKindName>;

export const ImportStatus = z.enum([
  'uploaded',
  'validating',
  'preview',
  'invalid',
  'committing',
  'committed',
  'failed',
  'discarded',
]);
export type ImportStatus = z.infer<typeof ImportStatus>;

/** What a commit does with a row that matches an existing record: update it, or leave it as is. */
export const ImportOnMatch = z.enum(['update', 'skip']);
export type ImportOnMatch = z.infer<typeof ImportOnMatch>;

/** The upload limit (bytes); the server refuses larger files with LIMIT_EXCEEDED. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

export const ImportColumn = z.object({ column: z.string(), field: z.string().nullable() });
export type ImportColumn = z.infer<typeof ImportColumn>;

export const ImportJob = z.object({
  id: z.uuid(),
  kind: z.string(),
  status: ImportStatus,
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  fileSize: z.number().int(),
  rowsTotal: z.number().int().nullable(),
  rowsDone: z.number().int(),
  newCount: z.number().int(),
  matchCount: z.number().int(),
  errorCount: z.number().int(),
  columns: z.array(ImportColumn).nullable(),
  onMatch: ImportOnMatch.nullable(),
  commitDone: z.number().int(),
  createdCount: z.number().int(),
  updatedCount: z.number().int(),
  skippedCount: z.number().int(),
  /** `interrupted` (the server stopped during the commit), `stale` (records changed since the preview), `internal`. */
  failure: z.string().nullable(),
  /** A failed job can be validated again from its stored file and committed. */
  retryable: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  validatedAt: z.iso.datetime({ offset: true }).nullable(),
  committedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;
export const ImportJobPage = pageOf(ImportJob);

export const ImportUploadQuery = z.object({ kind: ImportKindName });
export type ImportUploadQuery = z.infer<typeof ImportUploadQuery>;

export const ImportListQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  kind: ImportKindName.optional(),
  status: ImportStatus.optional(),
});
export type ImportListQuery = z.infer<typeof ImportListQuery>;

export const ImportRowStatus = z.enum(['new', 'match', 'error']);
export type ImportRowStatus = z.infer<typeof ImportRowStatus>;

/** A row of the preview: its values as they will be written (ID numbers masked) and its match. */
export const ImportRow = z.object({
  rowNumber: z.number().int(),
  status: ImportRowStatus,
  values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  match: z
    .object({
      /** Null when the matched record is outside the caller's scope (it is then left as is). */
      id: z.uuid().nullable(),
      inScope: z.boolean(),
      label: z.string().nullable(),
    })
    .nullable(),
});
export type ImportRow = z.infer<typeof ImportRow>;
export const ImportRowPage = pageOf(ImportRow);

export const ImportRowQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: ImportRowStatus.optional(),
});
export type ImportRowQuery = z.infer<typeof ImportRowQuery>;

export const ImportProblem = z.object({
  rowNumber: z.number().int(),
  /** The field of the import kind (`nationalId`, `ubn`, …); null for a problem of the whole file. */
  field: z.string().nullable(),
  /** The column header as written in the file. */
  column: z.string().nullable(),
  issue: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  value: z.string().nullable(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;
export const ImportProblemPage = pageOf(ImportProblem);

export const ImportProblemQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ImportProblemQuery = z.infer<typeof ImportProblemQuery>;

export const ImportReportQuery = z.object({ format: z.enum(['csv', 'xlsx']).default('csv') });

export const CommitImportInput = z.object({ onMatch: ImportOnMatch.default('skip') });
export type CommitImportInput = z.infer<typeof CommitImportInput>;

/** A column an import kind reads, with the headers it accepts (for the template and the help text). */
export const ImportKindColumn = z.object({
  field: z.string(),
  required: z.boolean(),
  headers: z.object({ 'zh-TW': z.array(z.string()), en: z.array(z.string()) }),
});
export const ImportKindInfo = z.object({
  kind: z.string(),
  columns: z.array(ImportKindColumn),
});
export type ImportKindInfo = z.infer<typeof ImportKindInfo>;
