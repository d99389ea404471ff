import { eq, inArray } from 'drizzle-orm';
import type { Setting } from '@dtp/contracts';
import type { Deps, RequestContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { settings } from '../../db/schema/index.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { toFieldIssue } from '../../plugins/error-handler.ts';
import { recordAudit } from '../audit/index.ts';
import {
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  type SettingKey,
  type SettingValue,
} from './settings.definitions.ts';

const isKey = (k: string): k is SettingKey => k in SETTING_DEFINITIONS;

export function createSettingsService(deps: Deps) {
  const { db } = deps.database;

  async function getSetting<K extends SettingKey>(key: K, tx: DbOrTx = db): Promise<SettingValue<K>> {
    const [row] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
    const def = SETTING_DEFINITIONS[key];
    if (row) {
      const parsed = def.schema.safeParse(row.value);
      if (parsed.success) return parsed.data as SettingValue<K>;
    }
    return def.default(deps.config) as SettingValue<K>;
  }

  return {
    getSetting,
    async listSettings(): Promise<Setting[]> {
      const rows = await db
        .select({ key: settings.key, value: settings.value, updatedAt: settings.updatedAt })
        .from(settings)
        .where(inArray(settings.key, SETTING_KEYS));
      const stored = new Map(rows.map((r) => [r.key, r]));
      return SETTING_KEYS.map((key) => {
        const row = stored.get(key);
        return {
          key,
          value: row ? row.value : SETTING_DEFINITIONS[key].default(deps.config),
          updatedAt: row ? row.updatedAt.toISOString() : null,
        };
      });
    },
    async updateSetting(ctx: RequestContext, key: string, value: unknown): Promise<Setting> {
      if (!isKey(key)) throw notFound('setting');
      const parsed = SETTING_DEFINITIONS[key].schema.safeParse(value);
      if (!parsed.success) {
        throw new AppError('VALIDATION', 'invalid setting value', {
          fields: parsed.error.issues.map((i) => toFieldIssue('value', i as never)),
        });
      }
      return db.transaction(async (tx) => {
        const before = await getSetting(key, tx);
        const now = deps.now();
        await tx
          .insert(settings)
          .values({ key, value: parsed.data, updatedAt: now, updatedBy: ctx.actorAccountId })
          .onConflictDoUpdate({
            target: settings.key,
            set: { value: parsed.data, updatedAt: now, updatedBy: ctx.actorAccountId },
          });
        await recordAudit(tx, ctx, {
          action: 'setting.update',
          targetType: 'setting',
          targetId: key,
          before,
          after: parsed.data,
        });
        return { key, value: parsed.data, updatedAt: now.toISOString() };
      });
    },
  };
}
export type SettingsService = ReturnType<typeof createSettingsService>;
