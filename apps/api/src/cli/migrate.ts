import { loadConfig } from '../config.ts';
import { createDb } from '../db/client.ts';
import { schemaVersion } from '../db/migrate.ts';
import { prepareDatabase } from '../bootstrap.ts';
import { loadKeys } from '../lib/keys.ts';

const config = loadConfig();
const database = await createDb({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  poolSize: 2,
  log: console.log,
});
try {
  await prepareDatabase({ config, database, keys: loadKeys(config), now: () => new Date() });
  const v = await schemaVersion(database.pool);
  console.log(`Migrated: ${v.applied} migrations applied, schema ${v.version}`);
} finally {
  await database.close();
}
