import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.ts';
import { connect, ensureDatabase } from '../src/db/client.ts';
import { prepareDatabase } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { keyRingFrom } from '../src/lib/crypto.ts';
import './provided.ts';

/**
 * The embedded server keeps its cluster in the temp directory between runs (initdb once). A run
 * already using a directory holds its lock, so a concurrent run takes the next slot.
 */
async function startSharedEmbedded(): Promise<EmbeddedServer> {
  for (let slot = 0; ; slot++) {
    const dataDir = path.join(os.tmpdir(), slot === 0 ? 'dtp-test-pg' : `dtp-test-pg-${slot}`);
    try {
      return await startEmbeddedPostgres({ dataDir, log: () => {} });
    } catch (e) {
      const busy = e instanceof EmbeddedPostgresError && /already using the data directory/.test(e.message);
      if (!busy || slot >= 8) throw e;
    }
  }
}

/** Replaces the database name in a postgres:// URL. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Once per run: a PostgreSQL server (DATABASE_URL when set, else the embedded one), a template
 * database migrated and given its reference data once (`prepareDatabase`, as at every start), and
 * its name handed to test files, which each copy it with `CREATE DATABASE … TEMPLATE`. Teardown
 * drops every database this run made; setup drops those left by runs that were killed.
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  let server: EmbeddedServer | undefined;
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    server = await startSharedEmbedded();
    adminUrl = server.url;
  }
  await dropLeftovers(adminUrl);
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const template = `dtp_tpl_${runId}`;
  try {
    await ensureDatabase(adminUrl, template);
    // Migrations and the reference data every real database gets at start (counties, programme, …).
    const database = connect(withDatabase(adminUrl, template), 2, external ? 'external' : 'embedded');
    const key = randomBytes(32).toString('base64');
    const config = loadConfig({
      NODE_ENV: 'test',
      DEMO: 'false',
      FIELD_ENCRYPTION_KEY: key,
      DATA_DIR: os.tmpdir(),
    });
    try {
      await prepareDatabase({ config, database, keys: keyRingFrom(key), now: () => new Date() });
    } finally {
      await database.close();
    }
  } catch (e) {
    await server?.stop();
    throw e;
  }

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  project.provide('pgRunId', runId);
  project.provide('pgMode', external ? 'external' : 'embedded');

  return async () => {
    try {
      await dropDatabases(adminUrl, (name) => name === template || name.startsWith(`dtp_t_${runId}_`));
    } finally {
      await server?.stop();
    }
  };
}

async function dropDatabases(adminUrl: string, which: (name: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like 'dtp\\_t%'`,
    );
    for (const { datname } of rows.filter((r) => which(r.datname))) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** Databases of a run whose process is gone (killed before its teardown), at least 10 minutes old. */
async function dropLeftovers(adminUrl: string): Promise<void> {
  await dropDatabases(adminUrl, (name) => {
    const m = /^dtp_(?:tpl|t)_(\d+)_([0-9a-z]+)/.exec(name);
    if (!m) return false;
    const startedAt = parseInt(m[2]!, 36);
    return !pidAlive(Number(m[1])) && Date.now() - startedAt > 10 * 60_000;
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
