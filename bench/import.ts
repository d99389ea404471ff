// `npm run bench:import [-- --rows 100000] [-- --write]`
// Import of generated CSV rows through the platform (upload → validation → one-transaction commit)
// against a raw `COPY` of the same rows, already in their final form, into the same table in the
// same run: rows/s and their ratio, and the server's peak RSS at two sizes (is memory flat?).
// It never fails on a time. With --write it records the figures in docs/benchmarks.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { maskNationalId } from '../packages/contracts/src/tw.ts';
import { encryptField, keyRingFrom, lookupHash } from '../apps/api/src/lib/crypto.ts';
import { newId } from '../apps/api/src/lib/ids.ts';
import { HttpClient } from '../apps/api/test/http-client.ts';
import { csv, multipart, nationalId } from '../apps/api/test/import-files.ts';
import { freePort } from '../apps/api/src/lib/ports.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    write: { type: 'boolean', default: false },
    /** Writes a V8 CPU profile of the server into this directory (open it in Chrome's DevTools). */
    profile: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const SMALL = Math.max(1000, Math.round(ROWS / 10));
const PASSWORD = 'Demo-Password-2026';

const SURNAMES = [
  ...'陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴',
];
const GIVEN = [...'淑芬志豪美玲家豪雅婷俊傑怡君建宏佩君冠宇宗翰詩涵承恩品妍宥廷子晴柏翰欣怡彥廷思妤'];
const COUNTIES = [
  '臺北市',
  '新北市',
  '桃園市',
  '臺中市',
  '臺南市',
  '高雄市',
  '新竹縣',
  '彰化縣',
  '台南市',
  '宜蘭縣',
];
const COUNTY_CODES: Record<string, string> = {
  臺北市: '63000', 新北市: '65000', 桃園市: '68000', 臺中市: '66000', 臺南市: '67000', 台南市: '67000',
  高雄市: '64000', 新竹縣: '10004', 彰化縣: '10007', 宜蘭縣: '10002',
}; // prettier-ignore

/** A deterministic person: the same serial gives the same row in every run. */
function person(serial: number, letter: string) {
  const name = `${SURNAMES[serial % SURNAMES.length]}${GIVEN[(serial * 7) % GIVEN.length]}${GIVEN[(serial * 13 + 3) % GIVEN.length]}`;
  const id = nationalId(serial, letter, serial % 2 ? 1 : 2);
  const y = 1960 + (serial % 45);
  const birth = `${y}-${String((serial % 12) + 1).padStart(2, '0')}-${String((serial % 28) + 1).padStart(2, '0')}`;
  return {
    name,
    id,
    email: `p${letter.toLowerCase()}${serial}@bench.example.tw`,
    phone: `09${String(10_000_000 + ((serial * 7919) % 89_999_999)).padStart(8, '0')}`,
    gender: serial % 2 ? 'male' : 'female',
    birth,
    county: COUNTIES[serial % COUNTIES.length]!,
  };
}

function peopleCsv(n: number, letter: string): Buffer {
  const rows: (string | number)[][] = [
    ['姓名', '身分證字號', '電子郵件', '電話', '性別', '出生日期', '縣市'],
  ];
  for (let i = 1; i <= n; i++) {
    const p = person(i, letter);
    rows.push([p.name, p.id, p.email, p.phone, p.gender === 'male' ? '男' : '女', p.birth, p.county]);
  }
  return Buffer.from(csv(rows));
}

/** The same people as `persons` rows in their final form (encrypted, hashed, masked), for COPY. */
function copyFile(n: number, letter: string, agencyId: string, file: string) {
  const ring = keyRingFrom(randomBytes(32).toString('base64'));
  const out = fs.createWriteStream(file, { mode: 0o644 });
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const p = person(i, letter);
    const enc = encryptField(ring, p.id);
    lines.push(
      [
        newId(), p.name, p.email, p.phone, p.birth, p.gender, 'TW', COUNTY_CODES[p.county], 'zh-TW',
        enc.value, enc.keyId, lookupHash(ring, p.id), 'national', maskNationalId(p.id), agencyId,
      ].join(','), // prettier-ignore
    );
    if (lines.length === 5000) out.write(lines.splice(0).join('\n') + '\n');
  }
  out.write(lines.join('\n') + (lines.length ? '\n' : ''));
  return new Promise<void>((resolve) => out.end(resolve));
}

const nodeBinary = () =>
  Number(process.versions.node.split('.')[0]) >= 24
    ? process.execPath
    : path.join(ROOT, 'node_modules/.bin/node');

const rssKb = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};

