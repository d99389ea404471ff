import { loadConfig } from '../config.ts';
import { createDb } from '../db/client.ts';
import { schemaVersion } from '../db/migrate.ts';
import { prepareDatabase } from '../bootstrap.ts';
import { confirmFieldKeys, loadKeys } from '../lib/keys.ts';
import { fail } from './cli-support.ts';

const config = loadConfig();
const database = await createDb({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  poolSize: 2,
  log: console.log,
});
try {
  const loaded = loadKeys(config);
  await prepareDatabase({ config, database, keys: loaded.keys, now: () => new Date() });
  await confirmFieldKeys(database.pool, loaded);
  const v = await schemaVersion(database.pool);
  console.log(`Migrated: ${v.applied} migrations applied, schema ${v.version}`);
} catch (e) {
  await database.close();
  fail(e);
}
await database.close();
