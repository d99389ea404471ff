import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase } from './client.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';
import { runMigrations } from './migrate.ts';
import { backupDatabase, readSnapshotHeader, restoreDatabase } from './snapshot.ts';

/**
 * Backup and restore, independent of the suite's shared server: our own embedded PostgreSQL in a
 * temp directory, or fresh databases on the server in DATABASE_URL when that is set.
 */
const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-snapshot-test-'));
fs.chmodSync(tmp, 0o755); // as root, the postgres user must reach the data directory
const run = Math.random().toString(36).slice(2, 8);
const servers: EmbeddedServer[] = [];
const pools: pg.Pool[] = [];
let adminUrl = '';
const created: string[] = [];

const urlFor = (db: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  return u.toString();
};
const poolFor = (url: string) => {
  // Row text must not depend on the server's TimeZone when two servers are compared.
  const p = new pg.Pool({
    connectionString: url,
    max: 3,
    options: '-c TimeZone=UTC -c extra_float_digits=3',
  });
  pools.push(p);
  return p;
};
async function freshDatabase(suffix: string): Promise<{ url: string; pool: pg.Pool }> {
  const name = `dtp_snapshot_${run}_${suffix}`;
  await ensureDatabase(adminUrl, name);
  created.push(name);
  const url = urlFor(name);
  return { url, pool: poolFor(url) };
}

/** Every table's row count and md5 of all rows as text, in a fixed order. */
async function contents(pool: pg.Pool): Promise<Record<string, string>> {
  const tables = await pool.query<{ name: string }>(`
    select format('%I.%I', schemaname, tablename) as name from pg_tables
    where schemaname in ('public', 'drizzle') order by 1`);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const r = await pool.query<{ n: string; md5: string }>(
      `select count(*)::text as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text collate "C"), '')) as md5 from ${name} t`,
    );
    out[name] = `${r.rows[0]!.n} ${r.rows[0]!.md5}`;
  }
  const seq = await pool.query<{ v: string }>(
    `select last_value::text || ':' || is_called::text as v from drizzle.__drizzle_migrations_id_seq`,
  );
  out['sequence drizzle.__drizzle_migrations_id_seq'] = seq.rows[0]!.v;
  return out;
}

