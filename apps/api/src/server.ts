import { loadConfig, ConfigError } from './config.ts';
import { createDb, DatabaseUnavailableError } from './db/client.ts';
import { prepareDatabase } from './bootstrap.ts';
import { EmbeddedPostgresError } from './db/embedded.ts';
import { confirmFieldKeys, FieldKeyError, loadKeys } from './lib/keys.ts';
import { buildApp } from './app.ts';
import { seedDemo } from './modules/demo/index.ts';

const log = (m: string) => console.log(`[dtp] ${m}`);

async function main() {
  const config = loadConfig();
  log(
    config.databaseUrl
      ? 'Using the PostgreSQL server in DATABASE_URL'
      : `Starting embedded PostgreSQL in ${config.dataDir}`,
  );
  const database = await createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.poolSize,
    log,
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: shutting down`);
    try {
      await app?.close();
    } finally {
      await database.close();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    const loaded = loadKeys(config);
    const keys = loaded.keys;
    const deps = { config, database, keys, now: () => new Date() };
    await prepareDatabase(deps);
    // Refuses a key that is not the one the data is protected with (a restore without keys.json).
    await confirmFieldKeys(database.pool, loaded);
    app = await buildApp({ config, database, keys, startWorkers: true });
    if (config.demo) await seedDemo(deps, log, app.services.kpi);
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await database.close();
    throw e;
  }
  log(`Serving the platform at ${config.publicUrl} (API docs at ${config.publicUrl}/api/docs)`);
  if (config.demo) {
    log(
      `Demo mode: sign in as admin|admin2|pmo|agency|consultant|enterprise|learner|expert@demo.example with password ${config.demoPassword}`,
    );
    log(
      config.host === '127.0.0.1'
        ? 'Demo mode listens on 127.0.0.1 only (set HOST to open it to the network; its password is published)'
        : `Demo mode listens on ${config.host}: anyone who can reach it can sign in with the published password`,
    );
  }
}

main().catch((e: unknown) => {
  if (
    e instanceof ConfigError ||
    e instanceof EmbeddedPostgresError ||
    e instanceof DatabaseUnavailableError ||
    e instanceof FieldKeyError
  )
    console.error(`[dtp] ${e.message}`);
  else console.error('[dtp] failed to start:', e);
  process.exit(1);
});
