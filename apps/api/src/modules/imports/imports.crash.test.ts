import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../test/http-client.ts';
import { csv, multipart, nationalId } from '../../../test/import-files.ts';
import { freePort } from '../../lib/ports.ts';

/**
 * A server killed (SIGKILL) in the middle of a large commit leaves nothing half-written: the
 * commit is one transaction, PostgreSQL rolls it back when the connection drops, and the next
 * process finds the job `committing` with its lock free and marks it failed and retryable.
 * The real platform runs as a child process (as in e2e/global-setup.ts) on a data directory of
 * its own, with the embedded PostgreSQL it starts.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const ROWS = 30_000;
const PREFIX = '斷電測試';

const nodeBinary = () =>
  Number(process.versions.node.split('.')[0]) >= 24
    ? process.execPath
    : path.join(ROOT, 'node_modules', '.bin', 'node');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-import-crash-'));
fs.chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach it
const logFile = path.join(dataDir, 'server.log');
let child: ChildProcess | null = null;

async function startServer(port: number): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(logFile, 'a');
  child = spawn(nodeBinary(), [path.join(ROOT, 'apps/api/src/server.ts')], {
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
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited: ${fs.readFileSync(logFile, 'utf8')}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return base;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not start: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
}

async function stopServer(signal: NodeJS.Signals) {
  const c = child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill(signal);
  await exited;
}

type Job = { id: string; status: string; commitDone: number; failure: string | null; retryable: boolean };

async function waitFor(c: HttpClient, id: string, ok: (j: Job) => boolean, ms: number): Promise<Job> {
  const until = Date.now() + ms;
  for (;;) {
    const j = await c.request<Job>('GET', `/api/imports/${id}`);
    if (ok(j)) return j;
    if (Date.now() > until) throw new Error(`job stayed ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  await stopServer('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('an import commit killed with SIGKILL', () => {
  it(
    'leaves no row written and a retryable job; the retry then imports every row',
    { timeout: 600_000 },
    async () => {
      const port = await freePort();
      let base = await startServer(port);
      let api = new HttpClient(base);
      await api.signIn('agency@demo.example', 'Demo-Password-2026');
      const rows = Array.from({ length: ROWS }, (_, i) => [
        `${PREFIX}${i}`,
        nationalId(i + 1, 'B', i % 2 ? 1 : 2),
        `crash-${i}@example.tw`,
        '臺中市',
      ]);
      const body = multipart(
        '大量名單.csv',
        Buffer.from(csv([['姓名', '身分證字號', '電子郵件', '縣市'], ...rows])),
      );
      const job = await api.request<Job>('POST', '/api/imports?kind=people', body.payload, body.headers);
      await waitFor(api, job.id, (j) => j.status === 'preview', 300_000);

      const commit = api
        .request('POST', `/api/imports/${job.id}/commit`, { onMatch: 'skip' })
        .catch((e: Error) => e);
      // Killed while its transaction runs: new rows go in as one INSERT … SELECT from the staged rows,
      // which takes over a second at this size; the job must still be `committing` when it is killed.
      await waitFor(api, job.id, (j) => j.status !== 'preview', 60_000);
      await new Promise((r) => setTimeout(r, 300));
      const mid = await api.request<Job>('GET', `/api/imports/${job.id}`);
      expect(mid.status, 'the commit finished before it could be killed').toBe('committing');
      await stopServer('SIGKILL');
      expect(await commit).toBeInstanceOf(Error);

      base = await startServer(port);
      api = new HttpClient(base);
      await api.signIn('agency@demo.example', 'Demo-Password-2026');
      const failed = await waitFor(api, job.id, (j) => j.status !== 'committing', 60_000);
      expect(failed).toMatchObject({ status: 'failed', failure: 'interrupted', retryable: true });
      const people = await api.request<{ total: number }>(
        'GET',
        `/api/people?q=${encodeURIComponent(PREFIX)}&limit=1`,
      );
      expect(people.total).toBe(0);

      await api.request('POST', `/api/imports/${job.id}/retry`);
      await waitFor(api, job.id, (j) => j.status === 'preview', 300_000);
      const done = await api.request<{ status: string; createdCount: number }>(
        'POST',
        `/api/imports/${job.id}/commit`,
        {
          onMatch: 'skip',
        },
      );
      expect(done).toMatchObject({ status: 'committed', createdCount: ROWS });
      const after = await api.request<{ total: number; totalCapped: boolean }>(
        'GET',
        `/api/people?q=${encodeURIComponent(PREFIX)}&limit=1`,
      );
      expect(after.total === ROWS || after.totalCapped).toBe(true);
    },
  );
});
