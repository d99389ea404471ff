import type { Deps } from './context.ts';
import { runMigrations } from './db/migrate.ts';
import { createProgrammeService } from './modules/programme/index.ts';
import { createReferenceService } from './modules/reference/index.ts';
import { createSettingsService } from './modules/settings/index.ts';

/**
 * Brings a database to the current schema with its reference data: migrations (under an advisory
 * lock), then the counties, industry classification, iPAS items, the programme structure and the
 * KPI catalogue, each inserted only when missing. Real data, not demo data: it runs everywhere.
 */
export async function prepareDatabase(deps: Deps): Promise<void> {
  await runMigrations(deps.database.pool);
  // Seeding is check-then-insert: one process at a time, like the migrations.
  const lock = await deps.database.pool.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [SEED_LOCK]);
    const settings = createSettingsService(deps);
    await createReferenceService(deps, settings).seedReferenceData();
    await createProgrammeService(deps).seedProgramme();
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [SEED_LOCK]).catch(() => undefined);
    lock.release();
  }
}

const SEED_LOCK = 724_019_002;
