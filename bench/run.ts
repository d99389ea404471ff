// `npm run bench [-- --scales 10000,100000,1000000] [--duration 8] [--accounts 10000] [--seed 1] [--write]`
// Measures the platform against two floors measured in the same run and prints figures and ratios.
// Each scale is a fresh database with that many people (and a tenth as many enterprises) made by
// bench/generate.ts. It never fails on a time. With --write it records the tables in docs/benchmarks.md.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Options } from 'autocannon';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    write: { type: 'boolean', default: false },
    duration: { type: 'string', default: '8' },
    accounts: { type: 'string', default: '10000' },
    scales: { type: 'string' },
    scale: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const DURATION = Number(values.duration);
const ACCOUNTS = Number(values.accounts);
const SCALES = (values.scales ?? values.scale ?? '10000').split(',').map((s) => Number(s.trim()));
if (SCALES.some((s) => !Number.isInteger(s) || s < 1 || s > 1_000_000)) {
  throw new Error('--scales takes people counts from 1 to 1000000, e.g. --scales 10000,100000');
}
const PASSWORD = 'Demo-Password-2026';
const FLOOR_AGAIN = 'floor: one query, again at the end';
/** The one-query floor of a scale: the higher of its two measurements, so ratios never flatter. */
const floorOf = (rows: Row[]) =>
  Math.max(...rows.filter((r) => r.name.startsWith('floor: one query')).map((r) => r.rps));
/** The registry scenarios' searches: a two-character given name (shorter than a trigram), a trade word. */
const NAME_QUERY = '怡君';
const ENTERPRISE_QUERY = '精密';
const COUNTY = '64000'; // 高雄市
/** The dashboard's year: the generator's people were recorded over the three years to 2026-11. */
const YEAR = 2026;

type Ready = {
  type: 'ready';
  platform: string;
  bare: string;
  mode: string;
  serverVersion: string;
  accounts: number;
  people: number;
  enterprises: number;
  generateSeconds: number;
  factSeconds: number;
  rebuilt: string[];
  deepCursor: string;
};
type Row = {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  non2xx: number;
  errors: number;
};
type Run = { scale: number; info: Ready; rows: Row[]; rss: { peak: number; now: number } };

function nodeBinary(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  return path.join(ROOT, 'node_modules', '.bin', 'node');
}

function startServer(dataDir: string, scale: number): { child: ChildProcess; ready: Promise<Ready> } {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DEMO: 'true',
    DEMO_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    SIGNIN_MAX_FAILURES: '1000000',
    SIGNIN_ADDRESS_MAX_FAILURES: '1000000',
    // autocannon hammers public routes from one address: the per-address flood guard is lifted.
    RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
    FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OUTBOX_WORKER: 'false',
    WEB_DIST: path.join(dataDir, 'no-web'), // the API alone
    BENCH_ACCOUNTS: String(ACCOUNTS),
    BENCH_SCALE: String(scale),
    BENCH_SEED: values.seed!,
  };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const child = fork(path.join(ROOT, 'bench', 'server.ts'), [], {
    execPath: nodeBinary(),
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<Ready>((resolve, reject) => {
    child.on('message', (m: { type: string }) => m.type === 'ready' && resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`the benchmark server exited during start (${code})`)));
  });
  return { child, ready };
}

const ask = <T>(child: ChildProcess, type: string, reply: string) =>
  new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== reply) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send({ type });
  });

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

