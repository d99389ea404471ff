import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { kpiFacts, kpiMetricStates, kpiReports } from '../../db/schema/index.ts';

export type FactRow = typeof kpiFacts.$inferInsert;

/**
 * Inserts facts so that each subject is counted once per KPI, part and year (and once per measure):
 * a row first asks to be counted; where a partial unique index says the subject already is, the
 * row is inserted again asking for less. `ON CONFLICT DO NOTHING` waits for a concurrent writer of
 * the same subject, so the count stays exact under concurrency.
 */
export async function insertFacts(db: DbOrTx, rows: FactRow[]): Promise<void> {
  // Claims in the order tried: counted for KPI and measure → measure only → KPI only → neither.
  const CLAIMS: [boolean, boolean][] = [
    [true, true],
    [false, true],
    [true, false],
    [false, false],
  ];
  for (let i = 0; i < rows.length; i += 1000) {
    let pending = rows.slice(i, i + 1000).map((row) => ({
      row,
      claims: CLAIMS.filter(([k, m]) => (!k || row.countedKpi) && (!m || row.countedMeasure)),
    }));
    while (pending.length) {
      const inserted = await db
        .insert(kpiFacts)
        .values(
          pending.map((p) => ({ ...p.row, countedKpi: p.claims[0]![0], countedMeasure: p.claims[0]![1] })),
        )
        .onConflictDoNothing()
        .returning({ id: kpiFacts.id });
      const done = new Set(inserted.map((r) => r.id));
      pending = pending.filter((p) => !done.has(p.row.id!));
      for (const p of pending) {
        p.claims.shift();
        // An uncounted fact matches no partial unique index; reaching here means a broken schema.
        if (!p.claims.length) throw new Error('kpi fact insert did not settle');
      }
    }
  }
}

type CountedKey = {
  kpiCode: string;
  part: string;
  year: number;
  measureCode: string | null;
  subjectId: string;
};

/** Deletes facts of records; returns the subjects whose counted fact went, to count another. */
export async function deleteFacts(
  db: DbOrTx,
  recordType: string,
  recordIds: string[],
  metricCodes?: string[],
): Promise<CountedKey[]> {
  if (!recordIds.length) return [];
  const r = await db.execute<CountedKey & { countedKpi: boolean; countedMeasure: boolean }>(sql`
    delete from kpi_facts
    where record_type = ${recordType} and record_id = any(${sql.param(recordIds)}::uuid[])
      ${metricCodes ? sql`and metric_code = any(${sql.param(metricCodes)}::text[])` : sql``}
    returning kpi_code as "kpiCode", part, year, measure_code as "measureCode", subject_id as "subjectId",
      counted_kpi as "countedKpi", counted_measure as "countedMeasure"`);
  return r.rows.filter((x) => x.subjectId && (x.countedKpi || x.countedMeasure));
}

/** For each key that lost its counted fact, counts the subject's earliest remaining fact instead. */
export async function promoteFacts(db: DbOrTx, keys: CountedKey[]): Promise<void> {
  if (!keys.length) return;
  const json = JSON.stringify(keys);
  const k = sql`jsonb_to_recordset(${json}::jsonb) as k("kpiCode" text, part text, year int, "measureCode" text, "subjectId" uuid)`;
  await db.execute(sql`
    update kpi_facts f set counted_kpi = true
    from (
      select distinct on (x.kpi_code, x.part, x.year, x.subject_id) x.id
      from kpi_facts x join (select distinct "kpiCode", part, year, "subjectId" from ${k}) k
        on x.kpi_code = k."kpiCode" and x.part = k.part and x.year = k.year and x.subject_id = k."subjectId"
      where not exists (select 1 from kpi_facts c where c.kpi_code = x.kpi_code and c.part = x.part
        and c.year = x.year and c.subject_id = x.subject_id and c.counted_kpi)
      order by x.kpi_code, x.part, x.year, x.subject_id, x.event_date, x.id
    ) p where f.id = p.id`);
  await db.execute(sql`
    update kpi_facts f set counted_measure = true
    from (
      select distinct on (x.kpi_code, x.part, x.year, coalesce(x.measure_code, ''), x.subject_id) x.id
      from kpi_facts x join (select distinct "kpiCode", part, year, "measureCode", "subjectId" from ${k}) k
        on x.kpi_code = k."kpiCode" and x.part = k.part and x.year = k.year
        and coalesce(x.measure_code, '') = coalesce(k."measureCode", '') and x.subject_id = k."subjectId"
      where not exists (select 1 from kpi_facts c where c.kpi_code = x.kpi_code and c.part = x.part
        and c.year = x.year and coalesce(c.measure_code, '') = coalesce(x.measure_code, '')
        and c.subject_id = x.subject_id and c.counted_measure)
      order by x.kpi_code, x.part, x.year, coalesce(x.measure_code, ''), x.subject_id, x.event_date, x.id
    ) p where f.id = p.id`);
}

