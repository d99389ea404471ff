import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import pg from 'pg';
import { MIGRATIONS_DIR, runMigrations, schemaVersion } from './migrate.ts';

/**
 * A logical snapshot of the platform database in one gzip file of JSON lines.
 *
 * Line 1 is the manifest (`SnapshotHeader`): format version, schema version, time, every table
 * with its columns, row count and SHA-256, the sequences, and the SHA-256 of the body. The body
 * follows: for each table a marker line `{"table":"schema.name"}`, then one line per row, a JSON
 * array of the columns' PostgreSQL text forms (null for NULL), in primary-key order. Text forms
 * are what COPY uses, read with fixed session settings (UTC, ISO dates, exact floats), so every
 * type round-trips exactly. The manifest is written last as its own gzip member in front of the
 * body (gzip readers join members), so the body streams and the header still carries checksums.
 */
export const SNAPSHOT_FORMAT = 'dtp-snapshot';
export const SNAPSHOT_FORMAT_VERSION = 1;

export type SnapshotColumn = { name: string; type: string };
export type SnapshotTable = {
  name: string; // schema.table, both unquoted
  schema: string;
  table: string;
  columns: SnapshotColumn[];
  /** The ordering of rows: primary-key columns, or empty for "whole row as text". */
  orderBy: string[];
  rows: number;
  sha256: string;
};
export type SnapshotSequence = {
  name: string;
  schema: string;
  sequence: string;
  lastValue: string;
  isCalled: boolean;
};
export type SnapshotHeader = {
  format: typeof SNAPSHOT_FORMAT;
  formatVersion: number;
  createdAt: string;
  schemaVersion: string | null;
  migrationsApplied: number;
  serverVersion: string;
  tables: SnapshotTable[];
  sequences: SnapshotSequence[];
  /** Key ids found in `*_key_id` columns: the data needs these field-encryption keys to be readable. */
  keyIds: string[];
  /** The `field_keys` rows (key id → fingerprint): restore checks the key on hand against them. */
  keyFingerprints?: Record<string, string>;
  bodyBytes: number;
  bodySha256: string;
};

export class SnapshotError extends Error {}

const MIGRATIONS_TABLE = 'drizzle.__drizzle_migrations';
const FETCH_ROWS = 1000;
const INSERT_ROWS = 1000;
const INSERT_BYTES = 8 * 1024 * 1024;

/** Session settings that fix the text form of every value (dates, floats, intervals, bytea). */
const TEXT_SETTINGS = [
  "set local timezone = 'UTC'",
  "set local datestyle = 'ISO, YMD'",
  "set local intervalstyle = 'postgres'",
  'set local extra_float_digits = 3',
  "set local bytea_output = 'hex'",
  'set local statement_timeout = 0',
].join('; ');

/** Every value comes back as PostgreSQL's own text, untouched by node-postgres' parsers. */
const rawText = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;
const ident = (schema: string, name: string) => `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`;

type TableInfo = Omit<SnapshotTable, 'rows' | 'sha256'> & {
  collatable: Set<string>;
  hasInsertTriggers: boolean;
};

/** Tables of every schema the app owns (all but the system's and extensions'), with their columns. */
async function listTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const r = await client.query<{
    schema: string;
    table: string;
    columns: { name: string; type: string; collatable: boolean }[];
    pk: string[] | null;
    insert_triggers: boolean;
  }>(`
    select n.nspname as schema, c.relname as table,
      (select json_agg(json_build_object('name', a.attname::text, 'type', format_type(a.atttypid, a.atttypmod),
                'collatable', a.attcollation <> 0) order by a.attnum)
         from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns,
      (select array_agg(a.attname::text order by k.ord)
         from pg_constraint p
         cross join lateral unnest(p.conkey) with ordinality as k(attnum, ord)
         join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where p.conrelid = c.oid and p.contype = 'p') as pk,
      exists (select 1 from pg_trigger t where t.tgrelid = c.oid and not t.tgisinternal
                and (t.tgtype & 4) <> 0) as insert_triggers
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r'
      and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
    order by n.nspname, c.relname`);
  return r.rows.map((t) => ({
    name: `${t.schema}.${t.table}`,
    schema: t.schema,
    table: t.table,
    columns: t.columns.map(({ name, type }) => ({ name, type })),
    orderBy: t.pk ?? [],
    collatable: new Set(t.columns.filter((c) => c.collatable).map((c) => c.name)),
    hasInsertTriggers: t.insert_triggers,
  }));
}

