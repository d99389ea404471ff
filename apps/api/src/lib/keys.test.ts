import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers.ts';
import { loadConfig } from '../config.ts';
import { accounts, fieldKeys } from '../db/schema/index.ts';
import { encryptField, keyFingerprint } from './crypto.ts';
import { backupDatabase } from '../db/snapshot.ts';
import { checkSnapshotKeys, confirmFieldKeys, FieldKeyError, loadKeys } from './keys.ts';

/**
 * What the server does at start with its field-encryption key (issue #8, item 2): a restored
 * database started without its keys.json must be refused, not given a new key with the same id.
 */
describe('field keys at start', () => {
  let t: TestApp;
  const dirs: string[] = [];
  const dataDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-keys-'));
    dirs.push(d);
    return d;
  };
  // An app start on the embedded database: the key comes from DATA_DIR/keys.json (made when missing).
  const start = async (dir: string, env: Record<string, string> = {}) => {
    const config = loadConfig({ NODE_ENV: 'test', DEMO: 'false', DATA_DIR: dir, ...env });
    const loaded = loadKeys(config);
    await confirmFieldKeys(t.database.pool, loaded);
    return loaded.keys;
  };

  beforeAll(async () => {
    t = await createTestApp(); // a copy of a freshly migrated database: no field keys recorded yet
  });
  afterAll(async () => {
    await t.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a fresh database: a key is made, kept in keys.json, and its fingerprint stored; a different key is then refused naming the key id; the same key starts', async () => {
    const original = dataDir();
    const ring = await start(original);
    expect(fs.existsSync(path.join(original, 'keys.json'))).toBe(true);
    const stored = await t.db.select().from(fieldKeys);
    expect(stored).toEqual([
      expect.objectContaining({ id: 'k1', fingerprint: keyFingerprint(ring.keys.get('k1')!) }),
    ]);
    // The fingerprint identifies the key without revealing it.
    expect(stored[0]!.fingerprint).not.toContain(ring.keys.get('k1')!.toString('base64url').slice(0, 8));

    // Protected data under that key.
    const owner = await t.createAccount();
    const enc = encryptField(ring, 'JBSWY3DPEHPK3PXP');
    await t.db
      .update(accounts)
      .set({ mfaSecretEnc: enc.value, mfaKeyId: enc.keyId })
      .where(eq(accounts.id, owner.id));

    // Restored elsewhere without keys.json: refused, naming the key and what to do, and no key is made.
    const elsewhere = dataDir();
    const refused = await start(elsewhere).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FieldKeyError);
    expect((refused as Error).message).toMatch(/\bk1\b/);
    expect((refused as Error).message).toContain('keys.json');
    expect(fs.existsSync(path.join(elsewhere, 'keys.json'))).toBe(false);

    // Another key given in FIELD_ENCRYPTION_KEY: refused the same way.
    const other = await start(dataDir(), { FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64') }).catch(
      (e: unknown) => e,
    );
    expect(other).toBeInstanceOf(FieldKeyError);
    expect((other as Error).message).toMatch(/\bk1\b/);

    // The same key: starts.
    const again = await start(original);
    expect(again.keys.get('k1')!.equals(ring.keys.get('k1')!)).toBe(true);
    const viaEnv = await start(dataDir(), { FIELD_ENCRYPTION_KEY: ring.keys.get('k1')!.toString('base64') });
    expect(viaEnv.currentId).toBe('k1');

    // A backup carries the fingerprints; a restore checks the key on hand against them first.
    const file = path.join(dataDir(), 'backup.jsonl.gz');
    const { header } = await backupDatabase(t.database.pool, file);
    expect(header.keyFingerprints).toEqual({ k1: keyFingerprint(ring.keys.get('k1')!) });
    const on = (dir: string, env: Record<string, string> = {}) =>
      loadKeys(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, ...env }));
    expect(checkSnapshotKeys(on(original), header)).toEqual(['k1']);
    const noKey = (() => {
      try {
        return checkSnapshotKeys(on(dataDir()), header);
      } catch (e) {
        return e;
      }
    })();
    expect(noKey).toBeInstanceOf(FieldKeyError);
    expect((noKey as Error).message).toMatch(/key k1 .*keys\.json/s);
    expect(() =>
      checkSnapshotKeys(on(dataDir(), { FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64') }), header),
    ).toThrow(/key k1 from FIELD_ENCRYPTION_KEY .* is not the key/);
  });

  it('a database with protected data from before fingerprints: a key that cannot read it is refused, the right one is recorded', async () => {
    await t.db.delete(fieldKeys);
    const right = randomBytes(32).toString('base64');
    const c = await createTestApp();
    try {
      const owner = await c.createAccount();
      const enc = encryptField(
        loadKeys(loadConfig({ NODE_ENV: 'test', FIELD_ENCRYPTION_KEY: right })).keys,
        'SECRET',
      );
      await c.db
        .update(accounts)
        .set({ mfaSecretEnc: enc.value, mfaKeyId: enc.keyId })
        .where(eq(accounts.id, owner.id));
      const wrong = loadKeys(
        loadConfig({ NODE_ENV: 'test', FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
      );
      const refused = await confirmFieldKeys(c.database.pool, wrong).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(FieldKeyError);
      expect((refused as Error).message).toMatch(/\bk1\b/);
      expect(await c.db.select().from(fieldKeys)).toEqual([]);
      const ok = loadKeys(loadConfig({ NODE_ENV: 'test', FIELD_ENCRYPTION_KEY: right }));
      await confirmFieldKeys(c.database.pool, ok);
      expect((await c.db.select().from(fieldKeys)).map((r) => r.fingerprint)).toEqual([
        keyFingerprint(ok.keys.keys.get('k1')!),
      ]);
    } finally {
      await c.close();
    }
  });
});
