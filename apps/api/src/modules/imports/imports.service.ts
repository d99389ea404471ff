import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  maskNationalId,
  type CommitImportInput,
  type ImportJob,
  type ImportKindInfo,
  type ImportListQuery,
  type ImportProblem,
  type ImportProblemQuery,
  type ImportRow,
  type ImportRowQuery,
  type Locale,
  type Page,
} from '@dtp/contracts';
import type { Actor, Deps, RequestContext } from '../../context.ts';
import { systemContext } from '../../context.ts';
import { decryptBytes, encryptBytes } from '../../lib/crypto.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { taipeiDate } from '@dtp/contracts';
import { AppError, notFound, pgError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { exportStream, type ExportFormat } from '../../lib/spreadsheet.ts';
import { recordAudit, recordAuditMany, type AuditInput } from '../audit/index.ts';
import type { Cell, ImportKind, ImportScope, ParsedRow, RowProblem } from './imports.kinds.ts';
import { importScope, jobScope, uploaderAgency } from './imports.policy.ts';
import {
  detectEncoding,
  detectFormat,
  estimateRows,
  FileProblem,
  isBlankRow,
  normaliseHeader,
  privateUse,
  readRows,
  type SheetRow,
} from './imports.read.ts';
import * as repo from './imports.repository.ts';

/** Rows validated (and later written) per round trip. */
const BATCH = 5000;
const COMMIT_BATCH = 2000;
const YIELD_EVERY = 100;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));
const LEASE_SECONDS = 60;
/**
 * Validations a job may start. A process that dies reading a file leaves its job `validating`;
 * after this many claims the job is failed (`attempts`) instead of being claimed again, so one
 * file cannot take the server down at every restart.
 */
export const MAX_VALIDATION_ATTEMPTS = 3;
/** A commit younger than this may not have taken its lock yet; recovery leaves it alone. */
const COMMIT_GRACE_SECONDS = 5;
/**
 * A file in which more than PROBE_ROWS rows, and more than PROBE_SHARE of its rows, share one
 * probe key (people: the same masked national ID and the digit after it) is refused as a probe of
 * which numbers are on file, and audited. Decided on the file alone, never on what is on file.
 */
const PROBE_ROWS = 50;
const PROBE_SHARE = 0.05;
/** Files and staged rows of jobs not committed within this many days are removed. */
const KEEP_DAYS = 7;

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'locales');
type Tree = { [k: string]: string | Tree };
const texts: Record<Locale, Tree> = {
  'zh-TW': (JSON.parse(readFileSync(path.join(dir, 'zh-TW.json'), 'utf8')) as Tree).imports as Tree,
  en: (JSON.parse(readFileSync(path.join(dir, 'en.json'), 'utf8')) as Tree).imports as Tree,
};
const text = (locale: Locale, group: string, key: string, params?: Record<string, unknown> | null) => {
  const g = texts[locale][group] as Tree;
  const v = g[key];
  if (typeof v !== 'string') return key;
  // {{name}} takes the problem's parameter; numbers as a spreadsheet user reads them (200,000).
  return v.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const p = params?.[k];
    return typeof p === 'number' ? p.toLocaleString('en') : p === undefined || p === null ? '' : String(p);
  });
};

type HeaderMapping = { columns: { column: string; field: string | null }[]; fieldAt: Map<number, string> };

/** Maps each header to a field of the kind by its zh-TW or English aliases; problems on row 1. */
function mapHeader(kind: ImportKind, header: SheetRow): { mapping: HeaderMapping; problems: RowProblem[] } {
  const aliases = new Map<string, string>();
  for (const c of kind.columns) {
    for (const h of [c.field, ...c.headers['zh-TW'], ...c.headers.en])
      aliases.set(normaliseHeader(h), c.field);
  }
  const columns: HeaderMapping['columns'] = [];
  const fieldAt = new Map<number, string>();
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  header.cells.forEach((cell, i) => {
    const column = cell === null || cell === undefined ? '' : String(cell).trim();
    if (!column) return;
    const field = aliases.get(normaliseHeader(column)) ?? null;
    columns.push({ column, field });
    if (!field) return;
    if (seen.has(field)) problems.push({ field, issue: 'duplicate_column' });
    else {
      seen.add(field);
      fieldAt.set(i, field);
    }
  });
  for (const c of kind.columns) {
    if (c.required && !seen.has(c.field)) problems.push({ field: c.field, issue: 'missing_column' });
  }
  return { mapping: { columns, fieldAt }, problems };
}

