import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { importErrors, importFiles, importJobs, importRows } from '../../db/schema/index.ts';

const iso = (col: unknown) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const jobCols = {
  id: importJobs.id,
  kind: importJobs.kind,
  status: importJobs.status,
  fileName: importJobs.fileName,
  format: importJobs.format,
  encoding: importJobs.encoding,
  fileSize: importJobs.fileSize,
  agencyId: importJobs.agencyId,
  createdBy: importJobs.createdBy,
  rowsTotal: importJobs.rowsTotal,
  rowsDone: importJobs.rowsDone,
  newCount: importJobs.newCount,
  matchCount: importJobs.matchCount,
  errorCount: importJobs.errorCount,
  columns: importJobs.columns,
  onMatch: importJobs.onMatch,
  commitDone: importJobs.commitDone,
  createdCount: importJobs.createdCount,
  updatedCount: importJobs.updatedCount,
  skippedCount: importJobs.skippedCount,
  failure: importJobs.failure,
  hasFile: sql<boolean>`exists (select 1 from import_files f where f.job_id = ${importJobs.id})`,
  createdAt: iso(importJobs.createdAt),
  updatedAt: iso(importJobs.updatedAt),
  validatedAt: sql<string | null>`${iso(importJobs.validatedAt)}`,
  committedAt: sql<string | null>`${iso(importJobs.committedAt)}`,
};
export type JobRow = Awaited<ReturnType<typeof getJob>> & object;

/** Which jobs a caller reaches: the programme office all; agency staff their agency's. */
export type JobScope = { kind: 'all' } | { kind: 'agencies'; agencyIds: string[] };

function scopeSql(scope: JobScope): SQL {
  if (scope.kind === 'all') return sql`true`;
  if (!scope.agencyIds.length) return sql`false`;
  return sql`${importJobs.agencyId} in (${sql.join(
    scope.agencyIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

export async function getJob(db: DbOrTx, scope: JobScope, id: string) {
  const [row] = await db
    .select(jobCols)
    .from(importJobs)
    .where(and(eq(importJobs.id, id), scopeSql(scope)));
  return row;
}

export function listJobs(
  db: DbOrTx,
  scope: JobScope,
  f: { kind?: string | undefined; status?: string | undefined; after?: [string, string] | undefined },
  limit: number,
) {
  const conds: (SQL | undefined)[] = [scopeSql(scope)];
  if (f.kind) conds.push(eq(importJobs.kind, f.kind));
  if (f.status) conds.push(sql`${importJobs.status} = ${f.status}`);
  if (f.after)
    conds.push(
      or(
        lt(importJobs.createdAt, sql`${f.after[0]}::timestamptz`),
        and(eq(importJobs.createdAt, sql`${f.after[0]}::timestamptz`), lt(importJobs.id, f.after[1])),
      ),
    );
  return db
    .select(jobCols)
    .from(importJobs)
    .where(and(...conds))
    .orderBy(desc(importJobs.createdAt), desc(importJobs.id))
    .limit(limit + 1);
}

export async function countJobs(
  db: DbOrTx,
  scope: JobScope,
  f: { kind?: string | undefined; status?: string | undefined },
  cap: number,
) {
  const conds: SQL[] = [scopeSql(scope)];
  if (f.kind) conds.push(eq(importJobs.kind, f.kind));
  if (f.status) conds.push(sql`${importJobs.status} = ${f.status}`);
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${importJobs} where ${and(...conds)} limit ${cap + 1}) s`,
  );
  return r.rows[0]?.n ?? 0;
}

export const insertJob = (db: DbOrTx, row: typeof importJobs.$inferInsert) =>
  db.insert(importJobs).values(row);
export const insertFile = (db: DbOrTx, row: typeof importFiles.$inferInsert) =>
  db.insert(importFiles).values(row);

export async function getFile(db: DbOrTx, jobId: string) {
  const [row] = await db
    .select({ keyId: importFiles.keyId, content: importFiles.content })
    .from(importFiles)
    .where(eq(importFiles.jobId, jobId));
  return row;
}

export const updateJob = (db: DbOrTx, id: string, set: Partial<typeof importJobs.$inferInsert>) =>
  db
    .update(importJobs)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(importJobs.id, id));