/** The ordering both ends use; collatable keys sort bytewise so servers with other collations agree. */
function orderClause(t: Pick<TableInfo, 'orderBy' | 'collatable'>): string {
  if (t.orderBy.length === 0) return `order by (t.*)::text collate "C"`;
  return `order by ${t.orderBy
    .map((c) => `t.${pg.escapeIdentifier(c)}${t.collatable.has(c) ? ' collate "C"' : ''}`)
    .join(', ')}`;
}

/** Streams one table's rows, in order, as JSON-array lines; the caller consumes each batch. */
async function readTable(
  client: pg.ClientBase,
  t: TableInfo,
  onBatch: (text: string, rows: number) => Promise<void> | void,
): Promise<void> {
  const cols = t.columns.map((c) => `t.${pg.escapeIdentifier(c.name)}`).join(', ');
  const cursor = `dtp_snapshot_${Math.random().toString(36).slice(2)}`;
  await client.query(
    `declare ${cursor} no scroll cursor for select ${cols} from ${ident(t.schema, t.table)} t ${orderClause(t)}`,
  );
  try {
    for (;;) {
      const r = await client.query({
        text: `fetch ${FETCH_ROWS} from ${cursor}`,
        rowMode: 'array',
        types: rawText,
      });
      if (r.rows.length === 0) break;
      let text = '';
      for (const row of r.rows as unknown[][]) text += `${JSON.stringify(row)}\n`;
      await onBatch(text, r.rows.length);
      if (r.rows.length < FETCH_ROWS) break;
    }
  } finally {
    await client.query(`close ${cursor}`);
  }
}

async function readSequences(client: pg.ClientBase): Promise<SnapshotSequence[]> {
  const seqs = await client.query<{ schema: string; sequence: string }>(`
    select n.nspname as schema, c.relname as sequence
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'S'
      and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
    order by 1, 2`);
  const out: SnapshotSequence[] = [];
  for (const s of seqs.rows) {
    const v = await client.query<{ last_value: string; is_called: boolean }>({
      text: `select last_value::text as last_value, is_called from ${ident(s.schema, s.sequence)}`,
      types: rawText,
    });
    const row = v.rows[0]!;
    out.push({
      name: `${s.schema}.${s.sequence}`,
      schema: s.schema,
      sequence: s.sequence,
      lastValue: row.last_value,
      isCalled: String(row.is_called) === 't' || String(row.is_called) === 'true',
    });
  }
  return out;
}

async function readKeyIds(client: pg.ClientBase, tables: TableInfo[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const t of tables) {
    for (const c of t.columns.filter((c) => c.name.endsWith('key_id'))) {
      const col = pg.escapeIdentifier(c.name);
      const r = await client.query<{ k: string }>(
        `select distinct ${col}::text as k from ${ident(t.schema, t.table)} where ${col} is not null`,
      );
      for (const row of r.rows) ids.add(row.k);
    }
  }
  return [...ids].sort();
}

async function readKeyFingerprints(
  client: pg.ClientBase,
  tables: TableInfo[],
): Promise<Record<string, string>> {
  if (!tables.some((t) => t.name === 'public.field_keys')) return {};
  const r = await client.query<{ id: string; fingerprint: string }>(
    'select id, fingerprint from public.field_keys order by id',
  );
  return Object.fromEntries(r.rows.map((row) => [row.id, row.fingerprint]));
}

