import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { MetricDefinition, type AgeBand } from '@dtp/contracts';
import type { Db } from '../../db/client.ts';

/** One fact as a module writes it, in the transaction that changes the record. */
export type FactInput = {
  metricCode: string;
  recordId: string;
  /** The person or enterprise counted; required by metrics that count a subject once a year. */
  subjectId?: string | null;
  /** The event's calendar date in Asia/Taipei (`taipeiDate(at)`). */
  eventDate: string;
  measureCode?: string | null;
  agencyId?: string | null;
  countyCode?: string | null;
  industrySection?: string | null;
  smeStatus?: string | null;
  gender?: string | null;
  ageBand?: AgeBand | null;
  category?: string | null;
  /** 1 for a count; hours, NT$ or a score for sums and means. */
  value?: number;
};

/** What a module's records say about one fact's record in a drill-down list (already scoped). */
export type RecordLabel = { label: string; href: string | null };

export type MetricRegistration = MetricDefinition & {
  /**
   * A SELECT giving every fact from the records as they are now, with the columns record_id,
   * subject_id, event_date, measure_code, agency_id, county_code, industry_section, sme_status,
   * gender, age_band, category, value: used to build the facts when the metric is new or its
   * version changed (and by the bench after a bulk load).
   */
  source: () => SQL;
  /** Labels for drill-down rows; ids outside what the module shows come back absent. */
  describe: (db: Db, recordIds: string[]) => Promise<Map<string, RecordLabel>>;
};

/** The metrics registered in this process; modules register theirs when their service is built. */
export function createMetricRegistry() {
  const byCode = new Map<string, MetricRegistration>();
  return {
    register(m: MetricRegistration): void {
      MetricDefinition.parse(m);
      if (byCode.has(m.code)) throw new Error(`metric ${m.code} registered twice`);
      byCode.set(m.code, m);
    },
    get(code: string): MetricRegistration {
      const m = byCode.get(code);
      if (!m) throw new Error(`metric ${code} is not registered`);
      return m;
    },
    all: (): MetricRegistration[] => [...byCode.values()],
    forKpi: (kpiCode: string): MetricRegistration[] =>
      [...byCode.values()].filter((m) => m.kpiCode === kpiCode),
    isMeasured: (kpiCode: string): boolean => [...byCode.values()].some((m) => m.kpiCode === kpiCode),
  };
}
export type MetricRegistry = ReturnType<typeof createMetricRegistry>;

/** SQL helpers for a metric's `source`. */
export const factSql = {
  /** The Asia/Taipei calendar date of an instant. */
  taipeiDate: (instant: SQL) => sql`(${instant} at time zone 'Asia/Taipei')::date`,
  /** The age band (contracts' `ageBand`) of a birth date on a date. */
  ageBand: (birthDate: SQL, onDate: SQL) => sql`case
      when ${birthDate} is null then null
      when extract(year from age(${onDate}, ${birthDate})) < 0 then null
      when extract(year from age(${onDate}, ${birthDate})) < 20 then 'under_20'
      when extract(year from age(${onDate}, ${birthDate})) < 25 then '20_24'
      when extract(year from age(${onDate}, ${birthDate})) < 30 then '25_29'
      when extract(year from age(${onDate}, ${birthDate})) < 40 then '30_39'
      when extract(year from age(${onDate}, ${birthDate})) < 50 then '40_49'
      when extract(year from age(${onDate}, ${birthDate})) < 65 then '50_64'
      else '65_plus' end`,
};