/** Moves a merged subject's facts to the survivor, each still counted once. */
export async function moveSubject(db: DbOrTx, fromId: string, toId: string): Promise<void> {
  const r = await db.execute<CountedKey>(sql`
    update kpi_facts set counted_kpi = false, counted_measure = false, subject_id = ${toId}
    where subject_id = ${fromId}
    returning kpi_code as "kpiCode", part, year, measure_code as "measureCode", subject_id as "subjectId"`);
  await promoteFacts(db, r.rows);
}

export type MetricSource = {
  code: string;
  kpiCode: string;
  part: string;
  recordType: string;
  distinct: boolean;
  source: SQL;
};

/** Rebuilds every fact of one KPI from its metrics' sources, counting each subject's earliest fact. */
/** The columns a fact made in SQL fills, in the order of the SELECTs below. */
const INSERT_FACTS = sql.raw(`insert into kpi_facts (id, metric_code, kpi_code, part, record_type, record_id,
  subject_id, event_date, year, month, measure_code, agency_id, county_code, industry_section, sme_status,
  gender, age_band, category, value, counted_kpi, counted_measure)`);

export async function rebuildKpiFacts(db: DbOrTx, kpiCode: string, metrics: MetricSource[]): Promise<number> {
  await db.execute(sql`delete from kpi_facts where kpi_code = ${kpiCode}`);
  if (!metrics.length) return 0;
  const union = sql.join(
    metrics.map(
      (
        m,
      ) => sql`select ${m.code}::text as metric_code, ${m.part}::text as part, ${m.recordType}::text as record_type,
        ${m.distinct}::boolean as is_distinct, s.* from (${m.source}) s`,
    ),
    sql` union all `,
  );
  const r = await db.execute(sql`
    ${INSERT_FACTS}
    select dtp_uuid_v7(), u.metric_code, ${kpiCode}, u.part, u.record_type, u.record_id,
      case when u.is_distinct then u.subject_id end,
      u.event_date, extract(year from u.event_date)::int, extract(month from u.event_date)::int,
      u.measure_code, u.agency_id, u.county_code, u.industry_section, u.sme_status, u.gender, u.age_band,
      u.category, coalesce(u.value, 1),
      not u.is_distinct or u.subject_id is null or row_number() over (
        partition by u.part, extract(year from u.event_date), u.subject_id
        order by u.event_date, u.record_id) = 1,
      not u.is_distinct or u.subject_id is null or row_number() over (
        partition by u.part, extract(year from u.event_date), coalesce(u.measure_code, ''), u.subject_id
        order by u.event_date, u.record_id) = 1
    from (${union}) u`);
  return r.rowCount ?? 0;
}

/**
 * The facts of these records, made in PostgreSQL from the metric's source in one statement (no
 * row leaves the server), each counted for KPI and measure. A record whose fact would not be the
 * first counted one for its subject (a unique index says so) is left out and returned, for the
 * caller to claim the fact another way (`insertFacts`).
 */
export async function insertCountedFactsFrom(
  db: DbOrTx,
  m: MetricSource,
  recordIds: string[],
): Promise<string[]> {
  const r = await db.execute<{ record_id: string }>(sql`
    with made as (
      ${INSERT_FACTS}
      select dtp_uuid_v7(), ${m.code}, ${m.kpiCode}, ${m.part}, ${m.recordType}, s.record_id,
        case when ${m.distinct}::boolean then s.subject_id end,
        s.event_date, extract(year from s.event_date)::int, extract(month from s.event_date)::int,
        s.measure_code, s.agency_id, s.county_code, s.industry_section, s.sme_status, s.gender, s.age_band,
        s.category, coalesce(s.value, 1), true, true
      from unnest(${sql.param(recordIds)}::uuid[]) as wanted(id) join (${m.source}) s on s.record_id = wanted.id
      on conflict do nothing
      returning record_id)
    select id::text as record_id from unnest(${sql.param(recordIds)}::uuid[]) as r(id)
    where not exists (select 1 from made where made.record_id = r.id)`);
  return r.rows.map((x) => x.record_id);
}

