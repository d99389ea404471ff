import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Health } from '@dtp/contracts';
import type { Deps } from '../../context.ts';
import { schemaVersion } from '../../db/migrate.ts';

export const APP_VERSION = '0.1.0';

export const healthRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/health',
    {
      schema: { operationId: 'getHealth', tags: ['health'], response: { 200: Health } },
      config: { access: 'public' },
    },
    async () => {
      const { pool, mode } = deps.database;
      const [v, schema] = await Promise.all([
        pool.query<{ v: string }>("select current_setting('server_version') as v"),
        schemaVersion(pool),
      ]);
      return {
        status: 'ok' as const,
        database: {
          mode,
          serverVersion: v.rows[0]?.v ?? 'unknown',
          schemaVersion: schema.version,
          migrationsApplied: schema.applied,
        },
        demo: deps.config.demo,
        version: APP_VERSION,
      };
    },
  );
};