type Job = { id: string; status: string; createdCount: number; errorCount: number };
type Run = {
  rows: number;
  upload: number;
  validate: number;
  commit: number;
  total: number;
  peakRssMb: number;
  /** RSS before the import and the peak of each phase. */
  rssMb: { before: number; upload: number; validate: number; commit: number };
};

async function platformImport(api: HttpClient, pid: number, content: Buffer, rows: number): Promise<Run> {
  const before = rssKb(pid);
  let peak = before;
  let phasePeak = before;
  const sampler = setInterval(() => {
    const now = rssKb(pid);
    peak = Math.max(peak, now);
    phasePeak = Math.max(phasePeak, now);
  }, 50);
  const phase = () => {
    const p = Math.round(phasePeak / 1024);
    phasePeak = rssKb(pid);
    return p;
  };
  const t0 = performance.now();
  const body = multipart(`bench-${rows}.csv`, content);
  const job = await api.request<Job>('POST', '/api/imports?kind=people', body.payload, body.headers);
  const t1 = performance.now();
  const uploadRss = phase();
  let j = job;
  while (j.status === 'uploaded' || j.status === 'validating') {
    await new Promise((r) => setTimeout(r, 100));
    j = await api.request<Job>('GET', `/api/imports/${job.id}`);
  }
  if (j.status !== 'preview') throw new Error(`validation ended ${j.status} with ${j.errorCount} errors`);
  const t2 = performance.now();
  const validateRss = phase();
  const done = await api.request<Job>('POST', `/api/imports/${job.id}/commit`, { onMatch: 'skip' });
  const t3 = performance.now();
  const commitRss = phase();
  clearInterval(sampler);
  if (done.createdCount !== rows) throw new Error(`committed ${done.createdCount} of ${rows}`);
  return {
    rows,
    upload: (t1 - t0) / 1000,
    validate: (t2 - t1) / 1000,
    commit: (t3 - t2) / 1000,
    total: (t3 - t0) / 1000,
    peakRssMb: Math.round(peak / 1024),
    rssMb: { before: Math.round(before / 1024), upload: uploadRss, validate: validateRss, commit: commitRss },
  };
}

/** Raw COPY of the final rows into `persons` (same indexes), committed, then removed again. */
async function rawCopy(db: pg.Client, file: string, rows: number, agencyId: string, letter: string) {
  await copyFile(rows, letter, agencyId, file);
  const t0 = performance.now();
  await db.query(`copy persons (id, name, email, phone, birth_date, gender, nationality, county_code,
    preferred_locale, national_id_enc, national_id_key_id, national_id_hash, national_id_kind,
    national_id_masked, source_agency_id) from '${file}' with (format csv)`);
  const seconds = (performance.now() - t0) / 1000;
  await db.query(`delete from persons where email like 'p${letter.toLowerCase()}%@bench.example.tw'`);
  await db.query('vacuum persons');
  fs.rmSync(file, { force: true });
  return seconds;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-bench-import-'));
fs.chmodSync(dataDir, 0o755); // as root, the embedded PostgreSQL runs as the postgres user
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const logFile = path.join(dataDir, 'server.log');
const log = fs.openSync(logFile, 'a');
console.log(`Starting the platform (embedded PostgreSQL) in ${dataDir}…`);
const profileArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
const child: ChildProcess = spawn(nodeBinary(), [...profileArgs, path.join(ROOT, 'apps/api/src/server.ts')], {
  cwd: ROOT,
  env: {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    DATA_DIR: path.join(dataDir, 'data'),
    DEMO: 'true',
    LOG_LEVEL: 'warn',
    OUTBOX_WORKER: 'false',
    WEB_DIST: path.join(dataDir, 'no-web'),
  },
  stdio: ['ignore', log, log],
});
const stop = async () => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
};