export async function analyzeFacts(db: DbOrTx) {
  await db.execute(sql`analyze kpi_facts, kpi_rollups`);
}

export async function metricStates(db: DbOrTx) {
  const rows = await db
    .select({ code: kpiMetricStates.metricCode, version: kpiMetricStates.version })
    .from(kpiMetricStates);
  return new Map(rows.map((r) => [r.code, r.version]));
}

export async function setMetricState(db: DbOrTx, code: string, version: number) {
  await db
    .insert(kpiMetricStates)
    .values({ metricCode: code, version })
    .onConflictDoUpdate({ target: kpiMetricStates.metricCode, set: { version, rebuiltAt: sql`now()` } });
}

/** The filter every read applies, in SQL over rollups (`r`) or facts (`f`). */
export type ReadScope = {
  year: number;
  kpiCodes?: string[] | undefined;
  month?: number | undefined;
  throughMonth?: number | undefined;
  measureCode?: string | undefined;
  agencyIds?: string[] | undefined;
};

export type RollupRow = { kpiCode: string; part: string; group: string; v: number; n: number };

/** One KPI as `=`, so that the planner reads the drill index in its order (`= any` would sort). */
const kpiCodeIn = (col: SQL, codes: string[]) =>
  codes.length === 1 ? sql`${col} = ${codes[0]}` : sql`${col} = any(${sql.param(codes)}::text[])`;

/** Which part of a rollup key: 0 the whole key (one dimension), 1 or 2 a pair's first or second. */
export type KeyPart = 0 | 1 | 2;
/** A condition on a rollup key: equal to a value, or a county of a region. */
export type KeyFilter = { part: KeyPart; equals: string } | { part: KeyPart; region: string };

const keyOf = (part: KeyPart) => (part === 0 ? sql`key` : sql.raw(`split_part(key, chr(31), ${part})`));

/**
 * Sums from the rollups of one dimension or pair of dimensions (`dim` is `total`, `county`, …, or
 * `county+gender`: migration 0010). `group` is what to group by besides KPI and part: month,
 * measure, agency, or a part of the key. `perMeasure` reads the measure-level counts.
 */
export async function readRollups(
  db: DbOrTx,
  s: ReadScope,
  dim: string,
  group: 'month' | 'measure' | 'agency' | 'none' | { key: KeyPart },
  perMeasure: boolean,
  keys: KeyFilter[] = [],
): Promise<RollupRow[]> {
  const g =
    typeof group === 'object'
      ? keyOf(group.key)
      : { month: sql`month::text`, measure: sql`measure_code`, agency: sql`agency_id`, none: sql`''` }[group];
  const [v, n] = perMeasure ? [sql`vm`, sql`nm`] : [sql`v`, sql`n`];
  const keyWhere = keys.map((k) =>
    'equals' in k
      ? sql`and ${keyOf(k.part)} = ${k.equals}`
      : k.region === 'unknown'
        ? sql`and ${keyOf(k.part)} not in (select code from counties)`
        : sql`and ${keyOf(k.part)} in (select code from counties where region = ${k.region})`,
  );
  const r = await db.execute<RollupRow>(sql`
    select kpi_code as "kpiCode", part, ${g} as "group", sum(${v})::float8 as v, sum(${n})::float8 as n
    from kpi_rollups
    where year = ${s.year} and dim = ${dim}
      ${s.kpiCodes ? sql`and ${kpiCodeIn(sql`kpi_code`, s.kpiCodes)}` : sql``}
      ${s.month ? sql`and month = ${s.month}` : sql``}
      ${s.throughMonth ? sql`and month <= ${s.throughMonth}` : sql``}
      ${s.measureCode !== undefined ? sql`and measure_code = ${s.measureCode}` : sql``}
      ${s.agencyIds ? sql`and agency_id = any(${sql.param(s.agencyIds)}::text[])` : sql``}
      ${sql.join(keyWhere, sql` `)}
    group by 1, 2, 3
    having sum(${n}) <> 0 or sum(${v}) <> 0`);
  return r.rows;
}

export type FactFilter = ReadScope & {
  countyCode?: string | undefined;
  region?: string | undefined;
  industrySection?: string | undefined;
  smeStatus?: string | undefined;
  gender?: string | undefined;
  ageBand?: string | undefined;
  category?: string | undefined;
  part?: string | undefined;
};

