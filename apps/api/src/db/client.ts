import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { createHash } from 'node:crypto';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';
import { createChangeFeed, type ChangeFeed } from './changes.ts';

export type Schema = typeof schema;
export type Db = NodePgDatabase<Schema>;
/** A transaction handle; repositories accept `Db | Tx`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  pool: pg.Pool;
  mode: 'embedded' | 'external';
  url: string;
  /** Which tables changed: started by the app (buildApp), stopped by `close` (decision 014). */
  changes: ChangeFeed;
  close(): Promise<void>;
};

// timestamptz and date come back as strings we convert deliberately, never as local-time Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Statements a connection keeps prepared, at most: past this, new statements run unnamed. */
const PREPARED_PER_CONNECTION = 400;

/** What a statement does to the tables a cache reads (decision 014): read, a write to one table, … */
type Effect = 'read' | 'begin' | 'commit' | 'rollback' | 'unknown' | { table: string };
const READS = /^\s*(?:select|set|show|savepoint|release|explain|listen|unlisten|values|rollback\s+to)\b/i;
const WRITE =
  /^\s*(?:insert\s+into|update|delete\s+from)\s+(?:only\s+)?(?:"?public"?\.)?"?([A-Za-z_][A-Za-z0-9_]*)"?/i;
export function statementEffect(text: string): Effect {
  if (READS.test(text)) return 'read';
  const write = WRITE.exec(text);
  if (write) return { table: write[1]!.toLowerCase() };
  if (/^\s*(?:begin|start\s+transaction)\b/i.test(text)) return 'begin';
  if (/^\s*(?:commit|end)\b/i.test(text)) return 'commit';
  if (/^\s*(?:rollback|abort)\b/i.test(text)) return 'rollback';
  return 'unknown'; // DDL, COPY, a data-modifying WITH, …: taken as a change to every table
}

/**
 * The pool's client class. It prepares every parameterised statement once per connection (named
 * by a hash of its text), so PostgreSQL parses it once and may reuse its plan (decision 013);
 * statements without parameters (migrations, DDL, several statements in one text) run as before.
 * It also tells the change feed which tables this process's writes changed, once they commit.
 */
function preparingClient(changes: ChangeFeed) {
  return class PreparingClient extends pg.Client {
    readonly #prepared = new Set<string>();
    #inTransaction = false;
    /** Tables written in the open transaction; null: an unknown statement (every table). */
    #written: Set<string> | null = new Set();

    #after(effect: Effect, ok: boolean): void {
      if (effect === 'begin') {
        this.#inTransaction = ok;
        this.#written = new Set();
      } else if (effect === 'commit' || effect === 'rollback') {
        if (effect === 'commit' && ok) changes.changed(this.#written ?? undefined);
        this.#inTransaction = false;
        this.#written = new Set();
      } else if (ok && effect !== 'read') {
        const table = effect === 'unknown' ? null : effect.table;
        if (this.#inTransaction) {
          if (table === null) this.#written = null;
          else this.#written?.add(table);
        } else changes.changed(table === null ? undefined : [table]);
      }
    }

    // pg's overloads are many; this one override passes every form through unchanged but two.
    override query(...args: unknown[]): never {
      const [config, second] = args;
      const values = Array.isArray(second)
        ? second
        : config && typeof config === 'object' && 'values' in config
          ? config.values
          : undefined;
      const text =
        typeof config === 'string'
          ? config
          : config && typeof config === 'object' && 'text' in config && typeof config.text === 'string'
            ? config.text
            : undefined;
      if (
        text !== undefined &&
        typeof config === 'object' &&
        !('name' in config! && config.name) &&
        Array.isArray(values) &&
        values.length > 0
      ) {
        const name = `dtp_${createHash('sha1').update(text).digest('base64url')}`;
        if (this.#prepared.has(name) || this.#prepared.size < PREPARED_PER_CONNECTION) {
          this.#prepared.add(name);
          args[0] = { ...config, name };
        }
      }
      const effect = text === undefined ? 'read' : statementEffect(text);
      if (effect === 'read') return (super.query as (...a: unknown[]) => never)(...args);
      if (typeof (config as { submit?: unknown }).submit === 'function') {
        // A submittable (COPY … FROM STDIN, a cursor): it ends with an event, not a promise.
        const stream = config as NodeJS.EventEmitter;
        let done = false;
        const end = (ok: boolean) => () => {
          if (!done) this.#after(effect, ok);
          done = true;
        };
        stream.once('finish', end(true));
        stream.once('end', end(true));
        stream.once('error', end(false));
        return (super.query as (...a: unknown[]) => never)(...args);
      }
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (err: unknown, res: unknown) => {
          this.#after(effect, !err);
          (last as (e: unknown, r: unknown) => void)(err, res);
        };
        return (super.query as (...a: unknown[]) => never)(...args);
      }
      const result = (super.query as (...a: unknown[]) => Promise<unknown>)(...args);
      return result.then(
        (r) => {
          this.#after(effect, true);
          return r;
        },
        (e: unknown) => {
          this.#after(effect, false);
          throw e;
        },
      ) as never;
    }
  };
}

export function connect(
  url: string,
  poolSize: number,
  mode: Database['mode'],
  onClose?: () => Promise<void>,
): Database {
  const changes = createChangeFeed(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: 'digital-talent-platform',
    Client: preparingClient(changes),
  });
  pool.on('error', () => {
    /* an idle client lost its server; the pool replaces it */
  });
  const db = drizzle(pool, { schema });
  return {
    db,
    pool,
    mode,
    url,
    changes,
    async close() {
      await changes.stop();
      await pool.end();
      await onClose?.();
    },
  };
}

/** The server in DATABASE_URL cannot be used; the message says where it looked, never the password. */
export class DatabaseUnavailableError extends Error {}

async function checkReachable(database: Database, url: string): Promise<void> {
  try {
    await database.pool.query('select 1');
  } catch (e) {
    await database.pool.end().catch(() => undefined);
    const u = new URL(url);
    const where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
    const reason = e instanceof Error ? e.message : String(e);
    throw new DatabaseUnavailableError(
      `Cannot use the PostgreSQL server in DATABASE_URL (${where}): ${reason}. Check that it runs and ` +
        'that the user, password and database in the URL are right, or unset DATABASE_URL to use the ' +
        'embedded server.',
      { cause: e },
    );
  }
}

/** Starts embedded PostgreSQL when `databaseUrl` is unset; otherwise connects to that server. */
export async function createDb(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize: number;
  log?: (m: string) => void;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const database = connect(opts.databaseUrl, opts.poolSize, 'external');
    await checkReachable(database, opts.databaseUrl);
    return database;
  }
  const server: EmbeddedServer = await startEmbeddedPostgres({ dataDir: opts.dataDir, log: opts.log });
  try {
    await ensureDatabase(server.url, 'dtp');
  } catch (e) {
    await server.stop();
    throw e;
  }
  const url = server.url.replace(/\/postgres$/, '/dtp');
  return connect(url, opts.poolSize, 'embedded', () => server.stop());
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      const tpl = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
      await client.query(
        `CREATE DATABASE ${pg.escapeIdentifier(name)}${tpl} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
      );
    }
  } catch (e) {
    // A server whose locales lack C.UTF-8 still gets a UTF-8 database.
    if ((e as { code?: string }).code === '22023' || (e as { code?: string }).code === '42704') {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} ENCODING 'UTF8' TEMPLATE template0`);
    } else throw e;
  } finally {
    await client.end();
  }
}
