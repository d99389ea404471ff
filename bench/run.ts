// `npm run bench [-- --write] [-- --duration 8] [-- --accounts 10000]`
// Measures the platform against two floors measured in the same run and prints figures and ratios.
// It never fails on a time. With --write it records the table in docs/benchmarks.md.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Options, type Result } from 'autocannon';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    write: { type: 'boolean', default: false },
    duration: { type: 'string', default: '8' },
    accounts: { type: 'string', default: '10000' },
  },
});
const DURATION = Number(values.duration);
const ACCOUNTS = Number(values.accounts);
const PASSWORD = 'Demo-Password-2026';

type Ready = {
  type: 'ready';
  platform: string;
  bare: string;
  mode: string;
  serverVersion: string;
  accounts: number;
};
type Row = {
  name: string;
  what: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  non2xx: number;
  errors: number;
};

function nodeBinary(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  return path.join(ROOT, 'node_modules', '.bin', 'node');
}

function startServer(dataDir: string): { child: ChildProcess; ready: Promise<Ready> } {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DEMO: 'true',
    DEMO_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    SIGNIN_MAX_FAILURES: '1000000',
    FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    OUTBOX_WORKER: 'false',
    WEB_DIST: path.join(dataDir, 'no-web'), // the API alone
    BENCH_ACCOUNTS: String(ACCOUNTS),
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

async function measure(name: string, what: string, opts: Options): Promise<Row> {
  const connections = opts.connections ?? 10;
  await autocannon({ ...opts, duration: 1 }); // warm-up: JIT, pool connections, plan cache
  const r: Result = await autocannon({ ...opts, duration: DURATION, timeout: 30 });
  const row = {
    name,
    what,
    connections,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
  console.log(
    `  ${name.padEnd(24)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${String(row.p50).padStart(4)} ms  p99 ${String(row.p99).padStart(4)} ms` +
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

const started = Date.now();
const loadAtStart = os.loadavg()[0]!;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-bench-'));
fs.chmodSync(dataDir, 0o755); // as root, the embedded PostgreSQL runs as the postgres user
console.log(
  `Starting the platform (${process.env.DATABASE_URL ? 'DATABASE_URL, a fresh database' : 'embedded PostgreSQL'}) and seeding ${ACCOUNTS} accounts…`,
);
const { child, ready } = startServer(dataDir);
async function measureAll(info: Ready): Promise<{ rows: Row[]; rss: { peak: number; now: number } }> {
  const { platform, bare } = info;
  const admin = await signIn(platform, 'admin@demo.example');
  const q = encodeURIComponent('使用者 0042');
  console.log(`Measuring, ${DURATION} s each after a 1 s warm-up (autocannon, loopback):`);
  const rows = [
    await measure('floor: empty route', 'GET on a bare Fastify, no plugins', {
      url: `${bare}/empty`,
      connections: 16,
    }),
    await measure('floor: one query', 'bare Fastify, `select 1` through the platform pool', {
      url: `${bare}/select-1`,
      connections: 16,
    }),
    await measure(
      'platform: empty route',
      'the platform’s plugins (helmet, cookie, auth hook), empty handler',
      {
        url: `${platform}/bench/empty`,
        connections: 16,
      },
    ),
    await measure('POST /api/auth/sign-in', 'argon2id verify (19 MiB, t=2) + session + audit rows', {
      url: `${platform}/api/auth/sign-in`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.example', password: PASSWORD }),
      connections: 8,
    }),
    await measure('GET /api/auth/me', 'session lookup + account, grants, MFA policy', {
      url: `${platform}/api/auth/me`,
      headers: { cookie: admin },
      connections: 16,
    }),
    await measure('GET /api/accounts', `limit=50, ${ACCOUNTS + 7} accounts, keyset + capped total`, {
      url: `${platform}/api/accounts?limit=50`,
      headers: { cookie: admin },
      connections: 16,
    }),
    await measure('GET /api/accounts?q=…', 'limit=50, q=使用者 0042 (trigram search, CJK)', {
      url: `${platform}/api/accounts?limit=50&q=${q}`,
      headers: { cookie: admin },
      connections: 16,
    }),
  ];
  return { rows, rss: await ask<{ peak: number; now: number }>(child, 'rss', 'rss') };
}

let info: Ready | undefined;
let measured: Awaited<ReturnType<typeof measureAll>>;
try {
  info = await ready;
  measured = await measureAll(info);
} finally {
  if (child.connected) {
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ type: 'stop' });
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const { rows, rss } = measured;
const floor = rows.find((r) => r.name === 'floor: one query')!;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
const header =
  '| measurement | conns | req/s | p50 ms | p99 ms | mean ms | req/s ÷ one-query floor | mean latency ÷ floor |';
const table = [
  header,
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.mean.toFixed(2)} | ${(r.rps / floor.rps).toFixed(3)} | ${(r.mean / floor.mean).toFixed(1)} |`,
  ),
].join('\n');
const notes = rows
  .filter((r) => r.non2xx || r.errors)
  .map((r) => `- ${r.name}: ${r.non2xx} non-2xx responses, ${r.errors} errors/timeouts`);
const cpu = os.cpus();
const machine =
  `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ` +
  `${os.type()} ${os.release()}; Node ${process.versions.node}; PostgreSQL ${info?.serverVersion} (${info?.mode}); ` +
  `1-min load average ${loadAtStart.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end (other work on the machine skews figures)`;
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const commit = gitCommit();
const secs = ((Date.now() - started) / 1000).toFixed(0);

console.log(`\n${table}\n`);
console.log(`Peak RSS of the server process: ${mib(rss.peak)} (now ${mib(rss.now)})`);
console.log(`Machine: ${machine}\nDate: ${date}; commit ${commit}; whole run ${secs} s`);
for (const n of notes) console.log(n);

if (values.write) {
  const doc = `# Benchmarks

Measured by \`npm run bench -- --write\` (bench/run.ts). Figures, not thresholds: CI never fails on a time.
Each row runs ${DURATION} s after a 1 s warm-up with autocannon over loopback, from the same machine, so the
load generator, the Node server process and PostgreSQL share its cores. The floors are measured in the
same run: an empty route on a bare Fastify, and a route running \`select 1\` through the platform's pg pool.
Ratios are to the one-query floor.

- Machine: ${machine}
- Date: ${date}
- Commit: ${commit}
- Data: ${info?.accounts ?? ACCOUNTS} seeded accounts (+ 7 demo accounts), each with a grant; whole run ${secs} s

${table}

Peak RSS of the server process (the API; PostgreSQL is a separate process): **${mib(rss.peak)}**.
${notes.length ? `\n${notes.join('\n')}\n` : ''}
## Reading the figures

- **Sign-in is slow on purpose.** Each one verifies an argon2id hash (19 MiB, 2 iterations: OWASP's
  minimum), which costs tens of milliseconds of CPU; libuv's 4 worker threads share the machine's cores.
  Its throughput is bounded by cores, not by the database; it also writes a session and an audit row.
- **GET /api/auth/me** is five indexed queries in four round trips: the session lookup every signed-in
  request pays (session ⋈ account, then grants), then the account, its grants and the MFA setting.
  Through Drizzle and the zod serializer each query costs the Node process noticeably more than the
  floor's raw \`select 1\`.
- **The account list** is the session lookup plus a keyset page (created_at, id) with a roles
  sub-select per row and a capped count, run in parallel. The count reads up to 10 001 rows
  (TOTAL_CAP) on every page request: at this table size, a full count each time.
- **The \`q\` search** filters on \`lower(email || ' ' || display_name) LIKE …\`, served by the trigram
  index on that expression (migration 0004; before it the index lacked \`lower()\` and every search
  scanned all accounts). A two-character Chinese word is shorter than a trigram and still scans.
- **The platform's empty route** shows what helmet, cookies and the auth hook add to every request.

To reproduce: \`npm run bench\` (prints only) or \`npm run bench -- --write\` (updates this file);
\`--duration N\` and \`--accounts N\` change the run; with \`DATABASE_URL\` set it uses a fresh database on
that server instead of the embedded one.
`;
  fs.writeFileSync(path.join(ROOT, 'docs', 'benchmarks.md'), doc);
  console.log('Wrote docs/benchmarks.md');
}
