import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { createHash } from 'node:crypto';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';

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
  close(): Promise<void>;
};

// timestamptz and date come back as strings we convert deliberately, never as local-time Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Statements a connection keeps prepared, at most: past this, new statements run unnamed. */
const PREPARED_PER_CONNECTION = 400;

/**
 * A client that prepares every parameterised statement once per connection (named by a hash of
 * its text), so PostgreSQL parses it once and may reuse its plan (decision 013). Statements
 * without parameters (migrations, DDL, several statements in one text) run as before.
 */
class PreparingClient extends pg.Client {
  readonly #prepared = new Set<string>();
  // pg's overloads are many; this one override passes every form through unchanged but one.
  override query(...args: unknown[]): never {
    const [config, second] = args;
    const values = Array.isArray(second)
      ? second
      : config && typeof config === 'object' && 'values' in config
        ? config.values
        : undefined;
    if (
      config &&
      typeof config === 'object' &&
      'text' in config &&
      typeof config.text === 'string' &&
      !('name' in config && config.name) &&
      Array.isArray(values) &&
      values.length > 0
    ) {
      const name = `dtp_${createHash('sha1').update(config.text).digest('base64url')}`;
      if (this.#prepared.has(name) || this.#prepared.size < PREPARED_PER_CONNECTION) {
        this.#prepared.add(name);
        args[0] = { ...config, name };
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

export function connect(
  url: string,
  poolSize: number,
  mode: Database['mode'],
  onClose?: () => Promise<void>,
): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: 'digital-talent-platform',
    Client: PreparingClient,
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
    async close() {
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
