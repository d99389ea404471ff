import { z } from 'zod';
import { LocalizedText } from './common.ts';
import { KpiCode, KpiKind, KpiUnit, MeasureCode, Year } from './programme.ts';

/**
 * THE METRIC CONTRACT. A module that computes a KPI registers a metric: what record it counts,
 * which date and place it is attributed to, whether a person (or enterprise) counts once per KPI
 * and year, and which breakdowns its records allow. The module then writes one *fact* per counted
 * record in the same transaction as the record's change; actuals, breakdowns and drill-downs are
 * read from the facts. A KPI with no registered metric shows "not yet measured".
 *
 * Worked example (the registry's K26, people registered on the platform):
 *   { code: 'registry.people_registered', kpiCode: 'K26', part: 'value', recordType: 'person',
 *     counts: { 'zh-TW': '登錄於平台的人員', en: 'people recorded on the platform' },
 *     dateBasis: { 'zh-TW': '登錄日', en: 'date recorded' }, placeBasis: 'person_county',
 *     distinct: 'person', breakdowns: ['month', 'agency', 'county', 'region', 'gender', 'age_band'] }
 * and createPerson writes { metricCode, recordId: person.id, subjectId: person.id, eventDate,
 * countyCode, gender, ageBand: ageBand(birthDate, eventDate), agencyId } inside its transaction.
 * A ratio KPI (K19, K21) or a mean (K25) registers two metrics, part `numerator` and `denominator`.
 */
export const KpiDimension = z.enum([
  'month',
  'measure',
  'agency',
  'county',
  'region',
  'industry',
  'sme',
  'gender',
  'age_band',
  'category',
]);
export type KpiDimension = z.infer<typeof KpiDimension>;

export const MetricPart = z.enum(['value', 'numerator', 'denominator']);
export type MetricPart = z.infer<typeof MetricPart>;

/** Where a fact is placed on the map (kpis.md: the KPI may say otherwise). */
export const PlaceBasis = z.enum(['person_county', 'enterprise_county', 'class_county', 'employer_county']);
export type PlaceBasis = z.infer<typeof PlaceBasis>;

export const MetricDefinition = z.object({
  code: z.string().regex(/^[a-z]+\.[a-z0-9_]+$/),
  kpiCode: KpiCode,
  part: MetricPart,
  /** The module that writes its facts. */
  module: z.string(),
  /** The kind of record a fact points at (drill-down goes there): person, enterprise, enrolment … */
  recordType: z.string(),
  counts: LocalizedText,
  dateBasis: LocalizedText,
  placeBasis: PlaceBasis,
  /** `person` / `enterprise`: each subject counts once per KPI and year; `none`: every event counts. */
  distinct: z.enum(['person', 'enterprise', 'none']),
  breakdowns: z.array(KpiDimension),
  /** Bumped when the rule changes: the facts are then rebuilt from the records at the next start. */
  version: z.number().int().min(1),
});
export type MetricDefinition = z.infer<typeof MetricDefinition>;

export const AgeBand = z.enum(['under_20', '20_24', '25_29', '30_39', '40_49', '50_64', '65_plus']);
export type AgeBand = z.infer<typeof AgeBand>;

/** Age band on a date (both ISO dates): the age the person had that day. */
export function ageBand(birthDate: string | null | undefined, onDate: string): AgeBand | null {
  if (!birthDate) return null;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  if (age < 0) return null;
  if (age < 20) return 'under_20';
  if (age < 25) return '20_24';
  if (age < 30) return '25_29';
  if (age < 40) return '30_39';
  if (age < 50) return '40_49';
  if (age < 65) return '50_64';
  return '65_plus';
}

/**
 * A breakdown's row for facts without the dimension has the key `''`; as a filter that bucket is
 * `unknown` (for every dimension with such a bucket: county, region, industry, SME, gender, age).
 */
export const UNKNOWN_FILTER = 'unknown';
/** The filter value that narrows to a breakdown row: its key, or `unknown` for the unknown bucket. */
export const kpiFilterValue = (key: string): string => (key === '' ? UNKNOWN_FILTER : key);
/** The breakdown key a filter value names (the inverse of `kpiFilterValue`). */
export const kpiKeyOfFilter = (value: string): string => (value === UNKNOWN_FILTER ? '' : value);