async function measure(name: string, opts: Options): Promise<Row> {
  const connections = opts.connections ?? 10;
  await autocannon({ ...opts, duration: 1 }); // warm-up: JIT, pool connections, plan cache
  // autocannon's summary has no p95: every response time is kept and sorted here.
  const times: number[] = [];
  const run = autocannon({ ...opts, duration: DURATION, timeout: 30 });
  run.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const r = await run;
  const sorted = Float64Array.from(times).sort();
  const row = {
    name,
    connections,
    rps: r.requests.average,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: r.latency.average,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
  console.log(
    `  ${name.padEnd(34)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${row.p50.toFixed(1).padStart(6)} ms  p95 ${row.p95.toFixed(1).padStart(6)} ms` +
      (row.non2xx || row.errors ? `  (${row.non2xx} non-2xx, ${row.errors} errors)` : ''),
  );
  return row;
}

async function signIn(base: string, email: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`sign-in failed: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().find((c) => c.includes('dtp_session='));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie.split(';')[0]!;
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

/** The scenarios of one scale: the floors, the platform's own routes (first scale only), the registry. */
async function measureScale(info: Ready, withPlatform: boolean): Promise<Run['rows']> {
  const { platform, bare } = info;
  const conns = 16;
  const get = (url: string, cookie: string): Options => ({ url, headers: { cookie }, connections: conns });
  const rows: Row[] = [
    await measure('floor: empty route', { url: `${bare}/empty`, connections: conns }),
    await measure('floor: one query', { url: `${bare}/select-1`, connections: conns }),
  ];
  if (withPlatform) {
    const admin = await signIn(platform, 'admin@demo.example');
    rows.push(
      await measure('platform: empty route', { url: `${platform}/bench/empty`, connections: conns }),
      await measure('POST /api/auth/sign-in', {
        url: `${platform}/api/auth/sign-in`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.example', password: PASSWORD }),
        connections: 8,
      }),
      await measure('GET /api/auth/me', get(`${platform}/api/auth/me`, admin)),
      await measure('GET /api/accounts', get(`${platform}/api/accounts?limit=50`, admin)),
      await measure(
        'GET /api/accounts?q=…',
        get(`${platform}/api/accounts?limit=50&q=${encodeURIComponent('使用者 0042')}`, admin),
      ),
    );
  }
  const pmo = await signIn(platform, 'pmo@demo.example');
  const people = `${platform}/api/people?limit=50`;
  const kpi = `${platform}/api/kpis`;
  rows.push(
    await measure('people: first page', get(people, pmo)),
    await measure('people: deep keyset page (90 %)', get(`${people}&cursor=${info.deepCursor}`, pmo)),
    await measure('people: county filter', get(`${people}&countyCode=${COUNTY}`, pmo)),
    await measure('people: name search', get(`${people}&q=${encodeURIComponent(NAME_QUERY)}`, pmo)),
    await measure('people: name sort (stroke order)', get(`${people}&sort=name`, pmo)),
    await measure(
      'enterprises: name search',
      get(`${platform}/api/enterprises?limit=50&q=${encodeURIComponent(ENTERPRISE_QUERY)}`, pmo),
    ),
    await measure('dashboard: overview', get(`${platform}/api/kpi-overview?year=${YEAR}`, pmo)),
    await measure('dashboard: K26 by county', get(`${kpi}/K26/breakdown?year=${YEAR}&by=county`, pmo)),
    await measure('dashboard: K26 by month', get(`${kpi}/K26/breakdown?year=${YEAR}&by=month`, pmo)),
    await measure(
      'dashboard: K26 by age, one county',
      get(`${kpi}/K26/breakdown?year=${YEAR}&by=age_band&countyCode=${COUNTY}`, pmo),
    ),
    await measure('dashboard: K26 records', get(`${kpi}/K26/records?year=${YEAR}&limit=50`, pmo)),
    // The floor again: on a shared machine it moves during a run; ratios use the higher of the two.
    await measure(FLOOR_AGAIN, { url: `${bare}/select-1`, connections: conns }),
  );
  return rows;
}

const started = Date.now();
const loadAtStart = os.loadavg()[0]!;
const runs: Run[] = [];
for (const [i, scale] of SCALES.entries()) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-bench-'));
  fs.chmodSync(dataDir, 0o755); // as root, the embedded PostgreSQL runs as the postgres user
  console.log(
    `\nScale ${scale} people: starting the platform (${process.env.DATABASE_URL ? 'DATABASE_URL, a fresh database' : 'embedded PostgreSQL'}), seeding ${ACCOUNTS} accounts, generating…`,
  );
  const { child, ready } = startServer(dataDir, scale);
  try {
    const info = await ready;
    console.log(
      `  ${info.people} people, ${info.enterprises} enterprises (generated in ${info.generateSeconds.toFixed(0)} s, KPI facts of ${info.rebuilt.join(', ') || 'none'} built in ${info.factSeconds.toFixed(1)} s); measuring ${DURATION} s each after a 1 s warm-up:`,
    );
    const rows = await measureScale(info, i === 0);
    runs.push({ scale, info, rows, rss: await ask<{ peak: number; now: number }>(child, 'rss', 'rss') });
  } finally {
    if (child.connected) {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
function table(run: Run): string {
  const floor = floorOf(run.rows);
  return [
    '| measurement | conns | req/s | p50 ms | p95 ms | p99 ms | req/s ÷ one-query floor |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...run.rows.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${(r.rps / floor).toFixed(3)} |`,
    ),
  ].join('\n');
}
/** The registry rows side by side across scales: is p95 flat, does throughput hold? */
function acrossScales(): string {
  const names = runs[0]!.rows
    .filter((r) => /^(people|enterprises|dashboard):/.test(r.name))
    .map((r) => r.name);
  const head = runs.map((r) => `${r.scale.toLocaleString('en')} people`);
  return [
    `| scenario | ${head.map((h) => `${h}: req/s · p95 ms · ÷ floor`).join(' | ')} |`,
    `|---|${head.map(() => '---:').join('|')}|`,
    ...names.map((name) => {
      const cells = runs.map((run) => {
        const floor = floorOf(run.rows);
        const r = run.rows.find((x) => x.name === name)!;
        return `${r.rps.toFixed(0)} · ${ms(r.p95)} · ${(r.rps / floor).toFixed(2)}`;
      });
      return `| ${name} | ${cells.join(' | ')} |`;
    }),
    `| peak RSS of the server | ${runs.map((r) => mib(r.rss.peak)).join(' | ')} |`,
  ].join('\n');
}
const notes = runs.flatMap((run) =>
  run.rows
    .filter((r) => r.non2xx || r.errors)
    .map(
      (r) => `- ${run.scale} people, ${r.name}: ${r.non2xx} non-2xx responses, ${r.errors} errors/timeouts`,
    ),
);
const cpu = os.cpus();
const info = runs[0]!.info;
const machine =
  `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ` +
  `${os.type()} ${os.release()}; Node ${process.versions.node}; PostgreSQL ${info.serverVersion} (${info.mode}); ` +
  `1-min load average ${loadAtStart.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end (other work on the machine skews figures)`;
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const commit = gitCommit();
const secs = ((Date.now() - started) / 1000).toFixed(0);
const command = `npm run bench -- --scales ${SCALES.join(',')} --duration ${DURATION}${values.write ? ' --write' : ''}`;

