import { loadConfig } from '../config.ts';
import { createDb } from '../db/client.ts';
import { runMigrations, schemaVersion } from '../db/migrate.ts';

const config = loadConfig();
const database = await createDb({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  poolSize: 2,
  log: console.log,
});
try {
  await runMigrations(database.pool);
  const v = await schemaVersion(database.pool);
  console.log(`Migrated: ${v.applied} migrations applied, schema ${v.version}`);
} finally {
  await database.close();
}
