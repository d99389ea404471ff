import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidAlive, startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';

// Issue #2 §2: one app per data directory, and a server left by a killed app is found and stopped.
const API = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const node = () =>
  Number(process.versions.node.split('.')[0]) >= 24
    ? process.execPath
    : path.resolve(API, '../../node_modules/.bin/node');

const alive = pidAlive;
const postmasterPid = (dataDir: string) =>
  Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

/** Runs the holder fixture: an app with an embedded server on `dataDir`, until it is signalled. */
function holder(dataDir: string): Promise<ChildProcess> {
  const child = spawn(node(), [path.join(API, 'test/fixtures/embedded-holder.ts'), dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('ready ')) resolve(child);
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => reject(new Error(`holder exited (${code}):\n${out}`)));
  });
}

/** `node apps/api/src/server.ts` on `dataDir`, to its exit: what a second `npm start` prints. */
function serverRun(dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(node(), [path.join(API, 'src/server.ts')], {
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

let dataDir: string;
const started: EmbeddedServer[] = [];
const children: ChildProcess[] = [];
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-embedded-test-'));
  fs.chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach it
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(started.map((s) => s.stop()));
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (fs.existsSync(pidFile) && alive(postmasterPid(dataDir))) process.kill(postmasterPid(dataDir), 'SIGINT');
  await new Promise((r) => setTimeout(r, 500));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('refuses a second app on the same data directory, saying which process holds it', async () => {
    const first = await holder(dataDir);
    children.push(first);
    const second = await serverRun(dataDir);
    expect(second.code).toBe(1);
    expect(second.output).toContain(
      `[dtp] Another app (pid ${first.pid}) is already using the data directory ${dataDir}.`,
    );
    expect(second.output).toContain('give this one its own DATA_DIR');
    // The first app's server is untouched.
    expect(alive(postmasterPid(dataDir))).toBe(true);
  }, 120_000);

  it('finds the server a killed app left running, stops it and starts its own', async () => {
    const [first] = children;
    const leftover = postmasterPid(dataDir);
    const exited = new Promise((r) => first!.once('exit', r));
    first!.kill('SIGKILL'); // the app dies without stopping its PostgreSQL
    await exited;
    expect(alive(leftover)).toBe(true);

    const logs: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir, log: (m) => logs.push(m) });
    started.push(server);
    expect(logs.join('\n')).toContain(`Found a PostgreSQL server (pid ${leftover}) left running`);
    expect(alive(leftover)).toBe(false);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ enc: string }>(
      `select pg_encoding_to_char(encoding) as enc from pg_database where datname = 'postgres'`,
    );
    await client.end();
    expect(rows[0]?.enc).toBe('UTF8');
  }, 120_000);
});

// Issue #8 item 18: as root, a data directory the postgres user cannot reach moves to a fallback
// directory outside the checkout, which outlives it: the start says where, and that it stays.
describe('the fallback directory when running as root', () => {
  it.skipIf(process.getuid?.() !== 0)(
    'is named in the start log, with a word that it outlives the checkout',
    async () => {
      const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-closed-'));
      fs.chmodSync(closed, 0o700); // the postgres user cannot enter it
      const lines: string[] = [];
      const server = await startEmbeddedPostgres({
        dataDir: path.join(closed, 'data'),
        log: (m) => lines.push(m),
      });
      const moved = server.dataDir.replace(/\/postgres$/, '');
      try {
        const said = lines.join('\n');
        expect(moved.startsWith('/var/lib/digital-talent-platform/')).toBe(true);
        expect(said).toContain(moved);
        expect(said).toMatch(/stays when the checkout is removed/);
      } finally {
        await server.stop();
        fs.rmSync(moved, { recursive: true, force: true });
        fs.rmSync(closed, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
