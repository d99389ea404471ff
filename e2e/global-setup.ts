import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { freePort } from '../apps/api/src/lib/ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The platform under test, e.g. http://127.0.0.1:41234 (API and built web app on one port). */
    baseUrl: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOG = path.join(ROOT, 'test-results', 'e2e-server.log');

/** Node 24 runs the server's TypeScript; under an older `node` use the pinned one in node_modules. */
function nodeBinary(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  return path.join(ROOT, 'node_modules', '.bin', 'node');
}

async function waitForHealth(url: string, child: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The platform exited during start (${child.exitCode ?? child.signalCode}); see ${LOG}`);
    }
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The platform did not answer /api/health within ${ms / 1000} s; see ${LOG}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts the real platform (`apps/api/src/server.ts`) as a child process on a free port with a
 * fresh DATA_DIR (embedded PostgreSQL, demo mode), and stops it, and its PostgreSQL, at the end.
 */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-e2e-'));
  fs.chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach it
  fs.mkdirSync(path.dirname(LOG), { recursive: true });
  const log = fs.openSync(LOG, 'w');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    NODE_ENV: 'production', // as deployed; errors are logged (LOG_LEVEL warn) to the server log
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATA_DIR: dataDir,
    DEMO: 'true',
    LOG_LEVEL: 'warn',
    // Every journey's browser is 127.0.0.1 and the journeys run back to back: the sign-in family's
    // flood limit (decision 026, 30 a minute per address) is raised for this one server.
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
  };
  const child = spawn(nodeBinary(), [path.join(ROOT, 'apps/api/src/server.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM'); // the server closes the app, then stops its PostgreSQL
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    fs.closeSync(log);
    // Its PostgreSQL removes postmaster.pid when it has stopped; a live one left behind is a bug.
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (pid && pidAlive(pid)) {
        process.kill(pid, 'SIGINT');
        throw new Error(`The platform left its PostgreSQL (pid ${pid}) running after SIGTERM; stopped it.`);
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child, 120_000);
  } catch (e) {
    await stop();
    const tail = fs.existsSync(LOG) ? fs.readFileSync(LOG, 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`${(e as Error).message}\n${tail}`, { cause: e });
  }
  project.provide('baseUrl', baseUrl);
  return stop;
}