/** Filters every KPI read accepts: a year, then any breakdown value (`unknown`: not recorded). */
export const KpiFilter = z.object({
  year: Year,
  measureCode: MeasureCode.optional(),
  month: z.coerce.number().int().min(1).max(12).optional(),
  /** Up to and including this month (a quarter's year-to-date figures). */
  throughMonth: z.coerce.number().int().min(1).max(12).optional(),
  agencyId: z.uuid().optional(),
  countyCode: z.union([z.string().regex(/^\d{5}$/), z.literal(UNKNOWN_FILTER)]).optional(),
  region: z.enum(['north', 'central', 'south', 'east', 'islands', UNKNOWN_FILTER]).optional(),
  industrySection: z.union([z.string().regex(/^[A-S]$/), z.literal(UNKNOWN_FILTER)]).optional(),
  smeStatus: z.enum(['small', 'sme', 'large', 'unknown']).optional(),
  gender: z.enum(['female', 'male', 'other', 'undisclosed', 'unknown']).optional(),
  ageBand: z.union([AgeBand, z.literal('unknown')]).optional(),
  category: z.string().max(40).optional(),
});
export type KpiFilter = z.infer<typeof KpiFilter>;

/** A figure: for count and sum KPIs `value`; for ratio and mean KPIs also its two parts. */
export const KpiFigure = z.object({
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
});
export type KpiFigure = z.infer<typeof KpiFigure>;

/**
 * Filters that narrow a figure to a part of what its target was set for (one county, one gender,
 * one agency, one month …): under any of them a target means nothing and attainment is "—".
 */
const PART_FILTERS = [
  'agencyId',
  'month',
  'countyCode',
  'region',
  'industrySection',
  'smeStatus',
  'gender',
  'ageBand',
  'category',
] as const;

/**
 * Attainment (actual as a percentage of target), the one rule for screen, XLSX and PDF (decision
 * 024). Null when either is missing, when a filter narrows the figure to a part (`PART_FILTERS`),
 * when the reader sees only part of the records (`scoped`: agency staff), and for a whole KPI
 * filtered to one measure (its measure row carries that measure's attainment).
 */
export function kpiAttainment(
  actual: KpiFigure | null | undefined,
  target: number | null | undefined,
  filter: Partial<KpiFilter>,
  level: 'kpi' | 'measure',
  scoped = false,
): number | null {
  if (scoped || PART_FILTERS.some((k) => filter[k] !== undefined)) return null;
  if (level === 'kpi' && filter.measureCode !== undefined) return null;
  return actual?.value !== null && actual?.value !== undefined && target
    ? (actual.value / target) * 100
    : null;
}

export const KpiOverviewItem = z.object({
  code: KpiCode,
  name: LocalizedText,
  unit: KpiUnit,
  kind: KpiKind,
  benefit: z.string(),
  measured: z.boolean(),
  /** The whole-programme target: the one set without a measure, else the sum of the measures'. */
  target: z.number().nullable(),
  /** Some target behind `target` is demo seed data (示範資料), not an official figure. */
  targetIllustrative: z.boolean(),
  actual: KpiFigure.nullable(),
  /** `kpiAttainment` of actual and target under the read's filters; null shows as "—". */
  attainment: z.number().nullable(),
  measures: z.array(
    z.object({
      measureCode: MeasureCode.nullable(),
      target: z.number().nullable(),
      targetIllustrative: z.boolean(),
      actual: KpiFigure.nullable(),
      attainment: z.number().nullable(),
    }),
  ),
  metrics: z.array(MetricDefinition),
});
export type KpiOverviewItem = z.infer<typeof KpiOverviewItem>;

export const KpiOverview = z.object({
  year: z.number().int(),
  /** Up to which Asia/Taipei instant the figures are computed (they are live). */
  asOf: z.iso.datetime({ offset: true }),
  items: z.array(KpiOverviewItem),
});
export type KpiOverview = z.infer<typeof KpiOverview>;

