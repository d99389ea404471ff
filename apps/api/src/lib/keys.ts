import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ConfigError, type Config } from '../config.ts';
import { decryptBytes, decryptField, keyFingerprint, keyRingFrom, type KeyRing } from './crypto.ts';

/** The server has no key, or another key, for data the database holds (decision 018). */
export class FieldKeyError extends Error {}

export type LoadedKeys = {
  keys: KeyRing;
  /** Where the key came from, for messages: FIELD_ENCRYPTION_KEY, the keys.json path, or a new key. */
  source: string;
  /** The keys.json a new key goes to (written by `confirmFieldKeys` once the database accepts it). */
  file: string;
  /** True when no key was found and this one was just made (not yet written). */
  made: boolean;
};

/**
 * The field-encryption key ring. From FIELD_ENCRYPTION_KEY when set; on the embedded database a
 * key is made once and kept beside the data (DATA_DIR/keys.json, mode 0600), written only after
 * `confirmFieldKeys` found the database holds no data under another key. An external database
 * without the variable is refused: its data would be unreadable after a restart elsewhere.
 */
export function loadKeys(config: Config): LoadedKeys {
  const file = path.join(config.dataDir, 'keys.json');
  if (config.fieldEncryptionKey) {
    return {
      keys: keyRingFrom(config.fieldEncryptionKey),
      source: 'FIELD_ENCRYPTION_KEY',
      file,
      made: false,
    };
  }
  if (config.databaseUrl && config.env === 'production') {
    throw new ConfigError([
      'FIELD_ENCRYPTION_KEY: required with DATABASE_URL in production (make one: openssl rand -base64 32)',
    ]);
  }
  if (!fs.existsSync(file)) {
    return {
      keys: keyRingFrom(randomBytes(32).toString('base64'), 'k1'),
      source: `a new key (there is no ${file})`,
      file,
      made: true,
    };
  }
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  return { keys: keyRingFrom(stored.k1!, 'k1'), source: file, file, made: false };
}

/** Write a newly made key to keys.json (mode 0600). */
export function saveKeys(loaded: LoadedKeys): void {
  if (!loaded.made || fs.existsSync(loaded.file)) return;
  fs.mkdirSync(path.dirname(loaded.file), { recursive: true });
  const json: Record<string, string> = {};
  for (const [id, key] of loaded.keys.keys) json[id] = key.toString('base64');
  fs.writeFileSync(loaded.file, JSON.stringify(json), { mode: 0o600, flag: 'wx' });
  loaded.made = false;
}

const whatToDo = (loaded: LoadedKeys, id: string) =>
  `Restore the keys.json kept with this database's backup to ${loaded.file}` +
  ` (or set FIELD_ENCRYPTION_KEY to key ${id}), then start again. Starting with another key would leave` +
  ' the protected ID numbers unreadable and let a person already registered be registered again.';

/** Key ids named by the data (every `*key_id` column of the app's tables). */
async function keyIdsInUse(pool: pg.Pool): Promise<Set<string>> {
  const cols = await pool.query<{ t: string; c: string }>(`
    select format('%I.%I', table_schema, table_name) as t, quote_ident(column_name) as c
      from information_schema.columns
     where column_name like '%key\\_id' and table_name <> 'field_keys'
       and table_schema not in ('pg_catalog', 'information_schema')`);
  const ids = new Set<string>();
  for (const { t, c } of cols.rows) {
    const r = await pool.query<{ k: string }>(
      `select distinct ${c}::text as k from ${t} where ${c} is not null`,
    );
    for (const row of r.rows) ids.add(row.k);
  }
  return ids;
}