const unknownOr = (col: SQL, v: string | undefined) =>
  v === undefined ? sql`` : v === 'unknown' ? sql`and ${col} is null` : sql`and ${col} = ${v}`;

/** A region's counties; `unknown`: no county, or one in no region (the breakdown's '' row). */
const regionWhere = (region: string | undefined) =>
  region === undefined
    ? sql``
    : region === 'unknown'
      ? sql`and (f.county_code is null or f.county_code not in (select code from counties))`
      : sql`and f.county_code in (select code from counties where region = ${region})`;

function factWhere(f: FactFilter, perMeasure: boolean): SQL {
  return sql`f.year = ${f.year}
    ${f.kpiCodes ? sql`and ${kpiCodeIn(sql`f.kpi_code`, f.kpiCodes)}` : sql``}
    ${f.month ? sql`and f.month = ${f.month}` : sql``}
    ${f.throughMonth ? sql`and f.month <= ${f.throughMonth}` : sql``}
    ${f.measureCode !== undefined ? sql`and coalesce(f.measure_code, '') = ${f.measureCode}` : sql``}
    ${f.agencyIds ? sql`and f.agency_id = any(${sql.param(f.agencyIds)}::uuid[])` : sql``}
    ${f.part ? sql`and f.part = ${f.part}` : sql``}
    ${unknownOr(sql`f.county_code`, f.countyCode)}
    ${regionWhere(f.region)}
    ${unknownOr(sql`f.industry_section`, f.industrySection)}
    ${unknownOr(sql`f.sme_status`, f.smeStatus)}
    ${unknownOr(sql`f.gender`, f.gender)}
    ${unknownOr(sql`f.age_band`, f.ageBand)}
    ${f.category ? sql`and f.category = ${f.category}` : sql``}
    and ${perMeasure ? sql`f.counted_measure` : sql`f.counted_kpi`}`;
}

const FACT_GROUP: Record<string, SQL> = {
  month: sql`f.month::text`,
  measure: sql`coalesce(f.measure_code, '')`,
  agency: sql`coalesce(f.agency_id::text, '')`,
  county: sql`coalesce(f.county_code, '')`,
  industry: sql`coalesce(f.industry_section, '')`,
  sme: sql`coalesce(f.sme_status, '')`,
  gender: sql`coalesce(f.gender, '')`,
  age_band: sql`coalesce(f.age_band, '')`,
  category: sql`coalesce(f.category, '')`,
  none: sql`''`,
};

/** The same sums straight from the facts, for a breakdown filtered by another dimension. */
export async function readFacts(
  db: DbOrTx,
  f: FactFilter,
  group: keyof typeof FACT_GROUP,
  perMeasure: boolean,
): Promise<RollupRow[]> {
  const r = await db.execute<RollupRow>(sql`
    select f.kpi_code as "kpiCode", f.part, ${FACT_GROUP[group]!} as "group",
      sum(f.value)::float8 as v, count(*)::float8 as n
    from kpi_facts f where ${factWhere(f, perMeasure)}
    group by 1, 2, 3`);
  return r.rows;
}

export type FactListRow = {
  factId: string;
  metricCode: string;
  part: 'value' | 'numerator' | 'denominator';
  recordType: string;
  recordId: string;
  eventDate: string;
  measureCode: string | null;
  countyCode: string | null;
  industrySection: string | null;
  smeStatus: string | null;
  gender: string | null;
  ageBand: string | null;
  category: string | null;
  value: number;
};

/** The counted facts behind a figure, in event order (keyset on event date and id). */
export async function listFacts(
  db: DbOrTx,
  f: FactFilter,
  perMeasure: boolean,
  after: [string, string] | undefined,
  limit: number,
): Promise<FactListRow[]> {
  const r = await db.execute<FactListRow>(sql`
    select f.id as "factId", f.metric_code as "metricCode", f.part, f.record_type as "recordType",
      f.record_id as "recordId", f.event_date as "eventDate", f.measure_code as "measureCode",
      f.county_code as "countyCode", f.industry_section as "industrySection", f.sme_status as "smeStatus",
      f.gender, f.age_band as "ageBand", f.category, f.value::float8 as value
    from kpi_facts f
    where ${factWhere(f, perMeasure)}
      ${after ? sql`and (f.event_date, f.id) > (${after[0]}::date, ${after[1]}::uuid)` : sql``}
    order by f.event_date, f.id
    limit ${limit}`);
  return r.rows;
}

