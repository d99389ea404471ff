// The benchmark's server process: the platform (buildApp) and a bare Fastify on the same pool.
// Started by bench/run.ts with an IPC channel; configuration comes in the environment it is given.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import pg from 'pg';
import { loadConfig } from '../apps/api/src/config.ts';
import { buildApp } from '../apps/api/src/app.ts';
import { createDb, ensureDatabase } from '../apps/api/src/db/client.ts';
import { prepareDatabase } from '../apps/api/src/bootstrap.ts';
import { confirmFieldKeys, loadKeys } from '../apps/api/src/lib/keys.ts';
import { encodeCursor } from '../apps/api/src/lib/cursor.ts';
import { seedDemo } from '../apps/api/src/modules/demo/index.ts';

type Message = { type: 'stop' } | { type: 'rss' };
const send = (m: unknown) => process.send?.(m);

const accountsToSeed = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const scale = Number(process.env.BENCH_SCALE ?? 0);
const seed = process.env.BENCH_SEED ?? '1';
const external = process.env.DATABASE_URL;
let benchDb: string | undefined;
let adminUrl: string | undefined;
if (external) {
  // A fresh database on that server, dropped at the end.
  benchDb = `dtp_bench_${process.pid}_${Date.now().toString(36)}`;
  const u = new URL(external);
  u.pathname = '/postgres';
  adminUrl = u.toString();
  await ensureDatabase(adminUrl, benchDb);
  u.pathname = `/${benchDb}`;
  process.env.DATABASE_URL = u.toString();
}

const config = loadConfig();
const database = await createDb({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  poolSize: config.poolSize,
  log: () => {},
});
const loaded = loadKeys(config);
const keys = loaded.keys;
const deps = { config, database, keys, now: () => new Date() };
await prepareDatabase(deps); // as server.ts: migrations and reference data
await confirmFieldKeys(database.pool, loaded);
const app = await buildApp({ config, database, keys, startWorkers: false });
await seedDemo(deps, () => {}, app.services.kpi);

// N more accounts for the paged list, sharing the demo password hash (hashing 10 000 would take minutes).
await database.pool.query(
  `insert into accounts (id, email, display_name, password_hash, email_verified_at, created_at, updated_at)
   select gen_random_uuid(), 'user' || lpad(i::text, 5, '0') || '@bench.example', '測試使用者 ' || lpad(i::text, 5, '0'),
          (select password_hash from accounts where email = 'admin@demo.example'), now(),
          now() - i * interval '1 minute', now()
   from generate_series(1, $1::int) i`,
  [accountsToSeed],
);
await database.pool.query(
  `insert into grants (id, account_id, role, scope_kind)
   select gen_random_uuid(), id, 'learner', 'self' from accounts where email like '%@bench.example'`,
);
// The registry's people and enterprises, generated in a child process on this database, so that
// the server's peak RSS is the serving, not the generating.
let generateSeconds = 0;
if (scale > 0) {
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      path.join(path.dirname(fileURLToPath(import.meta.url)), 'generate.ts'),
      '--scale',
      String(scale),
      '--seed',
      seed,
    ],
    { env: { ...process.env, DATABASE_URL: database.url }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`bench/generate.ts failed (${r.status ?? r.signal})`);
  generateSeconds = (Date.now() - started) / 1000;
}
// The generator writes rows by COPY, past the registry's KPI facts, and marks every metric stale:
// build them as the platform does at start (one INSERT … SELECT per KPI, rollups by its triggers).
const factsStarted = Date.now();
const rebuilt = await app.services.kpi.rebuildStaleMetrics();
const factSeconds = (Date.now() - factsStarted) / 1000;
await database.pool.query('analyze');

/** Cursors and queries the scenarios need: a keyset page 90 % down the default order. */
const [deep] = (
  await database.pool.query<{ created: string; id: string }>(
    `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created, id
       from persons where merged_into_id is null
      order by created_at desc, id desc offset (select (count(*) * 0.9)::int from persons) limit 1`,
  )
).rows;
const deepCursor = deep ? encodeCursor([deep.created, deep.id]) : '';
const counts = (
  await database.pool.query<{ people: number; enterprises: number }>(
    `select (select count(*)::int from persons) as people, (select count(*)::int from enterprises) as enterprises`,
  )
).rows[0]!;

// Floors: an empty route on a bare Fastify, and one `select 1` through the platform's own pool.
const bare = Fastify({ logger: false });
bare.get('/empty', async () => ({ ok: true }));
bare.get('/select-1', async () => {
  const r = await database.pool.query<{ one: number }>('select 1 as one');
  return { one: r.rows[0]?.one };
});
// The platform's plugin stack (helmet, cookies, session lookup) around an empty handler.
app.get('/bench/empty', async () => ({ ok: true }));

await app.listen({ host: '127.0.0.1', port: 0 });
await bare.listen({ host: '127.0.0.1', port: 0 });
const port = (s: typeof bare | typeof app) => {
  const a = s.server.address();
  return typeof a === 'object' && a ? a.port : 0;
};
const serverVersion = (
  await database.pool.query<{ v: string }>(`select current_setting('server_version') as v`)
).rows[0]?.v;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([app.close(), bare.close()]);
  // Requests whose client already left (autocannon stops at its deadline) may still hold a connection.
  const until = Date.now() + 10_000;
  while (database.pool.idleCount < database.pool.totalCount && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await database.close();
  if (adminUrl && benchDb) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${pg.escapeIdentifier(benchDb)} with (force)`);
    await c.end();
  }
  send({ type: 'stopped' });
  process.exit(0);
}
process.on('message', (m: Message) => {
  if (m.type === 'rss')
    send({ type: 'rss', peak: process.resourceUsage().maxRSS * 1024, now: process.memoryUsage().rss });
  if (m.type === 'stop') void stop();
});
process.on('disconnect', () => void stop()); // the runner went away
process.on('SIGTERM', () => void stop());
send({
  type: 'ready',
  platform: `http://127.0.0.1:${port(app)}`,
  bare: `http://127.0.0.1:${port(bare)}`,
  mode: database.mode,
  serverVersion,
  accounts: accountsToSeed,
  people: counts.people,
  enterprises: counts.enterprises,
  generateSeconds,
  factSeconds,
  rebuilt,
  deepCursor,
});
