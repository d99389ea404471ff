import { z } from 'zod';

export const Health = z.object({
  status: z.literal('ok'),
  database: z.object({
    mode: z.enum(['embedded', 'external']),
    serverVersion: z.string(),
    schemaVersion: z.string().nullable(),
    migrationsApplied: z.number().int(),
  }),
  demo: z.boolean(),
  version: z.string(),
});
export type Health = z.infer<typeof Health>;
