import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  AssignAgencyInput,
  CreateKpiInput,
  CreateMeasureInput,
  Kpi,
  KpiTarget,
  LocalizedText,
  Measure,
  ProgrammeStructure,
  SetKpiTargetInput,
  UpdateKpiInput,
  UpdateMeasureInput,
  UpdateProgrammeInput,
} from '@dtp/contracts';
import type { Deps, RequestContext } from '../../context.ts';
import { fieldError, notFound, pgError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { ChangeCache, deepFreeze } from '../../db/changes.ts';
import * as repo from './programme.repository.ts';

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seed');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')) as T;

type StructureSeed = {
  programme: {
    code: string;
    name: LocalizedText;
    description: LocalizedText;
    startYear: number;
    endYear: number;
  };
  subProgrammes: {
    code: string;
    name: LocalizedText;
    measures: { code: string; name: LocalizedText; description: LocalizedText }[];
  }[];
};
type KpiSeed = Omit<Kpi, 'measureCodes' | 'active' | 'measured'> & { measures: string[] };

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
const isUniqueViolation = (e: unknown) => pgError(e).code === '23505';

/** The tables the cached KPI list and targets are read from (decision 014). */
const KPI_TABLES = ['kpis', 'kpi_measures', 'measures'];
const TARGET_TABLES = ['kpi_targets', 'kpis', 'measures'];

/**
 * `isMeasured` says whether a module has registered a metric for a KPI (the KPI framework's
 * registry, passed in so that this module does not depend on it); without one, "not yet measured".
 */
