// `npm run db:restore -- FILE`: loads a snapshot made by db:backup into an EMPTY database.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/client.ts';
import { SnapshotError, codeSchemaVersion, readSnapshotHeader, restoreDatabase } from '../db/snapshot.ts';
import { cliPath, fail } from './cli-support.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean' } },
});
if (values.help || positionals.length !== 1) {
  console.log(
    'Usage: npm run db:restore -- FILE\n' +
      'Restores a db:backup snapshot into the embedded database in DATA_DIR (a new, empty one) or into\n' +
      'DATABASE_URL (an empty database). Refuses a database that has rows or another schema version.',
  );
  process.exit(values.help ? 0 : 2);
}

try {
  const config = loadConfig();
  const file = cliPath(positionals[0]!);
  const header = await readSnapshotHeader(file);
  const ours = codeSchemaVersion();
  if (header.schemaVersion !== ours) {
    throw new SnapshotError(
      `Schema mismatch: ${path.basename(file)} is schema ${header.schemaVersion ?? 'none'}, this release ` +
        `creates ${ours ?? 'none'}. Restore with the release that made the snapshot, then upgrade.`,
    );
  }
  const rows = header.tables.reduce((n, t) => n + t.rows, 0);
  console.log(
    `Snapshot of ${header.createdAt}: schema ${header.schemaVersion}, ${header.tables.length} tables, ${rows} rows`,
  );
  const database = await createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    log: (m) => console.error(m),
  });
  try {
    const r = await restoreDatabase(database.pool, file, (m) => console.log(m));
    // Fresh statistics for the planner; the data is already committed, so a failure here only warns.
    await database.pool
      .query('analyze')
      .catch((e: Error) => console.error(`[dtp] analyze failed: ${e.message}`));
    console.log(
      `Restored into ${database.mode === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}` : 'DATABASE_URL'}` +
        ` in ${(r.ms / 1000).toFixed(1)} s.`,
    );
    if (header.keyIds.length && !config.fieldEncryptionKey) {
      const keys = path.join(config.dataDir, 'keys.json');
      const note = fs.existsSync(keys)
        ? `make sure ${keys} is the one from the source`
        : `copy keys.json to ${keys}`;
      console.log(
        `Encrypted fields use key ids ${header.keyIds.join(', ')}: ${note}, or set FIELD_ENCRYPTION_KEY, before starting the app.`,
      );
    }
  } finally {
    await database.close();
  }
} catch (e) {
  fail(e);
}