async function write(stream: NodeJS.WritableStream, chunk: string | Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

export type BackupResult = { file: string; header: SnapshotHeader; bytes: number; ms: number };

/**
 * Writes a consistent snapshot of the database behind `pool` to `file`: one REPEATABLE READ READ
 * ONLY transaction, rows streamed through a cursor per table. The file appears only when complete.
 */
export async function backupDatabase(pool: pg.Pool, file: string): Promise<BackupResult> {
  const started = Date.now();
  const version = await schemaVersion(pool);
  if (version.applied === 0) {
    throw new SnapshotError(
      'Nothing to back up: this database has no platform schema (the app never started on it).',
    );
  }
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const bodyFile = `${file}.body.partial`;
  const partial = `${file}.partial`;
  const client = await pool.connect();
  let gzip: zlib.Gzip | undefined;
  try {
    await client.query('begin transaction isolation level repeatable read read only');
    try {
      await client.query(TEXT_SETTINGS); // the snapshot is taken here, at the first statement
      const snapshotAt = new Date().toISOString();
      const serverVersion = (
        await client.query<{ v: string }>(`select current_setting('server_version') as v`)
      ).rows[0]!.v;
      const tables = await parentsFirstOrder(client, await listTables(client));
      const bodyHash = createHash('sha256');
      let bodyBytes = 0;
      gzip = zlib.createGzip({ level: 6 });
      const out = fs.createWriteStream(bodyFile, { mode: 0o600 });
      const piping = pipeline(gzip, out);
      piping.catch(() => {}); // awaited below; on an early failure the stream is destroyed instead
      const emit = async (text: string) => {
        const buf = Buffer.from(text, 'utf8');
        bodyHash.update(buf);
        bodyBytes += buf.length;
        await write(gzip!, buf);
      };
      const done: SnapshotTable[] = [];
      for (const t of tables) {
        await emit(`${JSON.stringify({ table: t.name })}\n`);
        const hash = createHash('sha256');
        let rows = 0;
        await readTable(client, t, async (text, n) => {
          hash.update(text, 'utf8');
          rows += n;
          await emit(text);
        });
        done.push({
          name: t.name,
          schema: t.schema,
          table: t.table,
          columns: t.columns,
          orderBy: t.orderBy,
          rows,
          sha256: hash.digest('hex'),
        });
      }
      gzip.end();
      await piping;
      const migrations = done.find((t) => t.name === MIGRATIONS_TABLE)?.rows ?? 0;
      if (migrations !== version.applied) {
        throw new SnapshotError('A migration ran while the backup started; run the backup again.');
      }
      const header: SnapshotHeader = {
        format: SNAPSHOT_FORMAT,
        formatVersion: SNAPSHOT_FORMAT_VERSION,
        createdAt: snapshotAt,
        schemaVersion: version.version,
        migrationsApplied: version.applied,
        serverVersion,
        tables: done,
        sequences: await readSequences(client),
        keyIds: await readKeyIds(client, tables),
        keyFingerprints: await readKeyFingerprints(client, tables),
        bodyBytes,
        bodySha256: bodyHash.digest('hex'),
      };
      await client.query('commit');
      // The header goes in front as its own gzip member; then the body's member is appended as is.
      fs.writeFileSync(partial, zlib.gzipSync(`${JSON.stringify(header)}\n`), { mode: 0o600 });
      await pipeline(fs.createReadStream(bodyFile), fs.createWriteStream(partial, { flags: 'a' }));
      fs.renameSync(partial, file);
      return { file, header, bytes: fs.statSync(file).size, ms: Date.now() - started };
    } catch (e) {
      gzip?.destroy();
      await client.query('rollback').catch(() => {});
      throw e;
    }
  } finally {
    client.release();
    fs.rmSync(bodyFile, { force: true });
    fs.rmSync(partial, { force: true });
  }
}

/** Lines of a gzip'd file as Buffers (without the newline), read in chunks. */
async function* lines(file: string): AsyncGenerator<Buffer> {
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let at = 0;
    for (let nl = buf.indexOf(10, at); nl !== -1; nl = buf.indexOf(10, at)) {
      yield buf.subarray(at, nl);
      at = nl + 1;
    }
    buf = buf.subarray(at);
    rest = Buffer.from(buf);
  }
  if (rest.length) yield rest;
}

/** Reads only the manifest line of a snapshot file. */
export async function readSnapshotHeader(file: string): Promise<SnapshotHeader> {
  if (!fs.existsSync(file)) throw new SnapshotError(`No such file: ${file}`);
  const it = lines(file);
  let first: Buffer | undefined;
  try {
    first = (await it.next()).value as Buffer | undefined;
  } catch (e) {
    throw new SnapshotError(`${file} is not a platform snapshot (not gzip: ${(e as Error).message})`);
  } finally {
    await it.return(undefined);
  }
  let header: SnapshotHeader;
  try {
    header = JSON.parse(first?.toString('utf8') ?? '') as SnapshotHeader;
  } catch {
    throw new SnapshotError(`${file} is not a platform snapshot (no manifest line)`);
  }
  if (header.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`${file} is not a platform snapshot`);
  if (header.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw new SnapshotError(
      `${file} is snapshot format ${header.formatVersion}; this release reads format ${SNAPSHOT_FORMAT_VERSION}`,
    );
  }
  return header;
}

/** The newest migration this code base ships (the schema a restore will create). */
export function codeSchemaVersion(): string | null {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.at(-1)?.tag ?? null;
}