/**
 * Claims one job due for validation: uploaded, or validating under an expired lease (its process
 * died). SKIP LOCKED lets any number of processes work the queue.
 */
export async function claimValidation(db: DbOrTx, leaseSeconds: number, maxAttempts: number) {
  const r = await db.execute<{ id: string }>(sql`
    update import_jobs set status = 'validating', attempts = attempts + 1, rows_done = 0,
      locked_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
    where id = (
      select id from import_jobs
      where (status = 'uploaded' or (status = 'validating' and locked_until < now()))
        and attempts < ${maxAttempts}
      order by created_at
      for update skip locked
      limit 1)
    returning id`);
  return r.rows[0]?.id;
}

/** Jobs whose validation was started `maxAttempts` times and whose lease lapsed again: failed, never claimed again. */
export async function failExhausted(db: DbOrTx, maxAttempts: number) {
  const r = await db.execute<{ id: string }>(sql`
    update import_jobs set status = 'failed', failure = 'attempts', locked_until = null, updated_at = now()
    where status in ('uploaded', 'validating') and attempts >= ${maxAttempts}
      and (status = 'uploaded' or locked_until < now())
    returning id`);
  return r.rows.map((x) => x.id);
}

/** Progress, and the lease renewed: the validating process is alive. False when the job was taken away. */
export async function reportProgress(
  db: DbOrTx,
  id: string,
  p: { rowsDone: number; rowsTotal: number | null; newCount: number; matchCount: number; errorCount: number },
  leaseSeconds: number,
) {
  const r = await db.execute(sql`
    update import_jobs set rows_done = ${p.rowsDone}, rows_total = ${p.rowsTotal}, new_count = ${p.newCount},
      match_count = ${p.matchCount}, error_count = ${p.errorCount},
      locked_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
    where id = ${id} and status = 'validating'`);
  return (r.rowCount ?? 0) > 0;
}

export async function clearStaged(db: DbOrTx, jobId: string) {
  await db.delete(importRows).where(eq(importRows.jobId, jobId));
  await db.delete(importErrors).where(eq(importErrors.jobId, jobId));
}

export async function deleteFile(db: DbOrTx, jobId: string) {
  await db.delete(importFiles).where(eq(importFiles.jobId, jobId));
}

export type StagedInsert = {
  rowNumber: number;
  status: 'new' | 'match' | 'error';
  matchId: string | null;
  matchInScope: boolean;
  record: Record<string, unknown> | null;
};

/** A batch of staged rows in one statement. */
export async function insertStaged(db: DbOrTx, jobId: string, rows: StagedInsert[]) {
  if (!rows.length) return;
  await db.execute(sql`
    insert into import_rows (job_id, row_number, status, match_id, match_in_scope, record)
    select ${jobId}::uuid, x."rowNumber", x.status, x."matchId", x."matchInScope", x.record
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x("rowNumber" int, status text, "matchId" uuid, "matchInScope" boolean, record jsonb)`);
}

export type ProblemInsert = {
  rowNumber: number;
  seq: number;
  field: string | null;
  column: string | null;
  issue: string;
  params: Record<string, unknown> | null;
  value: string | null;
};

export async function insertProblems(db: DbOrTx, jobId: string, rows: ProblemInsert[]) {
  if (!rows.length) return;
  await db.execute(sql`
    insert into import_errors (job_id, row_number, seq, field, "column", issue, params, value)
    select ${jobId}::uuid, x."rowNumber", x.seq, x.field, x."column", x.issue, x.params, x.value
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x("rowNumber" int, seq int, field text, "column" text, issue text, params jsonb, value text)`);
}

export function listStaged(
  db: DbOrTx,
  jobId: string,
  f: { status?: string | undefined; afterRow?: number | undefined },
  limit: number,
) {
  return db
    .select({
      rowNumber: importRows.rowNumber,
      status: importRows.status,
      matchId: importRows.matchId,
      matchInScope: importRows.matchInScope,
      record: importRows.record,
    })
    .from(importRows)
    .where(
      and(
        eq(importRows.jobId, jobId),
        f.status ? sql`${importRows.status} = ${f.status}` : undefined,
        f.afterRow !== undefined ? sql`${importRows.rowNumber} > ${f.afterRow}` : undefined,
      ),
    )
    .orderBy(importRows.rowNumber)
    .limit(limit);
}