// Reports ---------------------------------------------------------------------------------------

export async function nextReportVersion(db: DbOrTx, year: number, quarter: number) {
  const r = await db.execute<{ v: number }>(sql`
    select coalesce(max(version), 0)::int + 1 as v from kpi_reports where year = ${year} and quarter = ${quarter}`);
  return r.rows[0]!.v;
}

export const insertReport = (db: DbOrTx, row: typeof kpiReports.$inferInsert) =>
  db.insert(kpiReports).values(row);

/** Copies the counted facts of the year up to the period's last month beside the report. */
export async function freezeReportRecords(db: DbOrTx, reportId: string, year: number, throughMonth: number) {
  const r = await db.execute(sql`
    insert into kpi_report_records (report_id, fact_id, kpi_code, part, measure_code, record_type, record_id,
      event_date, value, counted_kpi, counted_measure)
    select ${reportId}, id, kpi_code, part, measure_code, record_type, record_id, event_date, value,
      counted_kpi, counted_measure
    from kpi_facts where year = ${year} and month <= ${throughMonth} and (counted_kpi or counted_measure)`);
  return r.rowCount ?? 0;
}

const reportCols = sql`r.id, r.year, r.quarter, r.version, r.reason, r.period_end as "periodEnd",
  r.submitted_at as "submittedAt", a.display_name as "submittedBy",
  r.version = (select max(version) from kpi_reports x where x.year = r.year and x.quarter = r.quarter) as current`;

export type ReportRow = {
  id: string;
  year: number;
  quarter: number;
  version: number;
  reason: string | null;
  periodEnd: string;
  submittedAt: Date | string;
  submittedBy: string | null;
  current: boolean;
};

export async function listReports(db: DbOrTx, year?: number) {
  const r = await db.execute<ReportRow>(sql`
    select ${reportCols} from kpi_reports r left join accounts a on a.id = r.submitted_by
    ${year ? sql`where r.year = ${year}` : sql``}
    order by r.year desc, r.quarter desc, r.version desc`);
  return r.rows;
}

export async function getReport(db: DbOrTx, id: string) {
  const r = await db.execute<ReportRow & { figures: unknown }>(sql`
    select ${reportCols}, r.figures from kpi_reports r left join accounts a on a.id = r.submitted_by
    where r.id = ${id}`);
  return r.rows[0];
}

export async function listReportRecords(
  db: DbOrTx,
  reportId: string,
  kpiCode: string,
  measureCode: string | undefined,
  after: [string, string] | undefined,
  limit: number,
) {
  const r = await db.execute<{
    kpiCode: string;
    part: string;
    measureCode: string | null;
    recordType: string;
    recordId: string;
    eventDate: string;
    value: number;
    factId: string;
  }>(sql`
    select kpi_code as "kpiCode", part, measure_code as "measureCode", record_type as "recordType",
      record_id as "recordId", event_date as "eventDate", value::float8 as value, fact_id as "factId"
    from kpi_report_records
    where report_id = ${reportId} and kpi_code = ${kpiCode}
      and ${measureCode === undefined ? sql`counted_kpi` : sql`counted_measure and coalesce(measure_code, '') = ${measureCode}`}
      ${after ? sql`and (event_date, fact_id) > (${after[0]}::date, ${after[1]}::uuid)` : sql``}
    order by event_date, fact_id
    limit ${limit}`);
  return r.rows;
}

/** Facts of metrics no longer registered go, with their state. */
export async function dropMetrics(db: DbOrTx, codes: string[]) {
  await db.execute(sql`delete from kpi_facts where metric_code = any(${sql.param(codes)}::text[])`);
  await db.execute(sql`delete from kpi_metric_states where metric_code = any(${sql.param(codes)}::text[])`);
}

/** A metric's source rows for some records (the predicate is pushed into the source's query). */
export async function sourceRows(db: DbOrTx, source: SQL, recordIds: string[]) {
  const r = await db.execute<{
    record_id: string;
    subject_id: string | null;
    event_date: string;
    measure_code: string | null;
    agency_id: string | null;
    county_code: string | null;
    industry_section: string | null;
    sme_status: string | null;
    gender: string | null;
    age_band: string | null;
    category: string | null;
    value: number | null;
  }>(sql`select s.* from (${source}) s where s.record_id = any(${sql.param(recordIds)}::uuid[])`);
  return r.rows;
}