/** Rows in any app table other than the migrations table: a restore only goes into an empty database. */
export async function nonEmptyTables(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  try {
    const tables = await listTables(client);
    const found: string[] = [];
    for (const t of tables) {
      if (t.name === MIGRATIONS_TABLE) continue;
      const r = await client.query(`select 1 from ${ident(t.schema, t.table)} limit 1`);
      if (r.rowCount) found.push(t.name);
    }
    return found;
  } finally {
    client.release();
  }
}

/** Foreign-key edges between the given tables (child → its parents, self-references included). */
async function foreignKeys(client: pg.ClientBase, names: string[]): Promise<Map<string, Set<string>>> {
  const r = await client.query<{ child: string; parent: string }>(`
    select cn.nspname || '.' || c.relname as child, pn.nspname || '.' || p.relname as parent
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_namespace cn on cn.oid = c.relnamespace
    join pg_class p on p.oid = k.confrelid join pg_namespace pn on pn.oid = p.relnamespace
    where k.contype = 'f'`);
  const wanted = new Set(names);
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const { child, parent } of r.rows) {
    if (wanted.has(child) && wanted.has(parent)) parents.get(child)!.add(parent);
  }
  return parents;
}

/** Tables ordered parents first (a stable topological sort); members of a cycle keep their place. */
async function parentsFirstOrder<T extends { name: string }>(
  client: pg.ClientBase,
  tables: T[],
): Promise<T[]> {
  const parents = await foreignKeys(
    client,
    tables.map((t) => t.name),
  );
  const byName = new Map(tables.map((t) => [t.name, t]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: T[] = [];
  const visit = (n: string) => {
    if (state.has(n)) return; // done, or a cycle: the restore detects and handles it
    state.set(n, 'visiting');
    for (const p of parents.get(n) ?? []) visit(p);
    state.set(n, 'done');
    order.push(byName.get(n)!);
  };
  for (const t of tables) visit(t.name);
  return order;
}

/** Whether loading tables in this order meets every foreign key (no cycle, no self-reference). */
async function parentsFirst(client: pg.ClientBase, names: string[]): Promise<boolean> {
  const parents = await foreignKeys(client, names);
  const seen = new Set<string>();
  for (const n of names) {
    for (const p of parents.get(n) ?? []) if (!seen.has(p)) return false;
    seen.add(n);
  }
  return true;
}

export type RestoreResult = { tables: number; rows: number; ms: number };

/**
 * Loads a snapshot into the empty database behind `pool`: refuses one with rows, migrates it, checks
 * the schema version, then loads in one transaction (tables parents first, sequences set) and reads
 * every table back to compare with the manifest's row count and SHA-256 before it commits.
 */
export async function restoreDatabase(
  pool: pg.Pool,
  file: string,
  log: (m: string) => void = () => {},
): Promise<RestoreResult> {
  const started = Date.now();
  const header = await readSnapshotHeader(file);
  const mismatch = (here: string | null, what: string) =>
    new SnapshotError(
      `Schema mismatch: the snapshot is schema ${header.schemaVersion ?? 'none'}, ${what} ${here ?? 'none'}. ` +
        'Restore with the release that made the snapshot, then upgrade.',
    );
  const ours = codeSchemaVersion();
  if (header.schemaVersion !== ours) throw mismatch(ours, 'this release creates');
  const busy = await nonEmptyTables(pool);
  if (busy.length) {
    throw new SnapshotError(
      `The target database is not empty (rows in ${busy.slice(0, 5).join(', ')}${busy.length > 5 ? ', …' : ''}). ` +
        'Restore only into an empty database: a new DATA_DIR, or a new database in DATABASE_URL.',
    );
  }
  await runMigrations(pool);
  const target = await schemaVersion(pool);
  if (target.version !== header.schemaVersion) throw mismatch(target.version, 'this database is');
  // Rows present now were written by the migrations themselves (reference data); the snapshot's replace them.
  const seeded = await nonEmptyTables(pool);
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      await client.query(TEXT_SETTINGS);
      const present = new Map((await listTables(client)).map((t) => [t.name, t]));
      for (const t of header.tables) {
        const here = present.get(t.name);
        const same =
          here &&
          here.columns.length === t.columns.length &&
          here.columns.every((c, i) => c.name === t.columns[i]!.name && c.type === t.columns[i]!.type);
        if (!same) {
          throw new SnapshotError(
            `Table ${t.name} ${here ? 'has other columns here than in the snapshot' : 'does not exist here'}; ` +
              'the schema differs although the version matches.',
          );
        }
      }
      // The backup wrote parents before children; anything else (a cycle, a self-reference) loads with
      // triggers, and so foreign-key checks, off for this transaction, as pg_restore does.
      if (
        !(await parentsFirst(
          client,
          header.tables.map((t) => t.name),
        ))
      ) {
        await client.query('set local session_replication_role = replica').catch((e: Error) => {
          throw new SnapshotError(
            `This snapshot has cyclic foreign keys; restoring it needs a superuser: ${e.message}`,
          );
        });
      }
      const byName = new Map(header.tables.map((t) => [t.name, t]));
      for (const t of [...header.tables].reverse()) {
        if (t.name === MIGRATIONS_TABLE || seeded.includes(t.name)) {
          await client.query(`delete from ${ident(t.schema, t.table)}`);
        }
      }
      // User triggers that fire on INSERT would change what we load; they are off until commit.
      const triggered = header.tables.filter((t) => present.get(t.name)!.hasInsertTriggers);
      for (const t of triggered)
        await client.query(`alter table ${ident(t.schema, t.table)} disable trigger user`);

      const bodyHash = createHash('sha256');
      let bodyBytes = 0;
      let current: SnapshotTable | undefined;
      let batch: string[] = [];
      let batchBytes = 0;
      let loaded = 0;
      const flush = async () => {
        if (!current || batch.length === 0) return;
        await insertRows(client, current, batch);
        loaded += batch.length;
        batch = [];
        batchBytes = 0;
      };
      let lineNo = 0;
      for await (const line of lines(file)) {
        if (++lineNo === 1) continue; // the manifest
        bodyHash.update(line);
        bodyHash.update('\n');
        bodyBytes += line.length + 1;
        if (line[0] === 0x7b /* { */) {
          await flush();
          const name = (JSON.parse(line.toString('utf8')) as { table: string }).table;
          current = byName.get(name);
          if (!current)
            throw new SnapshotError(`The snapshot body names a table missing from its manifest: ${name}`);
          continue;
        }
        if (!current) throw new SnapshotError('The snapshot body has rows before any table marker');
        batch.push(line.toString('utf8'));
        batchBytes += line.length;
        if (batch.length >= INSERT_ROWS || batchBytes >= INSERT_BYTES) await flush();
      }
      await flush();
      if (bodyBytes !== header.bodyBytes || bodyHash.digest('hex') !== header.bodySha256) {
        throw new SnapshotError(`${file} is damaged: its body does not match the manifest's checksum`);
      }
      for (const s of header.sequences) {
        await client.query('select setval($1::regclass, $2::bigint, $3)', [
          ident(s.schema, s.sequence),
          s.lastValue,
          s.isCalled,
        ]);
      }
      for (const t of triggered)
        await client.query(`alter table ${ident(t.schema, t.table)} enable trigger user`);
      // Read everything back as the backup did and compare before committing.
      for (const t of header.tables) {
        const info = present.get(t.name)!;
        const hash = createHash('sha256');
        let rows = 0;
        await readTable(client, { ...info, columns: t.columns }, (text, n) => {
          hash.update(text, 'utf8');
          rows += n;
        });
        if (rows !== t.rows || hash.digest('hex') !== t.sha256) {
          throw new SnapshotError(
            `Verification failed for ${t.name}: ${rows} rows restored, ${t.rows} in the snapshot, or contents differ`,
          );
        }
      }
      await client.query('commit');
      log(`Restored ${loaded} rows in ${header.tables.length} tables; counts and checksums verified.`);
      return { tables: header.tables.length, rows: loaded, ms: Date.now() - started };
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    }
  } finally {
    client.release();
  }
}

/** One batch of JSON-array lines into the table: one array per column, cast from text by unnest. */
async function insertRows(client: pg.ClientBase, t: SnapshotTable, lines: string[]): Promise<void> {
  const width = t.columns.length;
  const arrays: (string | null)[][] = t.columns.map(() => new Array<string | null>(lines.length));
  lines.forEach((line, r) => {
    const row = JSON.parse(line) as (string | null)[];
    if (row.length !== width)
      throw new SnapshotError(`A row of ${t.name} has ${row.length} values, not ${width}`);
    for (let c = 0; c < width; c++) arrays[c]![r] = row[c]!;
  });
  const params = t.columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const alias = t.columns.map((_, i) => `c${i}`).join(', ');
  const cols = t.columns.map((c) => pg.escapeIdentifier(c.name)).join(', ');
  const casts = t.columns.map((c, i) => `u.c${i}::${c.type}`).join(', ');
  await client.query(
    `insert into ${ident(t.schema, t.table)} (${cols}) overriding system value ` +
      `select ${casts} from unnest(${params}) as u(${alias})`,
    arrays,
  );
}