export async function countStaged(db: DbOrTx, jobId: string, status: string | undefined, cap: number) {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from import_rows
    where job_id = ${jobId} ${status ? sql`and status = ${status}` : sql``} limit ${cap + 1}) s`);
  return r.rows[0]?.n ?? 0;
}

export function listProblems(db: DbOrTx, jobId: string, after: [number, number] | undefined, limit: number) {
  return db
    .select({
      rowNumber: importErrors.rowNumber,
      seq: importErrors.seq,
      field: importErrors.field,
      column: importErrors.column,
      issue: importErrors.issue,
      params: importErrors.params,
      value: importErrors.value,
    })
    .from(importErrors)
    .where(
      and(
        eq(importErrors.jobId, jobId),
        after
          ? sql`(${importErrors.rowNumber}, ${importErrors.seq}) > (${after[0]}, ${after[1]})`
          : undefined,
      ),
    )
    .orderBy(importErrors.rowNumber, importErrors.seq)
    .limit(limit);
}

export async function countProblems(db: DbOrTx, jobId: string, cap: number) {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from import_errors where job_id = ${jobId} limit ${cap + 1}) s`,
  );
  return r.rows[0]?.n ?? 0;
}

/** Moves a job from one status to another if it is still in it; the loser of a race gets false. */
export async function transition(
  db: DbOrTx,
  id: string,
  from: string[],
  set: Partial<typeof importJobs.$inferInsert>,
) {
  const r = await db
    .update(importJobs)
    .set({ ...set, updatedAt: sql`now()` })
    .where(
      and(
        eq(importJobs.id, id),
        sql`${importJobs.status} in (${sql.join(
          from.map((s) => sql`${s}`),
          sql`, `,
        )})`,
      ),
    )
    .returning({ id: importJobs.id });
  return r.length > 0;
}

/** The advisory lock a commit holds for its whole transaction: a live commit is one whose lock is taken. */
export const commitLock = (db: DbOrTx, id: string) =>
  db.execute(sql`select pg_advisory_xact_lock(${COMMIT_LOCK_SPACE}, hashtext(${id}))`);

export async function tryCommitLock(db: DbOrTx, id: string) {
  const r = await db.execute<{ ok: boolean }>(
    sql`select pg_try_advisory_xact_lock(${COMMIT_LOCK_SPACE}, hashtext(${id})) as ok`,
  );
  return !!r.rows[0]?.ok;
}
const COMMIT_LOCK_SPACE = 724_019_100;

/** Jobs left `committing` by a process that died: their commit lock is free. Checked a little after start. */
export async function committingJobs(db: DbOrTx, olderThanSeconds: number) {
  const r = await db.execute<{ id: string }>(sql`select id from import_jobs where status = 'committing'
    and commit_started_at < now() - make_interval(secs => ${olderThanSeconds})`);
  return r.rows.map((x) => x.id);
}

/** The query a kind inserts new rows from (one `record` jsonb per row), so they never leave PostgreSQL. */
export const stagedNewRecords = (jobId: string) =>
  sql`select record from import_rows where job_id = ${jobId}::uuid and status = 'new'`;

/** Staged rows of a commit, in row order, a batch at a time (matches only, when new rows were inserted in bulk). */
export function stagedForCommit(
  db: DbOrTx,
  jobId: string,
  afterRow: number,
  limit: number,
  statuses: ('new' | 'match')[] = ['new', 'match'],
) {
  return db
    .select({
      rowNumber: importRows.rowNumber,
      matchId: importRows.matchId,
      matchInScope: importRows.matchInScope,
      record: importRows.record,
    })
    .from(importRows)
    .where(
      and(
        eq(importRows.jobId, jobId),
        sql`${importRows.status} in (${sql.join(
          statuses.map((x) => sql`${x}`),
          sql`, `,
        )})`,
        sql`${importRows.rowNumber} > ${afterRow}`,
      ),
    )
    .orderBy(importRows.rowNumber)
    .limit(limit);
}

/** Jobs whose personal data should go: not committed within `days`. */
export async function expiredJobs(db: DbOrTx, days: number) {
  const r = await db.execute<{ id: string }>(sql`select id from import_jobs
    where status in ('preview', 'invalid', 'failed') and updated_at < now() - make_interval(days => ${days})`);
  return r.rows.map((x) => x.id);
}