for (const run of runs) {
  console.log(`\n${run.scale} people, ${run.info.enterprises} enterprises:\n${table(run)}`);
  console.log(`Peak RSS of the server process: ${mib(run.rss.peak)} (now ${mib(run.rss.now)})`);
}
if (runs.length > 1) console.log(`\nAcross scales:\n${acrossScales()}`);
console.log(`\nMachine: ${machine}\nDate: ${date}; commit ${commit}; whole run ${secs} s`);
for (const n of notes) console.log(n);

if (values.write) {
  const file = path.join(ROOT, 'docs', 'benchmarks.md');
  const figures = `<!-- figures: written by bench/run.ts --write -->
Measured by \`${command}\` (bench/run.ts). Figures, not thresholds: CI never fails on a time.
Each row runs ${DURATION} s after a 1 s warm-up with autocannon over loopback, from the same machine, so the
load generator, the Node server process and PostgreSQL share its cores. The floors are measured in the
same run, at each scale: an empty route on a bare Fastify, and a route running \`select 1\` through the
platform's pg pool, the latter again after the scenarios (the machine is shared and the floor moves). Ratios
are req/s to the higher of the two one-query floors; p95 is computed from every response time.

- Machine: ${machine}
- Date: ${date}
- Commit: ${commit}
- Data: ${info.accounts} seeded accounts (+ the demo accounts); per scale a fresh database with that many
  people and a tenth as many enterprises from \`bench/generate.ts\` (seed ${values.seed}); whole run ${secs} s
- Scenarios, signed in as the programme office (scope: everything): \`GET /api/people?limit=50\`; the same with
  the cursor of the row 90 % down; \`countyCode=${COUNTY}\` (高雄市); \`q=${NAME_QUERY}\` (two characters, shorter than
  a trigram); \`sort=name\` (stroke order); \`GET /api/enterprises?limit=50&q=${ENTERPRISE_QUERY}\`; the KPI
  dashboard for ${YEAR}: \`GET /api/kpi-overview\` (every KPI, target vs actual per measure), K26 (people registered)
  \`by=county\` and \`by=month\` (from the rollups), \`by=age_band&countyCode=${COUNTY}\` (a filter and a breakdown:
  from the pair rollups), and the first page of its records (the drill-down).
${runs.length > 1 ? `\n### The registry across scales\n\n${acrossScales()}\n` : ''}
${runs
  .map(
    (run) =>
      `### ${run.scale.toLocaleString('en')} people, ${run.info.enterprises.toLocaleString('en')} enterprises (generated in ${run.info.generateSeconds.toFixed(0)} s; KPI facts built in ${run.info.factSeconds.toFixed(1)} s)\n\n${table(run)}\n\nPeak RSS of the server process (the API; PostgreSQL is a separate process): **${mib(run.rss.peak)}**.`,
  )
  .join('\n\n')}
${notes.length ? `\n${notes.join('\n')}\n` : ''}<!-- /figures -->`;
  const doc = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n\n<!-- figures --><!-- /figures -->\n';
  const updated = /<!-- figures[^>]*-->[\s\S]*<!-- \/figures -->/.test(doc)
    ? doc.replace(/<!-- figures[^>]*-->[\s\S]*<!-- \/figures -->/, figures)
    : doc.replace(/^# Benchmarks\n/, `# Benchmarks\n\n${figures}\n`);
  fs.writeFileSync(file, updated);
  console.log('Wrote the figures into docs/benchmarks.md');
}