try {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(fs.readFileSync(logFile, 'utf8'));
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 600) throw new Error('the platform did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  const pgDir = path.join(dataDir, 'data', 'postgres');
  const pgPort = fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[3]!.trim();
  const pgPassword = fs.readFileSync(path.join(dataDir, 'data', 'postgres.password'), 'utf8').trim();
  const db = new pg.Client({
    connectionString: `postgres://postgres:${encodeURIComponent(pgPassword)}@127.0.0.1:${pgPort}/dtp`,
  });
  await db.connect();
  const agencyId = (await db.query<{ id: string }>(`select id from agencies where code = 'DEMO-AGENCY'`))
    .rows[0]!.id;
  const api = new HttpClient(base);
  await api.signIn('agency@demo.example', PASSWORD);
  const pid = child.pid!;

  console.log(`Generating ${SMALL} and ${ROWS} CSV rows…`);
  const small = peopleCsv(SMALL, 'C');
  const large = peopleCsv(ROWS, 'D');
  const copyPath = path.join(dataDir, 'copy.csv');

  console.log('Measuring (each: raw COPY of the final rows, then the platform import of the CSV):');
  const results: { run: Run; copySeconds: number }[] = [];
  for (const [content, rows, letter] of [
    [small, SMALL, 'C'],
    [large, ROWS, 'D'],
  ] as const) {
    const copySeconds = await rawCopy(db, copyPath, rows, agencyId, letter);
    const run = await platformImport(api, pid, content, rows);
    results.push({ run, copySeconds });
    console.log(
      `  ${String(rows).padStart(7)} rows: COPY ${copySeconds.toFixed(2)} s (${Math.round(rows / copySeconds)} rows/s); ` +
        `platform ${run.total.toFixed(2)} s = upload ${run.upload.toFixed(2)} + validate ${run.validate.toFixed(2)} + commit ${run.commit.toFixed(2)} ` +
        `(${Math.round(rows / run.total)} rows/s, ${((copySeconds / run.total) * 100).toFixed(0)} % of COPY); peak RSS ${run.peakRssMb} MiB (before ${run.rssMb.before}; upload ${run.rssMb.upload}, validate ${run.rssMb.validate}, commit ${run.rssMb.commit})`,
    );
  }
  await db.end();

  if (values.write) {
    const table = [
      '| rows | raw COPY s | COPY rows/s | platform s (upload + validate + commit) | platform rows/s | ÷ COPY | commit alone ÷ COPY | server peak RSS |',
      '|---:|---:|---:|---|---:|---:|---:|---:|',
      ...results.map(
        ({ run, copySeconds }) =>
          `| ${run.rows} | ${copySeconds.toFixed(2)} | ${Math.round(run.rows / copySeconds)} | ${run.total.toFixed(2)} (${run.upload.toFixed(2)} + ${run.validate.toFixed(2)} + ${run.commit.toFixed(2)}) | ${Math.round(run.rows / run.total)} | ${((copySeconds / run.total) * 100).toFixed(0)} % | ${((copySeconds / run.commit) * 100).toFixed(0)} % | ${run.peakRssMb} MiB |`,
      ),
    ].join('\n');
    const section = [
      '<!-- import-bench:start -->',
      '## Import of CSV rows vs raw COPY',
      '',
      `Measured by \`npm run bench:import -- --write\` (bench/import.ts), ${new Date().toISOString().slice(0, 19)}Z, load average ${os.loadavg()[0]!.toFixed(1)}.`,
      'The platform import is the whole journey over HTTP: multipart upload (file encrypted and stored), background',
      'validation (decoding, header mapping, row schema, national-ID encryption and keyed hash, matching, staging) and the',
      'one-transaction commit (multi-row inserts from staged rows, audit rows). The floor is a server-side `COPY` of the',
      'same people already in their final form (encrypted, hashed) into the same `persons` table with its indexes.',
      '',
      table,
      '',
      'Reading the figures (goal in issue #3: ≥ 40 % of COPY, memory flat):',
      `- **Against COPY**: ${results.map(({ run, copySeconds }) => `${((copySeconds / run.total) * 100).toFixed(0)} % at ${run.rows} rows`).join(', ')}.`,
      '  COPY itself varies by a third between runs on this machine, so read the ratio with that spread. The',
      '  commit writes what COPY writes (one `INSERT … SELECT` from the staged rows, the same indexes) plus each new',
      "  person's K26 fact and its rollups (decisions 013, 015) and the audit; validation adds the file's decoding,",
      '  the row schema, encryption and keyed hash, matching (one join per batch of 5 000) and the staging write,',
      '  now its largest part. Next steps (decision 010): COPY or an UNLOGGED table for the staged rows.',
      `- **Memory is not flat**: RSS before the import, then the peak of each phase (upload, validate, commit): ${results.map(({ run }) => `${run.rows} rows ${run.rssMb.before} → ${run.rssMb.upload} / ${run.rssMb.validate} / ${run.rssMb.commit} MiB`).join('; ')}.`,
      '  Validation holds the decrypted file and one key per row (in-file duplicates), and V8 grows its heap under',
      "  the batches' garbage; rows themselves are streamed. Chunked file encryption and the duplicate check in SQL",
      '  would flatten it (decision 015).',
      "- Small files pay fixed costs (polling every 100 ms, a job's round trips), so their ratio moves more.",
      '<!-- import-bench:end -->',
    ].join('\n');
    const file = path.join(ROOT, 'docs', 'benchmarks.md');
    const doc = fs.readFileSync(file, 'utf8');
    const re = /<!-- import-bench:start -->[\s\S]*<!-- import-bench:end -->/;
    fs.writeFileSync(file, re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`);
    console.log('Recorded in docs/benchmarks.md');
  }
} finally {
  await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