const ids = (n: number) => `01930000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

async function populate(pool: pg.Pool): Promise<void> {
  await runMigrations(pool);
  const odd = '臺北市 中正區 "引號" \\反斜線\\ 換行\n定位\t結束 🎉 \u2028 NUL-free';
  await pool.query(
    `insert into accounts (id, email, display_name, password_hash, email_verified_at, mfa_secret_enc, mfa_key_id,
        mfa_last_step, is_demo, created_at, updated_at)
     values ($1, 'wang@example.tw', $2, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', '2026-03-04 05:06:07.123456+08',
        'enc:v1:abc', 'k1', 12345, true, '2025-12-31 23:59:59.999999+00', '2026-01-01 00:00:00.000001+00'),
            ($3, 'nulls@example.tw', '無資料', null, null, null, null, null, false, now(), now())`,
    [ids(1), odd, ids(2)],
  );
  // Enough rows for several fetch and insert batches.
  await pool.query(`
    insert into accounts (id, email, display_name, created_at, updated_at, locale)
    select ('01930000-0000-7000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'user' || i || '@example.tw',
           '使用者 ' || i || ' 號', timestamptz '2026-01-01 00:00:00+00' + i * interval '1.000001 second',
           timestamptz '2026-01-01' + i * interval '1 microsecond', case when i % 3 = 0 then 'en' else 'zh-TW' end
    from generate_series(1, 2500) i`);
  await pool.query(
    `insert into grants (id, account_id, role, scope_kind, scope_id, function, created_at, created_by, revoked_at)
     values ($1, $2, 'admin', 'global', null, null, '2026-02-03 04:05:06.654321+00', null, null),
            ($3, $4, 'agency', 'agency', $5, '承辦', now(), $2, '2026-04-05 06:07:08.000009+00')`,
    [ids(11), ids(1), ids(12), ids(2), ids(99)],
  );
  await pool.query(
    `insert into settings (key, value, updated_at, updated_by)
     values ('auth.mfaRequiredRoles', '["admin","pmo"]', '2026-05-06 07:08:09.101112+00', $1),
            ('測試.設定', $2::jsonb, now(), null)`,
    [
      ids(1),
      '{"縣市": ["臺北市", "高雄市"], "n": 1.50, "big": 12345678901234567890, "deep": {"a": [null, true]}}',
    ],
  );
  await pool.query(
    `insert into audit_log (id, at, actor_account_id, grant_id, action, target_type, target_id, before, after, ip, request_id)
     select ('01930000-0000-7000-8000-' || lpad(to_hex(100000 + i), 12, '0'))::uuid,
            timestamptz '2026-01-01 00:00:00.000123+00' + i * interval '1 second',
            case when i % 2 = 1 then $1::uuid end, case when i % 2 = 1 then $2::uuid end,
            'account.updated', 'account', $3,
            case when i % 5 = 0 then '{"displayName": "舊名稱"}'::jsonb end,
            jsonb_build_object('displayName', '新名稱 ' || i, 'tags', jsonb_build_array('中文', 'en')),
            case when i % 7 <> 0 then '127.0.0.1' end, 'req-' || i
     from generate_series(0, 1199) i`,
    [ids(1), ids(11), ids(2)],
  );
  await pool.query(
    `insert into outbox (id, to_address, to_account_id, locale, template, params, subject, body_text, body_html,
        status, attempts, next_attempt_at, locked_until, last_error, created_at, sent_at)
     values ($1, 'wang@example.tw', $2, 'zh-TW', 'verify_email', $3, '請驗證您的電子郵件', $4, '<p>您好</p>',
        'sent', 1, '2026-01-02 03:04:05.000001+00', null, null, '2026-01-02 03:04:05.999999+00', '2026-01-02 03:04:06+00'),
            ($5, 'x@example.tw', null, 'en', 'reset_password', '{}', 'Reset', 'line1\nline2', '', 'failed', 3,
        now(), now(), 'SMTP 550: 信箱不存在', now(), null)`,
    [
      ids(201),
      ids(1),
      JSON.stringify({ url: 'http://localhost/verify-email?token=abc' }),
      '請點選連結：\nhttp://localhost/verify-email?token=abc',
      ids(202),
    ],
  );
}

let source: { url: string; pool: pg.Pool };
let expected: Record<string, string>;

beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'server'), log: () => {} });
    servers.push(server);
    adminUrl = server.url;
  }
  source = await freshDatabase('src');
  await populate(source.pool);
  expected = await contents(source.pool);
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    for (const name of created)
      await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await admin.end();
  }
  for (const s of servers) await s.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('backup and restore', () => {
  const file = path.join(tmp, 'snapshot.jsonl.gz');

  it('restores every row, sequence and trigger identically into an empty database', async () => {
    const backup = await backupDatabase(source.pool, file);
    const header = await readSnapshotHeader(file);
    expect(header.tables.find((t) => t.name === 'public.accounts')?.rows).toBe(2502);
    expect(header.tables.find((t) => t.name === 'public.audit_log')?.rows).toBe(1200);
    expect(header.keyIds).toEqual(['k1']);
    // Parents come before children in the file.
    const names = header.tables.map((t) => t.name);
    expect(names.indexOf('public.accounts')).toBeLessThan(names.indexOf('public.grants'));
    expect(backup.header.bodySha256).toMatch(/^[0-9a-f]{64}$/);

    const target = await freshDatabase('dst');
    const r = await restoreDatabase(target.pool, file);
    expect(r.rows).toBe(header.tables.reduce((n, t) => n + t.rows, 0));
    expect(await contents(target.pool)).toEqual(expected);
    // The append-only trigger is still in force after the load.
    await expect(target.pool.query('delete from audit_log')).rejects.toThrow(/append-only/);
  });

  it('refuses a database that has rows', async () => {
    const target = await freshDatabase('busy');
    await runMigrations(target.pool);
    await target.pool.query(`insert into settings (key, value) values ('x', '1')`);
    await expect(restoreDatabase(target.pool, file)).rejects.toThrow(
      /not empty \(rows in public\.settings\)/,
    );
  });

  it('refuses another schema version, and a damaged file, leaving the target empty', async () => {
    const [head, ...body] = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
    const header = JSON.parse(head!) as { schemaVersion: string };
    const future = path.join(tmp, 'future.jsonl.gz');
    fs.writeFileSync(
      future,
      zlib.gzipSync([JSON.stringify({ ...header, schemaVersion: '9999_future' }), ...body].join('\n')),
    );
    const target = await freshDatabase('refuse');
    await expect(restoreDatabase(target.pool, future)).rejects.toThrow(/Schema mismatch.*9999_future/);

    const damaged = path.join(tmp, 'damaged.jsonl.gz');
    const i = body.findIndex((l) => l.includes('新名稱 7\\"'));
    body[i] = body[i]!.replace('新名稱 7\\"', '新名稱 8\\"');
    fs.writeFileSync(damaged, zlib.gzipSync([head, ...body].join('\n')));
    await expect(restoreDatabase(target.pool, damaged)).rejects.toThrow(/damaged/);
    const n = await target.pool.query<{ n: number }>('select count(*)::int as n from audit_log');
    expect(n.rows[0]!.n).toBe(0);
  });

  it('runs as the npm scripts do: backup of DATABASE_URL, restore into a new embedded data directory', async () => {
    const node = (script: string, args: string[], env: Record<string, string | undefined>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(API_DIR, 'src/cli', script), ...args], {
          env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const cliFile = path.join(tmp, 'cli.jsonl.gz');
    const backup = await node('backup.ts', ['--out', cliFile], { DATABASE_URL: source.url });
    expect(backup.out).toMatch(/Backup written/);
    expect(backup.code, backup.out).toBe(0);

    expect(backup.out).toMatch(/key is NOT in this file.*k1/s);

    // The data names key k1: without a key on hand the restore refuses before touching anything.
    const dataDir = path.join(tmp, 'restored');
    const keyless = await node('restore.ts', [cliFile], { DATA_DIR: dataDir });
    expect(keyless.code, keyless.out).toBe(1);
    expect(keyless.out).toMatch(/key k1.*keys\.json/s);
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(
      path.join(dataDir, 'keys.json'),
      JSON.stringify({ k1: randomBytes(32).toString('base64') }),
    );
    const restore = await node('restore.ts', [cliFile], { DATA_DIR: dataDir });
    expect(restore.out).toMatch(/counts and checksums verified/);
    expect(restore.code, restore.out).toBe(0);
    const again = await node('restore.ts', [cliFile], { DATA_DIR: dataDir });
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/not empty/);

    const server = await startEmbeddedPostgres({ dataDir, log: () => {} });
    servers.push(server);
    const restored = poolFor(server.url.replace(/\/postgres$/, '/dtp'));
    expect(await contents(restored)).toEqual(expected);
  }, 120_000); // three processes and a new cluster: slow on a busy 2-core machine
});