export const KpiBreakdownQuery = KpiFilter.extend({ by: KpiDimension });
export type KpiBreakdownQuery = z.infer<typeof KpiBreakdownQuery>;

export const KpiBreakdown = z.object({
  kpiCode: KpiCode,
  year: z.number().int(),
  by: KpiDimension,
  rows: z.array(KpiFigure.extend({ key: z.string() })),
  total: KpiFigure,
});
export type KpiBreakdown = z.infer<typeof KpiBreakdown>;

export const KpiRecordQuery = KpiFilter.extend({
  part: MetricPart.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type KpiRecordQuery = z.infer<typeof KpiRecordQuery>;

/** One record behind a figure. `label` is what the owning module shows for it, within scope. */
export const KpiRecord = z.object({
  factId: z.uuid(),
  metricCode: z.string(),
  part: MetricPart,
  recordType: z.string(),
  recordId: z.uuid(),
  label: z.string(),
  href: z.string().nullable(),
  eventDate: z.iso.date(),
  measureCode: z.string().nullable(),
  countyCode: z.string().nullable(),
  industrySection: z.string().nullable(),
  smeStatus: z.string().nullable(),
  gender: z.string().nullable(),
  ageBand: z.string().nullable(),
  category: z.string().nullable(),
  value: z.number(),
});
export type KpiRecord = z.infer<typeof KpiRecord>;

export const KpiRecordPage = z.object({
  items: z.array(KpiRecord),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
  totalCapped: z.boolean(),
});
export type KpiRecordPage = z.infer<typeof KpiRecordPage>;

export const ExportFormatQuery = z.object({ format: z.enum(['xlsx', 'pdf']) });

export const KpiDashboardExportQuery = KpiFilter.extend({
  format: z.enum(['xlsx', 'pdf']),
  /** The KPI whose breakdowns are on screen, if one is open. */
  kpiCode: KpiCode.optional(),
});
export type KpiDashboardExportQuery = z.infer<typeof KpiDashboardExportQuery>;

// Frozen quarterly reports ---------------------------------------------------------------------

export const Quarter = z.coerce.number().int().min(1).max(4);

export const SubmitKpiReportInput = z.object({
  year: Year,
  quarter: Quarter,
  /** Required for a correction (a second or later version of the same quarter). */
  reason: z.string().trim().max(1000).optional(),
});
export type SubmitKpiReportInput = z.infer<typeof SubmitKpiReportInput>;

export const KpiReportFigure = z.object({
  kpiCode: KpiCode,
  name: LocalizedText,
  unit: KpiUnit,
  kind: KpiKind,
  /** `kpi`: the whole KPI; `measure`: one measure's share (measureCode null: facts with no measure). */
  level: z.enum(['kpi', 'measure']),
  measureCode: MeasureCode.nullable(),
  target: z.number().nullable(),
  /** The target was demo seed data (示範資料) when the report was submitted (absent before: false). */
  targetIllustrative: z.boolean().optional(),
  actual: KpiFigure,
  records: z.number().int(),
});
export type KpiReportFigure = z.infer<typeof KpiReportFigure>;

export const KpiReportSummary = z.object({
  id: z.uuid(),
  year: z.number().int(),
  quarter: z.number().int(),
  version: z.number().int(),
  reason: z.string().nullable(),
  current: z.boolean(),
  submittedAt: z.iso.datetime({ offset: true }),
  submittedBy: z.string().nullable(),
});
export type KpiReportSummary = z.infer<typeof KpiReportSummary>;

export const KpiReportDetail = KpiReportSummary.extend({
  periodEnd: z.iso.date(),
  figures: z.array(KpiReportFigure),
});
export type KpiReportDetail = z.infer<typeof KpiReportDetail>;

export const KpiReportRecordQuery = z.object({
  kpiCode: KpiCode,
  measureCode: MeasureCode.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const KpiReportRecord = z.object({
  kpiCode: KpiCode,
  part: MetricPart,
  measureCode: z.string().nullable(),
  recordType: z.string(),
  recordId: z.uuid(),
  eventDate: z.iso.date(),
  value: z.number(),
});
export const KpiReportRecordPage = z.object({
  items: z.array(KpiReportRecord),
  nextCursor: z.string().nullable(),
});
