import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Setting, UpdateSettingInput } from '@dtp/contracts';
import type { SettingsService } from './settings.service.ts';

export const settingsRoutes: FastifyPluginAsyncZod<{ settings: SettingsService }> = async (
  app,
  { settings },
) => {
  app.get(
    '/settings',
    {
      schema: { operationId: 'listSettings', tags: ['settings'], response: { 200: z.array(Setting) } },
      config: { access: ['admin'] },
    },
    async () => settings.listSettings(),
  );
  app.put(
    '/settings/:key',
    {
      schema: {
        operationId: 'updateSetting',
        tags: ['settings'],
        params: z.object({ key: z.string().max(100) }),
        body: UpdateSettingInput,
        response: { 200: Setting },
      },
      config: { access: ['admin'] },
    },
    async (req) => settings.updateSetting(req.ctx, req.params.key, req.body.value),
  );
};