/** For data from before fingerprints: whether the key opens one value of each kind protected by it. */
async function opensSample(pool: pg.Pool, keys: KeyRing, id: string): Promise<boolean> {
  const samples = await pool.query<{ v: string | null; b: Buffer | null }>(
    `(select national_id_enc as v, null::bytea as b from persons where national_id_key_id = $1 and national_id_enc is not null limit 1)
     union all (select mfa_secret_enc, null from accounts where mfa_key_id = $1 and mfa_secret_enc is not null limit 1)
     union all (select null, content from import_files where key_id = $1 limit 1)`,
    [id],
  );
  try {
    for (const s of samples.rows) {
      if (s.v !== null) decryptField(keys, id, s.v);
      else if (s.b !== null) decryptBytes(keys, id, s.b);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks the key ring against the database before the server starts (issue #8): every key the
 * database records (`field_keys`: id and fingerprint) or its data names must be on hand and be the
 * same key; otherwise a `FieldKeyError` names the key id and what to do. Then the ring's keys are
 * recorded, and a newly made key is written to keys.json. Runs after the migrations.
 */
export async function confirmFieldKeys(pool: pg.Pool, loaded: LoadedKeys): Promise<void> {
  const { keys, source } = loaded;
  const stored = new Map(
    (
      await pool.query<{ id: string; fingerprint: string }>('select id, fingerprint from field_keys')
    ).rows.map((r) => [r.id, r.fingerprint]),
  );
  for (const [id, fingerprint] of stored) {
    // A key just made (no keys.json found) is never the one the data was protected with.
    const key = loaded.made ? undefined : keys.keys.get(id);
    if (!key) {
      throw new FieldKeyError(
        `This database holds data protected by field-encryption key ${id} (fingerprint ${fingerprint}), ` +
          `and ${loaded.made ? `there is no ${loaded.file} (nor FIELD_ENCRYPTION_KEY)` : `${source} has no key ${id}`}. ` +
          whatToDo(loaded, id),
      );
    }
    const ours = keyFingerprint(key);
    if (ours !== fingerprint) {
      throw new FieldKeyError(
        `Field-encryption key ${id} from ${source} (fingerprint ${ours}) is not the key this database's data ` +
          `is protected with (fingerprint ${fingerprint}). ${whatToDo(loaded, id)}`,
      );
    }
  }
  // Once fingerprints are recorded every key written with since is recorded too (the ring is recorded
  // before any write), so the data is scanned for key ids only in a database from before them.
  for (const id of stored.size ? [] : await keyIdsInUse(pool)) {
    if (stored.has(id)) continue;
    if (loaded.made || !keys.keys.has(id) || !(await opensSample(pool, keys, id))) {
      const why = loaded.made
        ? `there is no ${loaded.file} (nor FIELD_ENCRYPTION_KEY)`
        : keys.keys.has(id)
          ? `${source} cannot read it (another key with the same id)`
          : `${source} has no key ${id}`;
      throw new FieldKeyError(
        `This database holds data protected by field-encryption key ${id}, and ${why}. ${whatToDo(loaded, id)}`,
      );
    }
  }
  for (const [id, key] of keys.keys) {
    if (!stored.has(id)) {
      await pool.query(
        'insert into field_keys (id, fingerprint) values ($1, $2) on conflict (id) do nothing',
        [id, keyFingerprint(key)],
      );
    }
  }
  // A concurrent first start may have recorded another new key: read back before keeping ours.
  const after = await pool.query<{ id: string; fingerprint: string }>(
    'select id, fingerprint from field_keys',
  );
  for (const r of after.rows) {
    const key = keys.keys.get(r.id);
    if (key && keyFingerprint(key) !== r.fingerprint) {
      throw new FieldKeyError(
        `Field-encryption key ${r.id} from ${source} is not the key another process recorded for this ` +
          `database (fingerprint ${r.fingerprint}). ${whatToDo(loaded, r.id)}`,
      );
    }
  }
  saveKeys(loaded);
}

/**
 * Before a restore (issue #8): the key on hand must be the key of every fingerprint the snapshot
 * carries, or the restored data could not be read and the server would refuse to start. A snapshot
 * made before fingerprints names only its key ids: a key must be on hand for each (not checkable
 * further). Returns the key ids checked by fingerprint.
 */
export function checkSnapshotKeys(
  loaded: LoadedKeys,
  snapshot: { keyIds: string[]; keyFingerprints?: Record<string, string> },
): string[] {
  const todo = (id: string) =>
    `Copy the keys.json kept with this backup to ${loaded.file} (or set FIELD_ENCRYPTION_KEY to key ${id}), ` +
    'then restore again.';
  const missing = (id: string) =>
    loaded.made
      ? `there is no ${loaded.file} (nor FIELD_ENCRYPTION_KEY)`
      : `${loaded.source} has no key ${id}`;
  const fingerprints = snapshot.keyFingerprints ?? {};
  for (const [id, fingerprint] of Object.entries(fingerprints)) {
    const key = loaded.made ? undefined : loaded.keys.keys.get(id);
    if (!key) {
      throw new FieldKeyError(
        `The snapshot's data is protected by field-encryption key ${id} (fingerprint ${fingerprint}), ` +
          `and ${missing(id)}. ${todo(id)}`,
      );
    }
    if (keyFingerprint(key) !== fingerprint) {
      throw new FieldKeyError(
        `Field-encryption key ${id} from ${loaded.source} (fingerprint ${keyFingerprint(key)}) is not the key ` +
          `the snapshot's data is protected with (fingerprint ${fingerprint}). ${todo(id)}`,
      );
    }
  }
  for (const id of snapshot.keyIds) {
    if (id in fingerprints) continue;
    if (loaded.made || !loaded.keys.keys.has(id)) {
      throw new FieldKeyError(
        `The snapshot's data is protected by field-encryption key ${id}, and ${missing(id)}. ${todo(id)}`,
      );
    }
  }
  return Object.keys(fingerprints);
}
