import type { SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.ts';
import type { Cell } from './imports.read.ts';

export type { Cell } from './imports.read.ts';

/** A column an import kind reads: its field and the headers accepted in each language. */
export type ImportColumnDef = {
  field: string;
  required?: boolean;
  /** The first header of each language is the one the template and the error report use. */
  headers: { 'zh-TW': string[]; en: string[] };
};

/** A problem with one field of one row; `issue` is a stable key the web app translates. */
export type RowProblem = { field: string; issue: string; params?: Record<string, unknown> };

/** Who the import is for: the uploader's agency (stamped on new records) or null for the programme office. */
export type ImportScope = { agencyId: string | null };

/** An existing record a row matches; `inScope`: the uploader may update it. */
export type ImportMatch = { id: string; inScope: boolean; label: string | null };

export type ParsedRow<R> = {
  rowNumber: number;
  record: R | null;
  problems: RowProblem[];
  /** The cells by field as read (for the error list's "value" column). */
  raw: Record<string, Cell | undefined>;
};

export type StagedRow<R> = { rowNumber: number; record: R; match: { id: string; inScope: boolean } | null };

export type WriteResult = {
  created: string[];
  updated: { id: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
  skipped: number;
};

/**
 * An import kind: what a file of people, enterprises (later classes, exam results) means.
 * The import module reads the file, maps headers to `columns`, and calls the kind per row and per
 * batch; it stages the records, shows the preview and runs the commit in one transaction.
 */
export type ImportKind<R extends Record<string, unknown> = Record<string, unknown>, L = unknown> = {
  name: string;
  /** The audit target type of the records written (`person`, `enterprise`). */
  targetType: string;
  columns: ImportColumnDef[];
  /** Reference data the rows are checked against, loaded once per validation. */
  load(db: DbOrTx): Promise<L>;
  /** One row's cells (by field; absent columns are undefined) → the writer's record, or problems naming fields. */
  parseRow(
    cells: Record<string, Cell | undefined>,
    lookups: L,
  ): {
    record: R | null;
    problems: RowProblem[];
    /**
     * What the rows of a probe share (people: the masked national ID and the digit after it):
     * a file with many rows of one key is refused as a probe, whatever is on file (decision 016).
     */
    probeKey?: string;
  };
  /** The record's identities for finding duplicates inside the file (national-ID hash, else e-mail), by field. */
  keysOf(record: R): { field: string; key: string }[];
  /** For a batch of rows: their matches among existing records (may add problems, e.g. an unknown employer). */
  resolve(db: DbOrTx, scope: ImportScope, rows: ParsedRow<R>[]): Promise<(ImportMatch | null)[]>;
  /** The values the preview shows (ID numbers masked). */
  display(record: R): Record<string, string | number | boolean | null>;
  /**
   * Inserts every new row in one statement straight from the staged rows (`staged` is a query
   * yielding a `record` jsonb column; each record carries its `id`), returning the ids. Without
   * it, new rows go through `write` in batches.
   */
  insertStaged?(tx: Tx, scope: ImportScope, staged: SQL, today: string): Promise<string[]>;
  /** Writes a batch in the commit's transaction: new rows inserted; matched rows updated when `onMatch` says so. */
  write(
    tx: Tx,
    scope: ImportScope,
    rows: StagedRow<R>[],
    onMatch: 'update' | 'skip',
    today: string,
  ): Promise<WriteResult>;
};

/** Keeps a kind's generic type when it is listed with others. */
export const defineImportKind = <R extends Record<string, unknown>, L>(kind: ImportKind<R, L>) =>
  kind as unknown as ImportKind;
