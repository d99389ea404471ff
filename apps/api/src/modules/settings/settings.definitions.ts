import { z } from 'zod';
import { Role } from '@dtp/contracts';
import type { Config } from '../../config.ts';

/**
 * Policy that administrators change at run time. Each key has a schema and a default; a stored
 * value overrides the default. Later modules add their keys here (e.g. the Greater-South counties).
 */
export const SETTING_DEFINITIONS = {
  /** The security policy's management roles, in demo mode too: only demo accounts are exempt there (decision 022). */
  'auth.mfaRequiredRoles': {
    schema: z.array(Role),
    default: (_c: Config): Role[] => ['admin', 'pmo', 'agency'],
  },
  'auth.signInLockout': {
    schema: z.object({
      maxFailures: z.number().int().min(1).max(1000),
      lockMinutes: z.number().int().min(1).max(1440),
    }),
    default: (c: Config) => ({ maxFailures: c.signInMaxFailures, lockMinutes: c.signInLockMinutes }),
  },
  /** 大南方: the 2019 plan's set by default (雲林縣、嘉義縣、臺南市、高雄市、屏東縣); 2025's adds 嘉義市, drops 雲林縣. */
  'reference.greaterSouthCounties': {
    schema: z.array(z.string().regex(/^\d{5}$/)).max(22),
    default: (_c: Config): string[] => ['10009', '10010', '67000', '64000', '10013'],
  },
} as const;

export type SettingKey = keyof typeof SETTING_DEFINITIONS;
export type SettingValue<K extends SettingKey> = ReturnType<(typeof SETTING_DEFINITIONS)[K]['default']>;
export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[];
