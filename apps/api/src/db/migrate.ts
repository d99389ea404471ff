import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any fixed number; every app process that migrates takes the same advisory lock. */
const MIGRATION_LOCK = 724_019_001;

/** Applies pending migrations under a session advisory lock, so concurrent starts migrate once. */
export async function runMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

type Journal = { entries: { idx: number; when: number; tag: string }[] };

/** The tag of the newest applied migration (e.g. `0000_core`) and how many are applied. */
export async function schemaVersion(pool: pg.Pool): Promise<{ version: string | null; applied: number }> {
  try {
    const r = await pool.query<{ last: string | null; n: number }>(
      'select max(created_at)::text as last, count(*)::int as n from drizzle.__drizzle_migrations',
    );
    const row = r.rows[0];
    const journal = JSON.parse(
      readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8'),
    ) as Journal;
    const entry = journal.entries.find((e) => String(e.when) === row?.last);
    return { version: entry?.tag ?? null, applied: row?.n ?? 0 };
  } catch {
    return { version: null, applied: 0 };
  }
}
