// `npm run db:backup [-- FILE]`: a consistent snapshot of the platform database in one file.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/client.ts';
import { backupDatabase } from '../db/snapshot.ts';
import { cliPath, fail, formatBytes } from './cli-support.ts';

// The file may be given as --out FILE or as the only argument (`npm run db:backup -- FILE`: the root
// script's nested `npm run` would take a bare --out as its own option).
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean' } },
});
if (values.help || positionals.length > 1) {
  console.log(
    'Usage: npm run db:backup [-- FILE]   (or node src/cli/backup.ts --out FILE)\n' +
      'Writes a consistent snapshot (gzip JSON lines) of the embedded database in DATA_DIR, or of DATABASE_URL.\n' +
      'Relative paths are taken from the repository root; the default is backups/dtp-<time>.jsonl.gz.',
  );
  process.exit(values.help ? 0 : 2);
}

try {
  const config = loadConfig();
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const out = cliPath(values.out ?? positionals[0] ?? `backups/dtp-${stamp}.jsonl.gz`);
  const database = await createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    log: (m) => console.error(m),
  });
  try {
    const r = await backupDatabase(database.pool, out);
    const rows = r.header.tables.reduce((n, t) => n + t.rows, 0);
    console.log(
      `Backup written: ${r.file}\n` +
        `  source: ${database.mode === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}` : 'DATABASE_URL'}` +
        ` (PostgreSQL ${r.header.serverVersion}), schema ${r.header.schemaVersion}\n` +
        `  ${r.header.tables.length} tables, ${rows} rows, ${r.header.sequences.length} sequences, ` +
        `${formatBytes(r.bytes)} in ${(r.ms / 1000).toFixed(1)} s\n` +
        `  sha256 of the body: ${r.header.bodySha256}`,
    );
    const fingerprints = Object.entries(r.header.keyFingerprints ?? {});
    const keyIds = [...new Set([...r.header.keyIds, ...fingerprints.map(([id]) => id)])].sort();
    if (keyIds.length) {
      const where = config.fieldEncryptionKey
        ? 'FIELD_ENCRYPTION_KEY'
        : path.join(config.dataDir, 'keys.json');
      console.log(
        `  WARNING: the field-encryption key is NOT in this file. Keep a copy of ${where} (key ids ${keyIds.join(', ')})` +
          ' with every backup, stored apart from it: without the key the ID numbers in the backup cannot be read,' +
          ' and db:restore and the app refuse to run with another key.' +
          (fingerprints.length
            ? `\n  Key fingerprints: ${fingerprints.map(([id, f]) => `${id} ${f}`).join(', ')}`
            : ''),
      );
    }
  } finally {
    await database.close();
  }
} catch (e) {
  fail(e);
}