export function createProgrammeService(deps: Deps, opts: { isMeasured?: (kpiCode: string) => boolean } = {}) {
  const isMeasured = opts.isMeasured ?? (() => false);
  const { db } = deps.database;
  // Every dashboard request reads the definitions and targets; they change a few times a year.
  const kpiCache = new ChangeCache<Kpi[]>(deps.database.changes, 1);
  const targetCache = new ChangeCache<KpiTarget[]>(deps.database.changes, 200);

  async function loadMeasures(): Promise<Measure[]> {
    const [rows, assignments] = await Promise.all([repo.listMeasures(db), repo.listAssignments(db)]);
    return rows.map((m) => ({
      id: m.id,
      code: m.code,
      subProgrammeCode: m.subProgrammeCode,
      name: m.name,
      description: m.description,
      archived: m.archived,
      agencies: assignments
        .filter((a) => a.measureId === m.id)
        .map(({ measureId: _m, ...a }) => ({ ...a, validTo: a.validTo ?? null })),
    }));
  }

  const toKpi = (k: Awaited<ReturnType<typeof repo.listKpis>>[number]): Kpi => ({
    code: k.code,
    name: k.name,
    definition: k.definition,
    unit: k.unit as Kpi['unit'],
    kind: k.kind,
    benefit: k.benefit,
    sourceModule: k.sourceModule,
    measureCodes: k.measureCodes,
    active: k.active,
    measured: isMeasured(k.code),
  });

  async function requireMeasure(code: string) {
    const m = await repo.getMeasureByCode(db, code);
    if (!m) throw notFound('measure');
    return m;
  }

  return {
    /** Seeds the programme, its 3 sub-programmes, 9 measures and the KPI catalogue once. */
    async seedProgramme(): Promise<void> {
      const k = readJson<KpiSeed[]>('kpis.json');
      if (await repo.getProgramme(db)) return this.seedMissingKpis(k);
      const s = readJson<StructureSeed>('structure.json');
      const programmeId = newId();
      const subs = s.subProgrammes.map((sp, i) => ({
        id: newId(),
        programmeId,
        code: sp.code,
        name: sp.name,
        sortOrder: i + 1,
      }));
      const ms = s.subProgrammes.flatMap((sp, i) =>
        sp.measures.map((m, j) => ({ id: newId(), subProgrammeId: subs[i]!.id, ...m, sortOrder: j + 1 })),
      );
      const measureId = new Map(ms.map((m) => [m.code, m.id]));
      const kpiRows = k.map((x, i) => ({
        id: newId(),
        code: x.code,
        name: x.name,
        definition: x.definition,
        unit: x.unit,
        kind: x.kind,
        benefit: x.benefit,
        sourceModule: x.sourceModule,
        sortOrder: i + 1,
      }));
      await db.transaction(async (tx) => {
        await repo.seedStructure(tx, {
          programme: { id: programmeId, ...s.programme },
          subProgrammes: subs,
          measures: ms,
          kpis: kpiRows,
          kpiMeasures: k.flatMap((x, i) =>
            x.measures.map((code) => ({ kpiId: kpiRows[i]!.id, measureId: measureId.get(code)! })),
          ),
        });
      });
    },

    /** KPIs added to the catalogue after a database was first seeded (K26, K27 …) are added once. */
    async seedMissingKpis(catalogue: KpiSeed[]): Promise<void> {
      const have = new Set((await repo.listKpis(db)).map((x) => x.code));
      const missing = catalogue.filter((x) => !have.has(x.code));
      if (!missing.length) return;
      await db.transaction(async (tx) => {
        const ids = await repo.measureIdsByCode(tx, [...new Set(missing.flatMap((x) => x.measures))]);
        let sort = await repo.nextKpiSort(tx);
        for (const x of missing) {
          const id = newId();
          await repo.insertKpi(tx, {
            id,
            code: x.code,
            name: x.name,
            definition: x.definition,
            unit: x.unit,
            kind: x.kind,
            benefit: x.benefit,
            sourceModule: x.sourceModule,
            sortOrder: sort++,
          });
          await repo.setKpiMeasures(
            tx,
            id,
            x.measures.flatMap((c) => (ids.has(c) ? [ids.get(c)!] : [])),
          );
        }
      });
    },

    async getStructure(): Promise<ProgrammeStructure> {
      const p = await repo.getProgramme(db);
      if (!p) throw notFound('programme');
      const [subs, measures] = await Promise.all([repo.listSubProgrammes(db, p.id), loadMeasures()]);
      return {
        code: p.code,
        name: p.name,
        description: p.description,
        startYear: p.startYear,
        endYear: p.endYear,
        subProgrammes: subs.map((sp) => ({
          ...sp,
          measures: measures.filter((m) => m.subProgrammeCode === sp.code),
        })),
      };
    },

    async updateProgramme(ctx: RequestContext, input: UpdateProgrammeInput): Promise<ProgrammeStructure> {
      await db.transaction(async (tx) => {
        const p = await repo.getProgramme(tx);
        if (!p) throw notFound('programme');
        const set = defined(input);
        const start = set.startYear ?? p.startYear;
        const end = set.endYear ?? p.endYear;
        if (start > end) throw fieldError('endYear', 'before_start');
        // An empty update changes nothing (drizzle refuses an empty SET): no write, no audit row.
        if (Object.keys(set).length === 0) return;
        await repo.updateProgramme(tx, p.id, set);
        const before = Object.fromEntries(
          Object.keys(set).map((k) => [k, (p as Record<string, unknown>)[k]]),
        );
        await recordAudit(tx, ctx, {
          action: 'programme.update',
          targetType: 'programme',
          targetId: p.code,
          before,
          after: set,
        });
      });
      return this.getStructure();
    },

    async createMeasure(ctx: RequestContext, input: CreateMeasureInput): Promise<Measure> {
      await db
        .transaction(async (tx) => {
          const p = await repo.getProgramme(tx);
          if (!p) throw notFound('programme');
          const sp = await repo.getSubProgrammeByCode(tx, p.id, input.subProgrammeCode);
          if (!sp) throw fieldError('subProgrammeCode', 'not_found');
          if (!input.code.startsWith(`${input.subProgrammeCode}.`))
            throw fieldError('code', 'not_in_sub_programme');
          const id = newId();
          await repo.insertMeasure(tx, {
            id,
            subProgrammeId: sp.id,
            code: input.code,
            name: input.name,
            description: input.description,
            sortOrder: await repo.nextMeasureSort(tx, sp.id),
          });
          await recordAudit(tx, ctx, {
            action: 'measure.create',
            targetType: 'measure',
            targetId: input.code,
            after: input,
          });
        })
        .catch((e: unknown) => {
          if (isUniqueViolation(e)) throw fieldError('code', 'taken');
          throw e;
        });
      return (await loadMeasures()).find((m) => m.code === input.code)!;
    },

    async updateMeasure(ctx: RequestContext, code: string, input: UpdateMeasureInput): Promise<Measure> {
      const m = await requireMeasure(code);
      await db.transaction(async (tx) => {
        const { archived, ...rest } = input;
        const set = {
          ...defined(rest),
          ...(archived === undefined ? {} : { archivedAt: archived ? deps.now() : null }),
        };
        if (Object.keys(set).length === 0) return;
        await repo.updateMeasure(tx, m.id, set);
        await recordAudit(tx, ctx, {
          action: 'measure.update',
          targetType: 'measure',
          targetId: code,
          before: { name: m.name, description: m.description, archived: m.archived },
          after: input,
        });
      });
      return (await loadMeasures()).find((x) => x.code === code)!;
    },

    async assignAgency(ctx: RequestContext, code: string, input: AssignAgencyInput): Promise<Measure> {
      const m = await requireMeasure(code);
      await db.transaction(async (tx) => {
        if (!(await repo.agencyExists(tx, input.agencyId))) throw fieldError('agencyId', 'not_found');
        const id = newId();
        await repo.insertAssignment(tx, {
          id,
          measureId: m.id,
          agencyId: input.agencyId,
          validFrom: input.validFrom,
          validTo: input.validTo ?? null,
        });
        await recordAudit(tx, ctx, {
          action: 'measure.assign_agency',
          targetType: 'measure',
          targetId: code,
          after: { assignmentId: id, ...input },
        });
      });
      return (await loadMeasures()).find((x) => x.code === code)!;
    },

    async endAssignment(ctx: RequestContext, id: string, validTo: string): Promise<void> {
      await db.transaction(async (tx) => {
        const a = await repo.getAssignment(tx, id);
        if (!a) throw notFound('assignment');
        if (validTo < a.validFrom) throw fieldError('validTo', 'before_start');
        await repo.endAssignment(tx, id, validTo);
        await recordAudit(tx, ctx, {
          action: 'measure.end_agency',
          targetType: 'measure_agency',
          targetId: id,
          before: { validTo: a.validTo },
          after: { validTo },
        });
      });
    },

    /** Every KPI, kept until the definitions change (frozen: callers share it). */
    listKpis(): Promise<Kpi[]> {
      return kpiCache.get('all', KPI_TABLES, async () => deepFreeze((await repo.listKpis(db)).map(toKpi)));
    },

    async createKpi(ctx: RequestContext, input: CreateKpiInput): Promise<Kpi> {
      await db
        .transaction(async (tx) => {
          const ids = await repo.measureIdsByCode(tx, input.measureCodes);
          const missing = input.measureCodes.find((c) => !ids.has(c));
          if (missing) throw fieldError('measureCodes', 'not_found', undefined, { code: missing });
          const id = newId();
          const { measureCodes: _m, ...row } = input;
          await repo.insertKpi(tx, { id, ...row, sortOrder: await repo.nextKpiSort(tx) });
          await repo.setKpiMeasures(tx, id, [...ids.values()]);
          await recordAudit(tx, ctx, {
            action: 'kpi.create',
            targetType: 'kpi',
            targetId: input.code,
            after: input,
          });
        })
        .catch((e: unknown) => {
          if (isUniqueViolation(e)) throw fieldError('code', 'taken');
          throw e;
        });
      return toKpi((await repo.getKpiByCode(db, input.code))!);
    },

    async updateKpi(ctx: RequestContext, code: string, input: UpdateKpiInput): Promise<Kpi> {
      await db.transaction(async (tx) => {
        const k = await repo.getKpiByCode(tx, code);
        if (!k) throw notFound('kpi');
        const { measureCodes, ...rest } = input;
        const set = defined(rest);
        if (Object.keys(set).length === 0 && !measureCodes) return; // nothing to change, nothing to audit
        if (Object.keys(set).length) await repo.updateKpi(tx, k.id, set);
        if (measureCodes) {
          const ids = await repo.measureIdsByCode(tx, measureCodes);
          const missing = measureCodes.find((c) => !ids.has(c));
          if (missing) throw fieldError('measureCodes', 'not_found', undefined, { code: missing });
          await repo.setKpiMeasures(tx, k.id, [...ids.values()]);
        }
        await recordAudit(tx, ctx, {
          action: 'kpi.update',
          targetType: 'kpi',
          targetId: code,
          before: { name: k.name, definition: k.definition, measureCodes: k.measureCodes, active: k.active },
          after: input,
        });
      });
      return toKpi((await repo.getKpiByCode(db, code))!);
    },

    /** Targets by year and KPI, kept until they change (frozen: callers share them). */
    listTargets(q: { year?: number | undefined; kpiCode?: string | undefined }): Promise<KpiTarget[]> {
      return targetCache.get(JSON.stringify([q.year ?? null, q.kpiCode ?? null]), TARGET_TABLES, async () =>
        deepFreeze(
          (await repo.listTargets(db, q)).map((r) => ({
            ...r,
            target: Number(r.target),
            measureCode: r.measureCode ?? null,
          })),
        ),
      );
    },

    async setTarget(
      ctx: RequestContext,
      code: string,
      input: SetKpiTargetInput,
      illustrative = false,
    ): Promise<KpiTarget> {
      return db.transaction(async (tx) => {
        const k = await repo.getKpiByCode(tx, code);
        if (!k) throw notFound('kpi');
        let measureId: string | null = null;
        if (input.measureCode) {
          if (!k.measureCodes.includes(input.measureCode)) throw fieldError('measureCode', 'not_for_kpi');
          measureId = (await repo.measureIdsByCode(tx, [input.measureCode])).get(input.measureCode) ?? null;
        }
        const before = await repo.getTarget(tx, k.id, measureId, input.year);
        await repo.upsertTarget(tx, {
          id: newId(),
          kpiId: k.id,
          measureId,
          year: input.year,
          target: input.target,
          note: input.note,
          illustrative,
          updatedBy: ctx.actorAccountId,
        });
        await recordAudit(tx, ctx, {
          action: 'kpi.set_target',
          targetType: 'kpi',
          targetId: code,
          before: before
            ? {
                year: input.year,
                measureCode: input.measureCode,
                target: Number(before.target),
                note: before.note,
              }
            : null,
          after: input,
        });
        return {
          kpiCode: code,
          measureCode: input.measureCode,
          year: input.year,
          target: input.target,
          note: input.note,
          illustrative,
        };
      });
    },
  };
}
export type ProgrammeService = ReturnType<typeof createProgrammeService>;
