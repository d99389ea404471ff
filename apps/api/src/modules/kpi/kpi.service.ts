import {
  kpiAttainment,
  type Kpi,
  type KpiBreakdown,
  type KpiBreakdownQuery,
  type KpiDimension,
  type KpiFigure,
  type KpiFilter,
  type KpiOverview,
  type KpiOverviewItem,
  type KpiRecordPage,
  type KpiRecordQuery,
  type KpiReportDetail,
  type KpiReportFigure,
  type KpiReportSummary,
  type MetricDefinition,
  type SubmitKpiReportInput,
} from '@dtp/contracts';
import type { Actor, Deps, RequestContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { lastDayOfMonth, taipeiDate } from '@dtp/contracts';
import { AppError, fieldError, notFound, pgError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { ProgrammeService } from '../programme/index.ts';
import type { ReferenceService } from '../reference/index.ts';
import type { FactInput, MetricRegistration, MetricRegistry } from './kpi.metrics.ts';
import * as repo from './kpi.repository.ts';

const REBUILD_LOCK = 724_019_005;
/** At most this many records behind a figure go into one KPI's export (a note says when capped). */
export const EXPORT_RECORDS_CAP = 10_000;
const CROSS_FILTERS = [
  'countyCode',
  'region',
  'industrySection',
  'smeStatus',
  'gender',
  'ageBand',
  'category',
] as const;
/** The rollups' dimensions, in the order their pairs are named (migration 0010: `county+gender`). */
const ROLLUP_DIMS = ['county', 'industry', 'sme', 'gender', 'age_band', 'category'] as const;
type RollupDim = (typeof ROLLUP_DIMS)[number];
const FILTER_DIM: Record<(typeof CROSS_FILTERS)[number], RollupDim> = {
  countyCode: 'county',
  region: 'county',
  industrySection: 'industry',
  smeStatus: 'sme',
  gender: 'gender',
  ageBand: 'age_band',
  category: 'category',
};

type Parts = { value: number; numerator: number; denominator: number };
const noParts = (): Parts => ({ value: 0, numerator: 0, denominator: 0 });

/** A KPI's figure from the sums of its parts: counts and sums as they are, ratios ×100, means as means. */
export function figureOf(kind: Kpi['kind'], p: Parts): KpiFigure {
  if (kind === 'count' || kind === 'sum') return { value: p.value, numerator: null, denominator: null };
  const q = p.denominator ? p.numerator / p.denominator : null;
  return {
    value: q === null ? null : kind === 'ratio' ? q * 100 : q,
    numerator: p.numerator,
    denominator: p.denominator,
  };
}

/** Figures by KPI and group from rollup or fact sums (v per part). */
function collect(rows: repo.RollupRow[]): Map<string, Map<string, Parts>> {
  const out = new Map<string, Map<string, Parts>>();
  for (const r of rows) {
    const byGroup = out.get(r.kpiCode) ?? new Map<string, Parts>();
    out.set(r.kpiCode, byGroup);
    const p = byGroup.get(r.group) ?? noParts();
    byGroup.set(r.group, p);
    p[r.part as keyof Parts] += r.v;
  }
  return out;
}

/** The whole KPI's target: set on its own, else the measures' sum for counts and sums (a ratio's do not add). */
function wholeTarget(
  kind: Kpi['kind'],
  whole: number | undefined,
  perMeasure: { target: number }[],
): number | null {
  if (whole !== undefined) return whole;
  if ((kind === 'count' || kind === 'sum') && perMeasure.length)
    return perMeasure.reduce((s, t) => s + t.target, 0);
  return null;
}

/** What the SQL that makes facts needs of a registered metric. */
const metricSource = (m: MetricRegistration): repo.MetricSource => ({
  code: m.code,
  kpiCode: m.kpiCode,
  part: m.part,
  recordType: m.recordType,
  distinct: m.distinct !== 'none',
  source: m.source(),
});

/** Keys of breakdowns that have a natural order; others sort by code, unknown last. */
const KEY_ORDER: Partial<Record<string, string[]>> = {
  region: ['north', 'central', 'south', 'east', 'islands'],
  age_band: ['under_20', '20_24', '25_29', '30_39', '40_49', '50_64', '65_plus'],
  sme: ['small', 'sme', 'large'],
  gender: ['female', 'male', 'other', 'undisclosed'],
};

const quarterEndMonth = (q: number) => q * 3;

export function createKpiService(
  deps: Deps,
  services: { programme: ProgrammeService; reference: ReferenceService; metrics: MetricRegistry },
) {
  const { db, pool } = deps.database;
  const { programme, reference, metrics } = services;

  /** Agency staff read the facts their agency recorded; the programme office reads everything. */
  function agencyScope(actor: Actor): string[] | undefined {
    if (actor.grants.some((g) => g.role === 'pmo' || g.role === 'admin')) return undefined;
    return actor.grants.filter((g) => g.role === 'agency' && g.scopeId).map((g) => g.scopeId!);
  }

  function readScope(actor: Actor, f: KpiFilter, kpiCodes?: string[]): repo.FactFilter {
    const agencies = agencyScope(actor);
    if (f.agencyId && agencies && !agencies.includes(f.agencyId)) throw notFound('agency');
    return {
      year: f.year,
      kpiCodes,
      month: f.month,
      throughMonth: f.throughMonth,
      measureCode: f.measureCode,
      agencyIds: f.agencyId ? [f.agencyId] : agencies,
      countyCode: f.countyCode,
      region: f.region,
      industrySection: f.industrySection,
      smeStatus: f.smeStatus,
      gender: f.gender,
      ageBand: f.ageBand,
      category: f.category,
    };
  }

  /**
   * Sums by group from the rollups when they can answer: the filters and the group together name
   * at most two dimensions (a breakdown by age band of one county reads the `county+age_band` pair
   * rollup). Three or more read the facts.
   */
  async function sums(
    f: repo.FactFilter,
    filter: KpiFilter,
    by: KpiDimension | 'none',
    perMeasure: boolean,
  ): Promise<repo.RollupRow[]> {
    const group = by === 'region' ? 'county' : by;
    const byKey = (ROLLUP_DIMS as readonly string[]).includes(group) ? (group as RollupDim) : undefined;
    const filters = CROSS_FILTERS.filter((k) => filter[k] !== undefined).map((k) => ({
      dim: FILTER_DIM[k],
      value: filter[k]!,
      region: k === 'region',
    }));
    const dims = ROLLUP_DIMS.filter((d) => d === byKey || filters.some((x) => x.dim === d));
    if (dims.length > 2) return repo.readFacts(db, f, group, perMeasure);
    const part = (d: RollupDim): repo.KeyPart => (dims.length === 1 ? 0 : dims[0] === d ? 1 : 2);
    const keys = filters.map(({ dim, value, region }): repo.KeyFilter => {
      // `unknown` is a fact without the dimension: its key is ''.
      const equals = value === 'unknown' && dim !== 'category' ? '' : value;
      return region ? { part: part(dim), region: value } : { part: part(dim), equals };
    });
    const g = byKey ? { key: part(byKey) } : (group as 'month' | 'measure' | 'agency' | 'none');
    return repo.readRollups(db, f, dims.length ? dims.join('+') : 'total', g, perMeasure, keys);
  }

  async function kpiOr404(code: string): Promise<Kpi> {
    const k = (await programme.listKpis()).find((x) => x.code === code);
    if (!k) throw notFound('kpi');
    return k;
  }

  const definitions = (kpiCode: string): MetricDefinition[] =>
    metrics.forKpi(kpiCode).map(({ source: _s, describe: _d, ...def }) => def);

  function toRows(facts: FactInput[]): repo.FactRow[] {
    return facts.map((f) => {
      const m = metrics.get(f.metricCode);
      const [year, month] = f.eventDate.split('-').map(Number) as [number, number];
      return {
        id: newId(),
        metricCode: m.code,
        kpiCode: m.kpiCode,
        part: m.part,
        recordType: m.recordType,
        recordId: f.recordId,
        subjectId: m.distinct === 'none' ? null : (f.subjectId ?? null),
        eventDate: f.eventDate,
        year,
        month,
        measureCode: f.measureCode ?? null,
        agencyId: f.agencyId ?? null,
        countyCode: f.countyCode ?? null,
        industrySection: f.industrySection ?? null,
        smeStatus: f.smeStatus ?? null,
        gender: f.gender ?? null,
        ageBand: f.ageBand ?? null,
        category: f.category ?? null,
        value: f.value ?? 1,
        countedKpi: true,
        countedMeasure: true,
      };
    });
  }

  async function overviewFor(actor: Actor, f: KpiFilter): Promise<KpiOverviewItem[]> {
    const [kpis, targets] = await Promise.all([
      programme.listKpis(),
      programme.listTargets({ year: f.year }),
    ]);
    const active = kpis.filter((k) => k.active);
    const scope = readScope(actor, f);
    // Agency staff read their agency's records only: a part of what a target was set for.
    const scoped = agencyScope(actor) !== undefined;
    const [totals, byMeasure] = await Promise.all([
      sums(scope, f, 'none', f.measureCode !== undefined),
      sums(scope, f, 'measure', true),
    ]);
    const total = collect(totals);
    const measured = collect(byMeasure);
    return active.map((k) => {
      const isMeasured = metrics.isMeasured(k.code);
      const ts = targets.filter((t) => t.kpiCode === k.code);
      const whole = ts.find((t) => t.measureCode === null);
      const perMeasure = ts.filter((t) => t.measureCode !== null);
      const target = wholeTarget(k.kind, whole?.target, perMeasure);
      const m = measured.get(k.code) ?? new Map<string, Parts>();
      // A measure row shows where it has a target or records; facts with no measure get a row of their own.
      const codes = [...k.measureCodes, ...(m.has('') ? [''] : [])].filter(
        (c) =>
          (f.measureCode === undefined || c === f.measureCode) &&
          (c === '' || m.has(c) || ts.some((t) => t.measureCode === c) || !isMeasured),
      );
      const actual = isMeasured ? figureOf(k.kind, total.get(k.code)?.get('') ?? noParts()) : null;
      return {
        code: k.code,
        name: k.name,
        unit: k.unit,
        kind: k.kind,
        benefit: k.benefit,
        measured: isMeasured,
        target,
        targetIllustrative: (whole ? [whole] : perMeasure).some((t) => t.illustrative),
        actual,
        attainment: kpiAttainment(actual, target, f, 'kpi', scoped),
        measures: codes.map((c) => {
          const mt = ts.find((t) => t.measureCode === c);
          const ma = isMeasured ? figureOf(k.kind, m.get(c) ?? noParts()) : null;
          return {
            measureCode: c || null,
            target: mt?.target ?? null,
            targetIllustrative: mt?.illustrative ?? false,
            actual: ma,
            attainment: kpiAttainment(ma, mt?.target, f, 'measure', scoped),
          };
        }),
        metrics: definitions(k.code),
      };
    });
  }

  async function breakdownFor(actor: Actor, code: string, q: KpiBreakdownQuery): Promise<KpiBreakdown> {
    const k = await kpiOr404(code);
    const scope = readScope(actor, q, [code]);
    const perMeasure = q.measureCode !== undefined || q.by === 'measure';
    const [rows, totalRows] = await Promise.all([
      sums(scope, q, q.by, perMeasure),
      sums(scope, q, 'none', q.measureCode !== undefined),
    ]);
    let groups = collect(rows).get(code) ?? new Map<string, Parts>();
    if (q.by === 'region') {
      const region = new Map((await reference.listCounties()).map((c) => [c.code, c.region as string]));
      const merged = new Map<string, Parts>();
      for (const [county, p] of groups) {
        const key = region.get(county) ?? '';
        const acc = merged.get(key) ?? noParts();
        acc.value += p.value;
        acc.numerator += p.numerator;
        acc.denominator += p.denominator;
        merged.set(key, acc);
      }
      groups = merged;
    }
    if (q.by === 'month') {
      for (let mth = 1; mth <= 12; mth++) if (!groups.has(String(mth))) groups.set(String(mth), noParts());
    }
    const order = KEY_ORDER[q.by];
    const rank = (k: string) => (order ? order.indexOf(k) + 1 || order.length + 1 : 0);
    const keys = [...groups.keys()].sort((a, b) =>
      q.by === 'month'
        ? Number(a) - Number(b)
        : a === ''
          ? 1
          : b === ''
            ? -1
            : rank(a) - rank(b) || a.localeCompare(b),
    );
    return {
      kpiCode: code,
      year: q.year,
      by: q.by,
      rows: keys.map((key) => ({ key, ...figureOf(k.kind, groups.get(key)!) })),
      total: figureOf(k.kind, collect(totalRows).get(code)?.get('') ?? noParts()),
    };
  }

  return {
    metrics,

    /** Writes facts in the caller's transaction (the one that changes their records). */
    async recordFacts(tx: Tx, facts: FactInput[]): Promise<void> {
      if (facts.length) await repo.insertFacts(tx, toRows(facts));
    },

    /**
     * Writes the facts a metric's source gives for these records: the same rule as a rebuild, so a
     * module that made or changed records in `tx` only says which.
     */
    async recordFactsFor(tx: Tx, metricCode: string, recordIds: string[]): Promise<void> {
      const m = metrics.get(metricCode);
      for (let i = 0; i < recordIds.length; i += 5000) {
        // Most facts are their subject's first: made in SQL in one statement. The rest (and
        // records outside the source, which yield none) take the claims below.
        const rest = await repo.insertCountedFactsFrom(tx, metricSource(m), recordIds.slice(i, i + 5000));
        if (!rest.length) continue;
        const rows = await repo.sourceRows(tx, m.source(), rest);
        await repo.insertFacts(
          tx,
          toRows(
            rows.map((r) => ({
              metricCode,
              recordId: r.record_id,
              subjectId: r.subject_id,
              eventDate: r.event_date,
              measureCode: r.measure_code,
              agencyId: r.agency_id,
              countyCode: r.county_code,
              industrySection: r.industry_section,
              smeStatus: r.sme_status,
              gender: r.gender,
              ageBand: r.age_band as FactInput['ageBand'],
              category: r.category,
              value: r.value ?? 1,
            })),
          ),
        );
      }
    },

    /** Removes the facts of records (a record withdrawn, merged or no longer qualifying). */
    async retractFacts(
      tx: Tx,
      recordType: string,
      recordIds: string[],
      metricCodes?: string[],
    ): Promise<void> {
      const lost = await repo.deleteFacts(tx, recordType, recordIds, metricCodes);
      await repo.promoteFacts(tx, lost);
    },

    /** A record's facts replaced by new ones (its qualifying event changed). */
    async replaceFacts(
      tx: Tx,
      recordType: string,
      recordIds: string[],
      facts: FactInput[],
      metricCodes?: string[],
    ) {
      const lost = await repo.deleteFacts(tx, recordType, recordIds, metricCodes);
      if (facts.length) await repo.insertFacts(tx, toRows(facts));
      await repo.promoteFacts(tx, lost);
    },

    /** A merged person or enterprise: its facts now count for the survivor, once. */
    async moveSubject(tx: Tx, fromId: string, toId: string): Promise<void> {
      await repo.moveSubject(tx, fromId, toId);
    },

    /**
     * Builds the facts of every KPI whose metrics are new or changed version since the facts were
     * built (and of metrics no longer registered, which are dropped). One process at a time.
     */
    async rebuildStaleMetrics(opts: { force?: boolean } = {}): Promise<string[]> {
      const lock = await pool.connect();
      try {
        await lock.query('select pg_advisory_lock($1)', [REBUILD_LOCK]);
        const states = await repo.metricStates(db);
        const registered = metrics.all();
        const stale = new Set(
          registered.filter((m) => opts.force || states.get(m.code) !== m.version).map((m) => m.kpiCode),
        );
        const known = new Set(registered.map((m) => m.code));
        const gone = [...states.keys()].filter((c) => !known.has(c));
        for (const kpiCode of stale) {
          const ms: MetricRegistration[] = metrics.forKpi(kpiCode);
          await db.transaction(async (tx) => {
            await repo.rebuildKpiFacts(tx, kpiCode, ms.map(metricSource));
            for (const m of ms) await repo.setMetricState(tx, m.code, m.version);
          });
        }
        if (gone.length) await repo.dropMetrics(db, gone);
        // Fresh statistics for the planner after a bulk rebuild (autovacuum would take a while).
        if (stale.size || gone.length) await repo.analyzeFacts(db);
        return [...stale];
      } finally {
        await lock.query('select pg_advisory_unlock($1)', [REBUILD_LOCK]).catch(() => undefined);
        lock.release();
      }
    },

    listMetrics: (): MetricDefinition[] => metrics.all().map(({ source: _s, describe: _d, ...def }) => def),

    async overview(actor: Actor, f: KpiFilter): Promise<KpiOverview> {
      return { year: f.year, asOf: deps.now().toISOString(), items: await overviewFor(actor, f) };
    },

    breakdown: breakdownFor,

    async records(actor: Actor, code: string, q: KpiRecordQuery): Promise<KpiRecordPage> {
      await kpiOr404(code);
      const scope = { ...readScope(actor, q, [code]), part: q.part };
      const perMeasure = q.measureCode !== undefined;
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      // The number of records behind the figure is the rollups' count of its facts: exact, not capped.
      const [rows, counts] = await Promise.all([
        repo.listFacts(db, scope, perMeasure, after, q.limit + 1),
        sums(scope, q, 'none', perMeasure),
      ]);
      const total = counts.filter((c) => !q.part || c.part === q.part).reduce((n, c) => n + c.n, 0);
      const items = rows.slice(0, q.limit);
      const labels = new Map<string, { label: string; href: string | null }>();
      const byMetric = Map.groupBy(items, (r) => r.metricCode);
      for (const [code, rs] of byMetric) {
        const m = metrics.all().find((x) => x.code === code);
        if (!m) continue;
        for (const [id, l] of await m.describe(
          db,
          rs.map((r) => r.recordId),
        ))
          labels.set(id, l);
      }
      const last = items[items.length - 1];
      return {
        items: items.map((r) => ({
          ...r,
          label: labels.get(r.recordId)?.label ?? '—',
          href: labels.get(r.recordId)?.href ?? null,
        })),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.eventDate, last.factId]) : null,
        total,
        totalCapped: false,
      };
    },

    /** What the dashboard export puts on paper: the overview and, for one KPI, its breakdowns. */
    async dashboardData(actor: Actor, f: KpiFilter, kpiCode?: string) {
      const overview = await overviewFor(actor, f);
      const breakdowns: KpiBreakdown[] = [];
      if (kpiCode) {
        const k = overview.find((x) => x.code === kpiCode);
        if (!k) throw notFound('kpi');
        if (k.measured) {
          for (const by of [
            'month',
            'measure',
            'region',
            'county',
            'industry',
            'sme',
            'gender',
            'age_band',
          ] as const) {
            breakdowns.push(await breakdownFor(actor, kpiCode, { ...f, by }));
          }
        }
      }
      const [counties, sections] = await Promise.all([
        reference.listCounties(),
        reference.listIndustries({ level: 'section' }),
      ]);
      const records = kpiCode && breakdowns.length ? await exportRecords(actor, kpiCode, f) : undefined;
      return { overview, breakdowns, counties, sections, ...(records ? { records } : {}) };
    },

    // Frozen quarterly reports ----------------------------------------------------------------

    async submitReport(
      ctx: RequestContext,
      actor: Actor,
      input: SubmitKpiReportInput,
    ): Promise<KpiReportDetail> {
      const periodEnd = lastDayOfMonth(input.year, quarterEndMonth(input.quarter));
      if (taipeiDate(deps.now()) <= periodEnd)
        throw fieldError('quarter', 'not_closed', 'QUARTER_NOT_CLOSED');
      const throughMonth = quarterEndMonth(input.quarter);
      const id = newId();
      try {
        await db.transaction(
          async (tx) => {
            const version = await repo.nextReportVersion(tx, input.year, input.quarter);
            if (version > 1 && !input.reason)
              throw fieldError('reason', 'required', 'CORRECTION_REASON_REQUIRED');
            // Figures and records from one snapshot of the facts (REPEATABLE READ).
            const f: KpiFilter = { year: input.year, throughMonth };
            const items = await overviewForTx(tx, f);
            const figures: KpiReportFigure[] = [];
            for (const k of items) {
              figures.push({
                kpiCode: k.code,
                name: k.name,
                unit: k.unit,
                kind: k.kind,
                level: 'kpi',
                measureCode: null,
                target: k.target,
                targetIllustrative: k.targetIllustrative,
                actual: k.actual ?? { value: null, numerator: null, denominator: null },
                records: k.records,
              });
              for (const m of k.measures) {
                figures.push({
                  kpiCode: k.code,
                  name: k.name,
                  unit: k.unit,
                  kind: k.kind,
                  level: 'measure',
                  measureCode: m.measureCode,
                  target: m.target,
                  targetIllustrative: m.targetIllustrative,
                  actual: m.actual ?? { value: null, numerator: null, denominator: null },
                  records: m.records,
                });
              }
            }
            await repo.insertReport(tx, {
              id,
              year: input.year,
              quarter: input.quarter,
              version,
              reason: input.reason ?? null,
              periodEnd,
              figures,
              submittedBy: actor.accountId,
            });
            const frozen = await repo.freezeReportRecords(tx, id, input.year, throughMonth);
            await recordAudit(tx, ctx, {
              action: 'kpi_report.submit',
              targetType: 'kpi_report',
              targetId: id,
              after: {
                year: input.year,
                quarter: input.quarter,
                version,
                reason: input.reason ?? null,
                records: frozen,
              },
            });
          },
          { isolationLevel: 'repeatable read' },
        );
      } catch (e) {
        if (pgError(e).code === '23505' || pgError(e).code === '40001')
          throw new AppError('CONFLICT', 'another version was submitted at the same time', {
            reason: 'REPORT_SUBMITTED_CONCURRENTLY',
          });
        throw e;
      }
      return this.getReport(id);
    },

    async listReports(year?: number): Promise<KpiReportSummary[]> {
      const rows = await repo.listReports(db, year);
      return rows.map(toSummary);
    },

    async getReport(id: string): Promise<KpiReportDetail> {
      const r = await repo.getReport(db, id);
      if (!r) throw notFound('kpi_report');
      return { ...toSummary(r), periodEnd: r.periodEnd, figures: r.figures as KpiReportFigure[] };
    },

    async reportRecords(
      id: string,
      q: { kpiCode: string; measureCode?: string | undefined; cursor?: string | undefined; limit: number },
    ) {
      const r = await repo.getReport(db, id);
      if (!r) throw notFound('kpi_report');
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const rows = await repo.listReportRecords(db, id, q.kpiCode, q.measureCode, after, q.limit + 1);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(({ factId: _f, ...x }) => ({ ...x, part: x.part as 'value' })),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.eventDate, last.factId]) : null,
      };
    },
  };

  /**
   * The records behind one KPI's figure for its export: the first `EXPORT_RECORDS_CAP` in the
   * drill-down's order, labelled as the drill-down labels them; `capped` when there are more.
   */
  async function exportRecords(
    actor: Actor,
    code: string,
    f: KpiFilter,
  ): Promise<{ items: KpiRecordPage['items']; capped: boolean }> {
    const rows = await repo.listFacts(
      db,
      readScope(actor, f, [code]),
      f.measureCode !== undefined,
      undefined,
      EXPORT_RECORDS_CAP + 1,
    );
    const items = rows.slice(0, EXPORT_RECORDS_CAP);
    const labels = new Map<string, { label: string; href: string | null }>();
    for (const [metricCode, rs] of Map.groupBy(items, (r) => r.metricCode)) {
      const m = metrics.all().find((x) => x.code === metricCode);
      if (!m) continue;
      for (let i = 0; i < rs.length; i += 1000)
        for (const [id, l] of await m.describe(
          db,
          rs.slice(i, i + 1000).map((r) => r.recordId),
        ))
          labels.set(id, l);
    }
    return {
      items: items.map((r) => ({
        ...r,
        label: labels.get(r.recordId)?.label ?? '—',
        href: labels.get(r.recordId)?.href ?? null,
      })),
      capped: rows.length > EXPORT_RECORDS_CAP,
    };
  }

  /** The overview with record counts, read inside the report's transaction. */
  async function overviewForTx(tx: Tx, f: KpiFilter) {
    const [kpis, targets] = await Promise.all([
      programme.listKpis(),
      programme.listTargets({ year: f.year }),
    ]);
    const scope: repo.FactFilter = { year: f.year, throughMonth: f.throughMonth };
    const [totals, byMeasure] = await Promise.all([
      repo.readRollups(tx, scope, 'total', 'none', false),
      repo.readRollups(tx, scope, 'total', 'measure', true),
    ]);
    const count = (rows: repo.RollupRow[]) => {
      const out = new Map<string, number>();
      for (const r of rows)
        out.set(`${r.kpiCode}|${r.group}`, (out.get(`${r.kpiCode}|${r.group}`) ?? 0) + r.n);
      return out;
    };
    const nTotal = count(totals);
    const nMeasure = count(byMeasure);
    const total = collect(totals);
    const measured = collect(byMeasure);
    return kpis
      .filter((k) => k.active)
      .map((k) => {
        const isMeasured = metrics.isMeasured(k.code);
        const ts = targets.filter((t) => t.kpiCode === k.code);
        const whole = ts.find((t) => t.measureCode === null);
        const per = ts.filter((t) => t.measureCode !== null);
        const m = measured.get(k.code) ?? new Map<string, Parts>();
        const codes = [...k.measureCodes, ...(m.has('') ? [''] : [])];
        return {
          code: k.code,
          name: k.name,
          unit: k.unit as KpiReportFigure['unit'],
          kind: k.kind,
          target: wholeTarget(k.kind, whole?.target, per),
          targetIllustrative: (whole ? [whole] : per).some((t) => t.illustrative),
          actual: isMeasured ? figureOf(k.kind, total.get(k.code)?.get('') ?? noParts()) : null,
          records: nTotal.get(`${k.code}|`) ?? 0,
          measures: codes.map((c) => ({
            measureCode: c || null,
            target: ts.find((t) => t.measureCode === c)?.target ?? null,
            targetIllustrative: ts.find((t) => t.measureCode === c)?.illustrative ?? false,
            actual: isMeasured ? figureOf(k.kind, m.get(c) ?? noParts()) : null,
            records: nMeasure.get(`${k.code}|${c}`) ?? 0,
          })),
        };
      });
  }
}

function toSummary(r: repo.ReportRow): KpiReportSummary {
  return {
    id: r.id,
    year: r.year,
    quarter: r.quarter,
    version: r.version,
    reason: r.reason,
    current: r.current,
    submittedAt: new Date(r.submittedAt).toISOString(),
    submittedBy: r.submittedBy,
  };
}

export type KpiService = ReturnType<typeof createKpiService>;
