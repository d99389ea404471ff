import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config.ts';
import { EmbeddedPostgresError } from '../db/embedded.ts';
import { SnapshotError } from '../db/snapshot.ts';
import { FieldKeyError } from '../lib/keys.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** npm runs workspace scripts in apps/api, so relative paths are taken from the repository root. */
export const cliPath = (p: string): string => path.resolve(REPO_ROOT, p);

export const formatBytes = (n: number): string =>
  n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** Known failures print their message alone; anything else prints its stack. Exit code 1 either way. */
export function fail(e: unknown): never {
  if (
    e instanceof ConfigError ||
    e instanceof EmbeddedPostgresError ||
    e instanceof SnapshotError ||
    e instanceof FieldKeyError
  ) {
    console.error(`[dtp] ${e.message}`);
  } else {
    console.error('[dtp] failed:', e);
  }
  process.exit(1);
}
