import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { factSql, type MetricRegistration } from '../kpi/index.ts';

/**
 * What the registry's own records support as KPIs (K26, K27: kept or dropped by the programme
 * office). Facts are taken from the records by `source`, both when a record is made (filtered to
 * its id) and when the facts are rebuilt, so the two can never disagree.
 */
export const PEOPLE_REGISTERED = 'registry.people_registered';
export const ENTERPRISES_REGISTERED = 'registry.enterprises_registered';

async function describePeople(db: Db, ids: string[]) {
  const r = await db.execute<{ id: string; name: string }>(
    sql`select id, name from persons where id = any(${sql.param(ids)}::uuid[])`,
  );
  return new Map(r.rows.map((p) => [p.id, { label: p.name, href: `/people/${p.id}` }]));
}

async function describeEnterprises(db: Db, ids: string[]) {
  const r = await db.execute<{ id: string; name: string; ubn: string }>(
    sql`select id, name, ubn from enterprises where id = any(${sql.param(ids)}::uuid[])`,
  );
  return new Map(r.rows.map((e) => [e.id, { label: `${e.name}（${e.ubn}）`, href: `/enterprises/${e.id}` }]));
}

export const registryMetrics: MetricRegistration[] = [
  {
    code: PEOPLE_REGISTERED,
    kpiCode: 'K26',
    part: 'value',
    module: 'registry',
    recordType: 'person',
    counts: {
      'zh-TW': '登錄於平台的人員（合併後的重複資料不計）',
      en: 'people recorded on the platform (merged duplicates excluded)',
    },
    dateBasis: { 'zh-TW': '登錄日', en: 'date recorded' },
    placeBasis: 'person_county',
    distinct: 'person',
    breakdowns: ['month', 'agency', 'county', 'region', 'industry', 'sme', 'gender', 'age_band'],
    version: 1,
    source: () => {
      const day = factSql.taipeiDate(sql`p.created_at`);
      return sql`
        select p.id as record_id, p.id as subject_id, ${day} as event_date, null::text as measure_code,
          p.source_agency_id as agency_id, p.county_code, i.section as industry_section,
          e.sme_status, p.gender, ${factSql.ageBand(sql`p.birth_date`, day)} as age_band,
          null::text as category, 1 as value
        from persons p
        left join enterprises e on e.id = p.employer_enterprise_id
        left join industries i on i.code = e.industry_code
        where p.merged_into_id is null`;
    },
    describe: describePeople,
  },
  {
    code: ENTERPRISES_REGISTERED,
    kpiCode: 'K27',
    part: 'value',
    module: 'registry',
    recordType: 'enterprise',
    counts: { 'zh-TW': '登錄於平台的企業', en: 'enterprises recorded on the platform' },
    dateBasis: { 'zh-TW': '登錄日', en: 'date recorded' },
    placeBasis: 'enterprise_county',
    distinct: 'enterprise',
    breakdowns: ['month', 'agency', 'county', 'region', 'industry', 'sme'],
    version: 1,
    source: () => sql`
      select e.id as record_id, e.id as subject_id, ${factSql.taipeiDate(sql`e.created_at`)} as event_date,
        null::text as measure_code, e.source_agency_id as agency_id, e.county_code,
        i.section as industry_section, e.sme_status, null::text as gender, null::text as age_band,
        null::text as category, 1 as value
      from enterprises e
      left join industries i on i.code = e.industry_code
      where e.archived_at is null`,
    describe: describeEnterprises,
  },
];
