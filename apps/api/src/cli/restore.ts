// `npm run db:restore -- FILE`: loads a snapshot made by db:backup into an EMPTY database.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/client.ts';
import { SnapshotError, codeSchemaVersion, readSnapshotHeader, restoreDatabase } from '../db/snapshot.ts';
import { checkSnapshotKeys, loadKeys } from '../lib/keys.ts';
import { cliPath, fail } from './cli-support.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean' } },
});
if (values.help || positionals.length !== 1) {
  console.log(
    'Usage: npm run db:restore -- FILE\n' +
      'Restores a db:backup snapshot into the embedded database in DATA_DIR (a new, empty one) or into\n' +
      'DATABASE_URL (an empty database). Refuses a database that has rows or another schema version.\n' +
      'The field-encryption key is not in the snapshot: put the keys.json kept with it in DATA_DIR (or set\n' +
      'FIELD_ENCRYPTION_KEY) first; the restore refuses a key that does not match the snapshot.',
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
  // The key must be on hand before the data: without it the restored database cannot be started.
  const checked = checkSnapshotKeys(loadKeys(config), header);
  if (checked.length)
    console.log(`Field-encryption key(s) ${checked.join(', ')} on hand match the snapshot.`);
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
    const unchecked = header.keyIds.filter((id) => !checked.includes(id));
    if (unchecked.length) {
      console.log(
        `Encrypted fields use key ids ${unchecked.join(', ')} (a snapshot without fingerprints): the app checks ` +
          'at start that the key on hand reads them.',
      );
    }
  } finally {
    await database.close();
  }
} catch (e) {
  fail(e);
}
