import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  officialTai,
  type County,
  type Industry,
  type IndustryQuery,
  type IpasItem,
  type UpdateCountyInput,
  type UpdateIndustryInput,
  type UpdateIpasItemInput,
} from '@dtp/contracts';
import type { Deps, RequestContext } from '../../context.ts';
import { fieldError, notFound, pgError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { SettingsService } from '../settings/index.ts';
import * as repo from './reference.repository.ts';

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seed');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')) as T;

type CountySeed = Omit<County, 'greaterSouth'> & { greaterSouth2019: boolean; greaterSouth2025: boolean };
type IndustrySeed = {
  code: string;
  level: Industry['level'];
  section: string;
  parentCode: string | null;
  nameZh: string;
  nameEn?: string;
  tags: string[];
};
type IpasSeed = Omit<IpasItem, 'id'>;

const changed = <T extends Record<string, unknown>>(input: T) =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;

export function createReferenceService(deps: Deps, settings: SettingsService) {
  const { db } = deps.database;

  return {
    /** Loads the shipped reference data into empty tables; idempotent, runs at every start. */
    async seedReferenceData(): Promise<void> {
      const counts = await repo.referenceCounts(db);
      const industrySeed = readJson<IndustrySeed[]>('industries.json');
      const english = industrySeed.filter((i) => i.nameEn).length;
      if (counts.c >= 22 && counts.i >= 737 && counts.e >= english) return;
      const countySeed = readJson<CountySeed[]>('counties.json');
      await db.transaction(async (tx) => {
        await repo.seedReference(tx, {
          counties: countySeed.map(({ greaterSouth2019: _a, greaterSouth2025: _b, ...c }) => c),
          industries: industrySeed,
          ipasItems: readJson<IpasSeed[]>('ipas-items.json').map((i) => ({ id: newId(), ...i })),
        });
      });
    },

    async listCounties(): Promise<County[]> {
      const [rows, south] = await Promise.all([
        repo.listCounties(db),
        settings.getSetting('reference.greaterSouthCounties'),
      ]);
      return rows.map((r) => ({ ...r, greaterSouth: south.includes(r.code) }));
    },

    async updateCounty(ctx: RequestContext, code: string, input: UpdateCountyInput): Promise<County> {
      const set = changed({ ...input, nameZh: input.nameZh ? officialTai(input.nameZh) : undefined });
      await db.transaction(async (tx) => {
        const before = await repo.getCounty(tx, code, true);
        if (!before) throw notFound('county');
        if (Object.keys(set).length === 0) return;
        await repo.updateCounty(tx, code, set);
        const pick = (r: Record<string, unknown>) =>
          Object.fromEntries(Object.keys(set).map((k) => [k, r[k]]));
        await recordAudit(tx, ctx, {
          action: 'county.update',
          targetType: 'county',
          targetId: code,
          before: pick(before),
          after: set,
        });
      });
      const all = await this.listCounties();
      return all.find((c) => c.code === code)!;
    },

    listIndustries: (q: IndustryQuery): Promise<Industry[]> => repo.listIndustries(db, q),

    async updateIndustry(ctx: RequestContext, code: string, input: UpdateIndustryInput): Promise<Industry> {
      const set = changed({ ...input, nameZh: input.nameZh ? officialTai(input.nameZh) : undefined });
      return db.transaction(async (tx) => {
        const before = await repo.getIndustry(tx, code, true);
        if (!before) throw notFound('industry');
        if (Object.keys(set).length > 0) {
          await repo.updateIndustry(tx, code, set);
          const pick = (r: Record<string, unknown>) =>
            Object.fromEntries(Object.keys(set).map((k) => [k, r[k]]));
          await recordAudit(tx, ctx, {
            action: 'industry.update',
            targetType: 'industry',
            targetId: code,
            before: pick(before),
            after: set,
          });
        }
        return (await repo.getIndustry(tx, code))!;
      });
    },

    listIpasItems: (): Promise<IpasItem[]> => repo.listIpasItems(db),

    async updateIpasItem(ctx: RequestContext, id: string, input: UpdateIpasItemInput): Promise<IpasItem> {
      const set = changed({ ...input, nameZh: input.nameZh ? officialTai(input.nameZh) : undefined });
      return db
        .transaction(async (tx) => {
          const before = await repo.getIpasItem(tx, id, true);
          if (!before) throw notFound('ipas item');
          if (Object.keys(set).length > 0) {
            await repo.updateIpasItem(tx, id, set);
            const pick = (r: Record<string, unknown>) =>
              Object.fromEntries(Object.keys(set).map((k) => [k, r[k]]));
            await recordAudit(tx, ctx, {
              action: 'ipas_item.update',
              targetType: 'ipas_item',
              targetId: id,
              before: pick(before),
              after: set,
            });
          }
          return (await repo.getIpasItem(tx, id))!;
        })
        .catch((e: unknown) => {
          // The same name and levels twice would make two items one cannot tell apart.
          if (pgError(e).code === '23505') throw fieldError('levels', 'taken');
          throw e;
        });
    },
  };
}
export type ReferenceService = ReturnType<typeof createReferenceService>;
