import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from '../config.ts';
import { keyRingFrom, type KeyRing } from './crypto.ts';

/**
 * The field-encryption key ring. From FIELD_ENCRYPTION_KEY when set; on the embedded database a
 * key is made once and kept beside the data (DATA_DIR/keys.json, mode 0600). An external database
 * without the variable is refused: its data would be unreadable after a restart elsewhere.
 */
export function loadKeys(config: Config): KeyRing {
  if (config.fieldEncryptionKey) return keyRingFrom(config.fieldEncryptionKey);
  if (config.databaseUrl && config.env === 'production') {
    throw new ConfigError([
      'FIELD_ENCRYPTION_KEY: required with DATABASE_URL in production (make one: openssl rand -base64 32)',
    ]);
  }
  const file = path.join(config.dataDir, 'keys.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ k1: randomBytes(32).toString('base64') }), { mode: 0o600 });
  }
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  return keyRingFrom(stored.k1!, 'k1');
}