const shorten = (v: string) => (v.length > 100 ? `${v.slice(0, 99)}…` : v);

/** A cell as the error list shows it: text, ID numbers masked. */
function shownValue(field: string | null, cell: Cell | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  const s = cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell).trim();
  if (!s) return null;
  return shorten(field === 'nationalId' ? maskNationalId(s.toUpperCase()) : s);
}

export function createImportsService(deps: Deps, kindList: ImportKind[]) {
  const { db } = deps.database;
  const kinds = new Map(kindList.map((k) => [k.name, k]));
  const kindOf = (name: string) => {
    const k = kinds.get(name);
    if (!k)
      throw new AppError('VALIDATION', 'unknown import kind', {
        fields: [{ field: 'kind', issue: 'invalid_value' }],
      });
    return k;
  };

  /** A failed job can be validated again from its file, unless validating it is what kept failing. */
  const retryable = (r: repo.JobRow) => r.status === 'failed' && r.hasFile && r.failure !== 'attempts';
  const toJob = (r: repo.JobRow): ImportJob => {
    const { agencyId: _a, createdBy: _c, hasFile: _h, ...rest } = r;
    return { ...rest, retryable: retryable(r) };
  };

  async function jobFor(actor: Actor, id: string) {
    const row = await repo.getJob(db, jobScope(actor), id);
    if (!row) throw notFound('import');
    return row;
  }

  // ───────────── validation (background work) ─────────────

  /** Reads the stored file, checks every row, stages the results in batches; progress as it goes. */
  async function validate(jobId: string): Promise<void> {
    const job = await repo.getJob(db, { kind: 'all' }, jobId);
    if (!job) return;
    const kind = kinds.get(job.kind);
    await repo.clearStaged(db, jobId);
    const file = await repo.getFile(db, jobId);
    if (!kind || !file) {
      await repo.transition(db, jobId, ['validating'], {
        status: 'failed',
        failure: 'internal',
        lockedUntil: null,
      });
      return;
    }
    const content = decryptBytes(deps.keys, file.keyId, file.content);
    const scope: ImportScope = { agencyId: job.agencyId };
    const counts = { rowsDone: 0, newCount: 0, matchCount: 0, errorCount: 0 };
    let rowsTotal: number | null = null;
    const finish = async (status: 'preview' | 'invalid') => {
      await repo.transition(db, jobId, ['validating'], {
        status,
        ...counts,
        rowsTotal: counts.rowsDone,
        lockedUntil: null,
        validatedAt: deps.now(),
      });
    };
    const fileProblem = async (rowNumber: number, problems: RowProblem[]) => {
      await repo.insertProblems(
        db,
        jobId,
        problems.map((p, seq) => ({
          rowNumber,
          seq,
          field: rowNumber === 0 ? null : p.field,
          column: null,
          issue: p.issue,
          params: p.params ?? null,
          value: null,
        })),
      );
      counts.errorCount += 1;
      await finish('invalid');
    };

    try {
      const format = detectFormat(content);
      let encoding: ReturnType<typeof detectEncoding> | null = null;
      try {
        encoding = format === 'csv' ? detectEncoding(content) : null;
      } catch (e) {
        // Said on the job too, so the page does not call a refused CSV by another encoding's name.
        if (e instanceof FileProblem)
          await repo.updateJob(db, jobId, {
            format,
            encoding: e.issue === 'encoding_gbk' ? 'gbk' : 'unknown',
          });
        throw e;
      }
      rowsTotal = estimateRows(content, format);
      await repo.updateJob(db, jobId, { format, encoding, rowsTotal });
      const it = readRows(content, format, encoding)[Symbol.asyncIterator]();
      let header: SheetRow | undefined;
      for (let n = await it.next(); !n.done; n = await it.next()) {
        if (!isBlankRow(n.value.cells)) {
          header = n.value;
          break;
        }
      }
      if (!header) return await fileProblem(0, [{ field: '', issue: 'empty_file' }]);
      const headerRow = header.rowNumber;
      const mapped = mapHeader(kind, header);
      const mapping = mapped.mapping;
      await repo.updateJob(db, jobId, { columns: mapping.columns });
      if (mapped.problems.length) return await fileProblem(headerRow, mapped.problems);

      const lookups = await kind.load(db);
      const seen = new Map<string, number>();
      const probeKeys = new Map<string, number>();
      let dataRows = 0;
      const headerText = new Map<string, string>();
      for (const [i, f] of mapping.fieldAt) {
        const cell = header.cells[i];
        headerText.set(f, cell === null || cell === undefined ? f : String(cell).trim());
      }
      let batch: ParsedRow<Record<string, unknown>>[] = [];
      let inFlight: Promise<void> | null = null;

      const flush = async (batch: ParsedRow<Record<string, unknown>>[]) => {
        if (!batch.length) return;
        const matches = await kind.resolve(db, scope, batch);
        const staged: repo.StagedInsert[] = [];
        const problems: repo.ProblemInsert[] = [];
        batch.forEach((row, i) => {
          if (row.record && !row.problems.length) {
            for (const { field, key } of kind.keysOf(row.record)) {
              const first = seen.get(key);
              if (first !== undefined)
                row.problems.push({ field, issue: 'duplicate_in_file', params: { row: first } });
              else seen.set(key, row.rowNumber);
            }
          }
          const match = matches[i] ?? null;
          if (row.problems.length) {
            counts.errorCount++;
            const shown: Record<string, string | null> = {};
            for (const [f, cell] of Object.entries(row.raw)) shown[f] = shownValue(f, cell);
            staged.push({
              rowNumber: row.rowNumber,
              status: 'error',
              matchId: null,
              matchInScope: false,
              record: shown,
            });
            row.problems.forEach((p, seq) =>
              problems.push({
                rowNumber: row.rowNumber,
                seq,
                field: p.field,
                column: headerText.get(p.field) ?? null,
                issue: p.issue,
                params: p.params ?? null,
                value: shownValue(p.field, row.raw[p.field]),
              }),
            );
          } else if (match) {
            counts.matchCount++;
            staged.push({
              rowNumber: row.rowNumber,
              status: 'match',
              matchId: match.id,
              matchInScope: match.inScope,
              record: { ...row.record, __label: match.label },
            });
          } else {
            counts.newCount++;
            // The id is made now, so the commit can insert straight from the staged rows.
            staged.push({
              rowNumber: row.rowNumber,
              status: 'new',
              matchId: null,
              matchInScope: false,
              record: { ...row.record, id: newId() },
            });
          }
        });
        await db.transaction(async (tx) => {
          await repo.insertStaged(tx, jobId, staged);
          await repo.insertProblems(tx, jobId, problems);
        });
        counts.rowsDone += batch.length;
        if (rowsTotal !== null && counts.rowsDone > rowsTotal) rowsTotal = counts.rowsDone;
        const alive = await repo.reportProgress(db, jobId, { ...counts, rowsTotal }, LEASE_SECONDS);
        if (!alive) throw new Abandoned();
      };

      for (let n = await it.next(); !n.done; n = await it.next()) {
        const { rowNumber, cells } = n.value;
        if (isBlankRow(cells)) continue;
        const byField: Record<string, Cell | undefined> = {};
        for (const [i, f] of mapping.fieldAt) byField[f] = cells[i] ?? null;
        const parsed = kind.parseRow(byField, lookups);
        dataRows++;
        if (parsed.probeKey) probeKeys.set(parsed.probeKey, (probeKeys.get(parsed.probeKey) ?? 0) + 1);
        // A font's own character (造字, a private-use code point) reads as nothing elsewhere: flagged.
        for (const [field, cell] of Object.entries(byField)) {
          const pua = typeof cell === 'string' ? privateUse(cell) : null;
          if (pua) {
            parsed.record = null;
            parsed.problems.push({ field, issue: 'private_use_character', params: { char: pua } });
          }
        }
        batch.push({ rowNumber, record: parsed.record, problems: parsed.problems, raw: byField });
        // Rows come from memory as resolved promises: without a turn of the event loop now and
        // then, the batch in flight would wait for its query results until this one is parsed.
        if (batch.length % YIELD_EVERY === 0) await yieldToIo();
        if (batch.length >= BATCH) {
          // One batch is written while the next is read: PostgreSQL and this process work at once.
          if (inFlight) await inFlight;
          inFlight = flush(batch);
          inFlight.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
          batch = [];
        }
      }
      if (inFlight) await inFlight;
      await flush(batch);
      let sharing = 0;
      for (const n of probeKeys.values()) sharing = Math.max(sharing, n);
      if (sharing > PROBE_ROWS && sharing > dataRows * PROBE_SHARE) {
        await db.transaction((tx) =>
          recordAudit(
            tx,
            { ...systemContext, actorAccountId: job.createdBy },
            {
              action: 'import.probe_refused',
              targetType: 'import_job',
              targetId: jobId,
              after: { kind: kind.name, rows: dataRows, sharingOneMask: sharing },
            },
          ),
        );
        throw new FileProblem('national_id_probe', { limit: PROBE_ROWS });
      }
      if (counts.rowsDone === 0) return await fileProblem(0, [{ field: '', issue: 'no_rows' }]);
      await finish(counts.errorCount ? 'invalid' : 'preview');
    } catch (e) {
      if (e instanceof Abandoned) {
        // Discarded while being read: its rows go too. (A job taken over after a lapsed lease is left to its new owner.)
        const now = await repo.getJob(db, { kind: 'all' }, jobId);
        if (now?.status === 'discarded') await repo.clearStaged(db, jobId);
        return;
      }
      if (e instanceof FileProblem) {
        await repo.clearStaged(db, jobId);
        counts.errorCount = 0;
        counts.newCount = 0;
        counts.matchCount = 0;
        return await fileProblem(0, [
          { field: '', issue: e.issue, ...(e.params ? { params: e.params } : {}) },
        ]);
      }
      throw e;
    }
  }

  /** Validation one job at a time until none is due; several processes share the queue. */
  let draining: Promise<void> | null = null;
  let stopping = false;
  async function drain(): Promise<void> {
    while (!stopping) {
      for (const gone of await repo.failExhausted(db, MAX_VALIDATION_ATTEMPTS)) {
        await db.transaction((tx) =>
          recordAudit(tx, systemContext, {
            action: 'import.give_up',
            targetType: 'import_job',
            targetId: gone,
            after: { attempts: MAX_VALIDATION_ATTEMPTS },
          }),
        );
      }
      const id = await repo.claimValidation(db, LEASE_SECONDS, MAX_VALIDATION_ATTEMPTS);
      if (!id) return;
      try {
        await validate(id);
      } catch {
        await repo
          .transition(db, id, ['validating'], { status: 'failed', failure: 'internal', lockedUntil: null })
          .catch(() => undefined);
      }
    }
  }
  const kick = () => {
    if (draining || stopping) return draining ?? Promise.resolve();
    draining = drain()
      .catch(() => undefined)
      .finally(() => {
        draining = null;
      });
    return draining;
  };

  /** A commit whose process died leaves its job `committing` and its lock free: mark it failed, retryable. */
  async function recoverInterrupted(): Promise<number> {
    let n = 0;
    for (const id of await repo.committingJobs(db, COMMIT_GRACE_SECONDS)) {
      await db.transaction(async (tx) => {
        if (!(await repo.tryCommitLock(tx, id))) return;
        if (
          await repo.transition(tx, id, ['committing'], {
            status: 'failed',
            failure: 'interrupted',
            commitDone: 0,
          })
        ) {
          await recordAudit(tx, systemContext, {
            action: 'import.interrupted',
            targetType: 'import_job',
            targetId: id,
          });
          n++;
        }
      });
    }
    return n;
  }

  /** Removes the files and staged rows (personal data) of jobs left uncommitted too long. */
  async function purgeExpired(): Promise<void> {
    for (const id of await repo.expiredJobs(db, KEEP_DAYS)) {
      await db.transaction(async (tx) => {
        if (!(await repo.transition(tx, id, ['preview', 'invalid', 'failed'], { status: 'discarded' })))
          return;
        await repo.clearStaged(tx, id);
        await repo.deleteFile(tx, id);
        await recordAudit(tx, systemContext, {
          action: 'import.expire',
          targetType: 'import_job',
          targetId: id,
        });
      });
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> = Promise.resolve();

  return {
    /** One pass of the background work: interrupted commits, expired jobs, due validations. */
    async workDue(): Promise<void> {
      await recoverInterrupted();
      await purgeExpired();
      await kick();
    },
    recoverInterrupted,
    startWorker(intervalMs = 2000) {
      const tick = () => {
        ticking = this.workDue()
          .catch(() => undefined)
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 200);
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      timer = undefined;
      await ticking;
      await draining;
    },
    /** Waits for validation started by this process (tests). */
    idle: () => draining ?? Promise.resolve(),

    kindInfo(name: string): ImportKindInfo {
      const k = kindOf(name);
      return {
        kind: k.name,
        columns: k.columns.map((c) => ({ field: c.field, required: !!c.required, headers: c.headers })),
      };
    },

    async upload(
      ctx: RequestContext,
      actor: Actor,
      kindName: string,
      file: { fileName: string; content: Buffer },
    ): Promise<ImportJob> {
      kindOf(kindName);
      const id = newId();
      let format: 'csv' | 'xlsx' = 'csv';
      try {
        format = detectFormat(file.content);
      } catch {
        // an old .xls: stored, and reported by the validation as the file's problem
      }
      const enc = encryptBytes(deps.keys, file.content);
      await db.transaction(async (tx) => {
        await repo.insertJob(tx, {
          id,
          kind: kindName,
          status: 'uploaded',
          fileName: file.fileName.slice(0, 255),
          format,
          fileSize: file.content.length,
          agencyId: uploaderAgency(actor),
          createdBy: actor.accountId,
        });
        await repo.insertFile(tx, { jobId: id, keyId: enc.keyId, content: enc.value });
        await recordAudit(tx, ctx, {
          action: 'import.upload',
          targetType: 'import_job',
          targetId: id,
          after: { kind: kindName, fileName: file.fileName, fileSize: file.content.length },
        });
      });
      void kick();
      return toJob((await repo.getJob(db, { kind: 'all' }, id))!);
    },

    async getImport(actor: Actor, id: string): Promise<ImportJob> {
      return toJob(await jobFor(actor, id));
    },

    async listImports(actor: Actor, q: ImportListQuery): Promise<Page<ImportJob>> {
      const scope = jobScope(actor);
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const [rows, total] = await Promise.all([
        repo.listJobs(db, scope, { kind: q.kind, status: q.status, after }, q.limit),
        repo.countJobs(db, scope, q, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toJob),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    async listRows(actor: Actor, id: string, q: ImportRowQuery): Promise<Page<ImportRow>> {
      const job = await jobFor(actor, id);
      const kind = kindOf(job.kind);
      const after = decodeCursor(q.cursor, 1) as [number] | undefined;
      const [rows, total] = await Promise.all([
        repo.listStaged(db, id, { status: q.status, afterRow: after?.[0] }, q.limit + 1),
        repo.countStaged(db, id, q.status, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit).map((r): ImportRow => {
        const record = (r.record ?? {}) as Record<string, unknown>;
        const { __label, ...rest } = record;
        return {
          rowNumber: r.rowNumber,
          status: r.status,
          values: r.status === 'error' ? (rest as ImportRow['values']) : kind.display(rest),
          match:
            r.status === 'match'
              ? {
                  id: r.matchInScope ? r.matchId : null,
                  inScope: r.matchInScope,
                  label: typeof __label === 'string' ? __label : null,
                }
              : null,
        };
      });
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.rowNumber]) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    async listProblems(actor: Actor, id: string, q: ImportProblemQuery): Promise<Page<ImportProblem>> {
      await jobFor(actor, id);
      const after = decodeCursor(q.cursor, 2) as [number, number] | undefined;
      const [rows, total] = await Promise.all([
        repo.listProblems(db, id, after, q.limit + 1),
        repo.countProblems(db, id, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(({ seq: _s, params, ...p }) => ({ ...p, ...(params ? { params } : {}) })),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.rowNumber, last.seq]) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    /** The error list as a spreadsheet in the caller's language, streamed a page at a time. */
    async problemReport(actor: Actor, id: string, format: ExportFormat) {
      const job = await jobFor(actor, id);
      const kind = kindOf(job.kind);
      const locale = actor.locale;
      const label = (field: string | null) => {
        if (!field) return text(locale, 'report', 'file');
        return kind.columns.find((c) => c.field === field)?.headers[locale][0] ?? field;
      };
      async function* problems() {
        let after: [number, number] | undefined;
        for (;;) {
          const page = await repo.listProblems(db, id, after, 500);
          for (const p of page) yield p;
          if (page.length < 500) return;
          const last = page[page.length - 1]!;
          after = [last.rowNumber, last.seq];
        }
      }
      type P = Awaited<ReturnType<typeof repo.listProblems>>[number];
      const t = (k: string) => text(locale, 'report', k);
      const stream = exportStream<P>(
        format,
        [
          { header: t('row'), value: (p) => p.rowNumber },
          { header: t('field'), value: (p) => label(p.field) },
          { header: t('column'), value: (p) => p.column },
          { header: t('issue'), value: (p) => text(locale, 'issues', p.issue, p.params) },
          { header: t('value'), value: (p) => p.value },
        ],
        problems(),
        t('fileName'),
      );
      const base = job.fileName.replace(/\.[^.]+$/, '');
      return { stream, fileName: `${t('fileName')}-${base}.${format}` };
    },

    /**
     * Writes every row of a clean file in ONE transaction, with the audit rows; nothing when any
     * row fails. The job is marked `committing` first (visible to all), and the transaction holds
     * an advisory lock, so a commit whose process died is told from a running one.
     */
    async commitImport(
      ctx: RequestContext,
      actor: Actor,
      id: string,
      input: CommitImportInput,
    ): Promise<ImportJob> {
      const job = await jobFor(actor, id);
      const kind = kindOf(job.kind);
      if (job.status === 'committing')
        throw new AppError('CONFLICT', 'import in progress', { reason: 'IMPORT_BUSY' });
      if (job.status === 'invalid')
        throw new AppError('PRECONDITION_FAILED', 'the file has errors', { reason: 'IMPORT_HAS_ERRORS' });
      if (job.status !== 'preview')
        throw new AppError('PRECONDITION_FAILED', 'import not ready', {
          reason: 'IMPORT_NOT_READY',
          params: { status: job.status },
        });
      const won = await repo.transition(db, id, ['preview'], {
        status: 'committing',
        onMatch: input.onMatch,
        commitStartedAt: deps.now(),
        commitDone: 0,
      });
      if (!won) throw new AppError('CONFLICT', 'import in progress', { reason: 'IMPORT_BUSY' });
      const scope = importScope(job);
      const today = taipeiDate(deps.now());
      try {
        await db.transaction(async (tx) => {
          await repo.commitLock(tx, id);
          const totals = { created: 0, updated: 0, skipped: 0 };
          const created: string[] = [];
          const updates: AuditInput[] = [];
          let after = 0;
          if (kind.insertStaged) {
            const ids = await kind.insertStaged(tx, scope, repo.stagedNewRecords(id), today);
            totals.created += ids.length;
            created.push(...ids);
            await repo.updateJob(db, id, { commitDone: totals.created });
          }
          const statuses: ('new' | 'match')[] = kind.insertStaged ? ['match'] : ['new', 'match'];
          for (;;) {
            const batch = await repo.stagedForCommit(tx, id, after, COMMIT_BATCH, statuses);
            if (!batch.length) break;
            const result = await kind.write(
              tx,
              scope,
              batch.map((r) => {
                const { __label: _l, ...record } = (r.record ?? {}) as Record<string, unknown>;
                return {
                  rowNumber: r.rowNumber,
                  record,
                  match: r.matchId ? { id: r.matchId, inScope: r.matchInScope } : null,
                };
              }),
              input.onMatch,
              today,
            );
            totals.created += result.created.length;
            totals.updated += result.updated.length;
            totals.skipped += result.skipped;
            created.push(...result.created);
            for (const u of result.updated) {
              updates.push({
                action: `${kind.targetType}.update`,
                targetType: kind.targetType,
                targetId: u.id,
                before: u.before,
                after: { ...u.after, importId: id },
              });
            }
            after = batch[batch.length - 1]!.rowNumber;
            // Progress on another connection: the transaction itself is invisible until it ends.
            await repo.updateJob(db, id, { commitDone: totals.created + totals.updated + totals.skipped });
          }
          // One summary row, the created ids in chunks, and each updated record's masked before/after.
          const chunks: AuditInput[] = [];
          for (let i = 0; i < created.length; i += 5000) {
            chunks.push({
              action: `${kind.targetType}.import`,
              targetType: kind.targetType,
              after: { importId: id, created: created.slice(i, i + 5000) },
            });
          }
          await recordAudit(tx, ctx, {
            action: 'import.commit',
            targetType: 'import_job',
            targetId: id,
            after: { kind: kind.name, fileName: job.fileName, onMatch: input.onMatch, ...totals },
          });
          await recordAuditMany(tx, ctx, [...chunks, ...updates]);
          await repo.clearStaged(tx, id);
          await repo.deleteFile(tx, id);
          await repo.updateJob(tx, id, {
            status: 'committed',
            committedAt: deps.now(),
            createdCount: totals.created,
            updatedCount: totals.updated,
            skippedCount: totals.skipped,
            commitDone: totals.created + totals.updated + totals.skipped,
            failure: null,
          });
        });
      } catch (e) {
        const code = pgError(e).code;
        const stale = code === '23505' || code === '23503';
        await repo
          .transition(db, id, ['committing'], {
            status: 'failed',
            failure: stale ? 'stale' : 'internal',
            commitDone: 0,
          })
          .catch(() => undefined);
        if (stale)
          throw new AppError('CONFLICT', 'records changed since the preview', { reason: 'IMPORT_STALE' });
        throw e;
      }
      return toJob(await jobFor(actor, id));
    },

    /** A failed job is validated again from its stored file (fresh matches), then can be committed. */
    async retryImport(ctx: RequestContext, actor: Actor, id: string): Promise<ImportJob> {
      const job = await jobFor(actor, id);
      if (!retryable(job))
        throw new AppError('PRECONDITION_FAILED', 'import not retryable', {
          reason: 'IMPORT_NOT_READY',
          params: { status: job.status },
        });
      await db.transaction(async (tx) => {
        const ok = await repo.transition(tx, id, ['failed'], {
          status: 'uploaded',
          failure: null,
          rowsDone: 0,
          newCount: 0,
          matchCount: 0,
          errorCount: 0,
          commitDone: 0,
          onMatch: null,
          attempts: 0,
        });
        if (!ok) throw new AppError('CONFLICT', 'import in progress', { reason: 'IMPORT_BUSY' });
        await recordAudit(tx, ctx, { action: 'import.retry', targetType: 'import_job', targetId: id });
      });
      void kick();
      return toJob(await jobFor(actor, id));
    },

    /** Drops an uncommitted job with its file and staged rows. */
    async discardImport(ctx: RequestContext, actor: Actor, id: string): Promise<ImportJob> {
      const job = await jobFor(actor, id);
      await db.transaction(async (tx) => {
        const ok = await repo.transition(tx, id, ['uploaded', 'validating', 'preview', 'invalid', 'failed'], {
          status: 'discarded',
          lockedUntil: null,
        });
        if (!ok)
          throw new AppError('PRECONDITION_FAILED', 'import cannot be discarded', {
            reason: 'IMPORT_NOT_READY',
            params: { status: job.status },
          });
        await repo.clearStaged(tx, id);
        await repo.deleteFile(tx, id);
        await recordAudit(tx, ctx, { action: 'import.discard', targetType: 'import_job', targetId: id });
      });
      return toJob(await jobFor(actor, id));
    },
  };
}
export type ImportsService = ReturnType<typeof createImportsService>;

class Abandoned extends Error {}
