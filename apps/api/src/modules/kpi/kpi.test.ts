import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';
import { newId } from '../../lib/ids.ts';
import { kpiFilterValue, type KpiOverview } from '@dtp/contracts';
import type { KpiService } from './index.ts';
import * as repo from './kpi.repository.ts';
import { EXPORT_RECORDS_CAP } from './kpi.service.ts';
import { systemContext } from '../../context.ts';

let t: TestApp;
let kpi: KpiService;
let pmo: TestSession;
let agencyA: string;
let agencyB: string;
let clerkA: TestSession;

const req = (s: TestSession | null, method: string, url: string, payload?: unknown) =>
  t.as(s, { method, url, ...(payload === undefined ? {} : { payload }) });

/**
 * A metric over a table made only here, so the framework's counting rules are tested apart from
 * any module: `test_trainings` rows count their person once per KPI (K01) and year, and once per
 * measure; `hours` sum for K24 per event.
 */
async function registerTestMetrics() {
  await t.db.execute(sql`create table test_trainings (id uuid primary key, person_id uuid not null,
    day date not null, measure text, county text, gender text, hours numeric not null default 0,
    agency uuid)`);
  const source = (value: string) => () =>
    sql.raw(`select id as record_id, person_id as subject_id, day as event_date, measure as measure_code,
      agency as agency_id, county as county_code, null::text as industry_section, null::text as sme_status,
      gender, null::text as age_band, null::text as category, ${value} as value from test_trainings`);
  const describe = async (_db: unknown, ids: string[]) =>
    new Map(ids.map((id) => [id, { label: `T-${id.slice(-4)}`, href: null }]));
  const base = {
    module: 'test',
    recordType: 'test_training',
    counts: { 'zh-TW': '測試訓練' },
    dateBasis: { 'zh-TW': '日期' },
    placeBasis: 'person_county' as const,
    breakdowns: ['month' as const, 'county' as const, 'gender' as const],
    version: 1,
    describe,
  };
  kpi.metrics.register({
    ...base,
    code: 'test.trained',
    kpiCode: 'K01',
    part: 'value',
    distinct: 'person',
    source: source('1'),
  });
  kpi.metrics.register({
    ...base,
    code: 'test.hours',
    kpiCode: 'K24',
    part: 'value',
    distinct: 'none',
    source: source('hours'),
  });
  await kpi.rebuildStaleMetrics();
}

/** Adds training rows and their facts in one transaction, as a module would. */
async function train(
  rows: {
    person: string;
    day: string;
    measure?: string;
    county?: string;
    gender?: string;
    hours?: number;
    agency?: string;
  }[],
) {
  const ids = rows.map(() => newId());
  await t.db.transaction(async (tx) => {
    for (const [i, r] of rows.entries()) {
      await tx.execute(sql`insert into test_trainings values (${ids[i]}, ${r.person}, ${r.day}, ${r.measure ?? null},
        ${r.county ?? null}, ${r.gender ?? null}, ${r.hours ?? 0}, ${r.agency ?? null})`);
    }
    await kpi.recordFactsFor(tx, 'test.trained', ids);
    await kpi.recordFactsFor(tx, 'test.hours', ids);
  });
  return ids;
}

const overview = async (s: TestSession, q: string): Promise<KpiOverview> =>
  (await req(s, 'GET', `/api/kpi-overview?${q}`)).json();
const item = (o: KpiOverview, code: string) => o.items.find((i) => i.code === code)!;

beforeAll(async () => {
  t = await createTestApp();
  kpi = t.app.services.kpi;
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
  agencyA = (await t.createAgency()).id;
  agencyB = (await t.createAgency()).id;
  clerkA = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency', scopeId: agencyA }] }));
  await registerTestMetrics();
});
afterAll(async () => t?.close());

describe('registry metrics (K26 people, K27 enterprises)', () => {
  it('counts a person when recorded, by county, gender and age band at that time, and drills down to them', async () => {
    const before = item(await overview(pmo, 'year=2026'), 'K26').actual!.value!;
    const made = await req(clerkA, 'POST', '/api/people', {
      name: '林小美',
      countyCode: '64000',
      gender: 'female',
      birthDate: '2000-06-01',
    });
    expect(made.statusCode).toBe(201);
    const o = await overview(pmo, 'year=2026');
    expect(item(o, 'K26')).toMatchObject({ measured: true });
    expect(item(o, 'K26').actual!.value).toBe(before + 1);
    expect(item(o, 'K01').measured).toBe(true); // the test metric
    expect(item(o, 'K05')).toMatchObject({ measured: false, actual: null });

    const byCounty = (await req(pmo, 'GET', '/api/kpis/K26/breakdown?year=2026&by=county')).json();
    expect(byCounty.rows).toContainEqual(expect.objectContaining({ key: '64000', value: 1 }));
    const byRegion = (await req(pmo, 'GET', '/api/kpis/K26/breakdown?year=2026&by=region')).json();
    expect(byRegion.rows).toContainEqual(expect.objectContaining({ key: 'south', value: 1 }));
    const byAge = (
      await req(pmo, 'GET', '/api/kpis/K26/breakdown?year=2026&by=age_band&gender=female')
    ).json();
    expect(byAge.rows).toEqual([expect.objectContaining({ key: '25_29', value: 1 })]);

    const records = (await req(pmo, 'GET', '/api/kpis/K26/records?year=2026&countyCode=64000')).json();
    expect(records.items).toEqual([
      expect.objectContaining({
        recordType: 'person',
        recordId: made.json().id,
        label: '林小美',
        href: `/people/${made.json().id}`,
      }),
    ]);
  });

  it('shows agency staff only the facts their agency recorded', async () => {
    const clerkB = await t.signInAs(
      await t.createAccount({ grants: [{ role: 'agency', scopeId: agencyB }] }),
    );
    await req(clerkB, 'POST', '/api/people', { name: '陳大文', countyCode: '63000' });
    const a = item(await overview(clerkA, 'year=2026'), 'K26').actual!.value;
    const b = item(await overview(clerkB, 'year=2026'), 'K26').actual!.value;
    const all = item(await overview(pmo, 'year=2026'), 'K26').actual!.value;
    expect(a).toBe(1);
    expect(b).toBe(1);
    expect(all).toBeGreaterThanOrEqual(2);
    const bRecords = (await req(clerkB, 'GET', '/api/kpis/K26/records?year=2026')).json();
    expect(bRecords.items.map((r: { label: string }) => r.label)).toEqual(['陳大文']);
    expect((await req(clerkB, 'GET', `/api/kpi-overview?year=2026&agencyId=${agencyA}`)).statusCode).toBe(
      404,
    );
  });

  it('counts an enterprise by industry section and SME status', async () => {
    const res = await req(pmo, 'POST', '/api/enterprises', {
      ubn: '04595257',
      name: '南方精密股份有限公司',
      industryCode: '2611',
      countyCode: '67000',
      paidInCapitalTwd: 50_000_000,
      regularEmployees: 80,
    });
    expect(res.statusCode).toBe(201);
    const bySme = (await req(pmo, 'GET', '/api/kpis/K27/breakdown?year=2026&by=sme')).json();
    expect(bySme.rows).toContainEqual(expect.objectContaining({ key: 'sme', value: 1 }));
    const byIndustry = (await req(pmo, 'GET', '/api/kpis/K27/breakdown?year=2026&by=industry')).json();
    expect(byIndustry.rows).toContainEqual(expect.objectContaining({ key: 'C', value: 1 }));
  });

  it('counts a merged duplicate once: the merge moves its fact to the survivor', async () => {
    const k26 = async () => item(await overview(pmo, 'year=2026'), 'K26').actual!.value!;
    const before = await k26();
    const a = (await req(pmo, 'POST', '/api/people', { name: '重複甲', birthDate: '1990-01-01' })).json();
    const b = (await req(pmo, 'POST', '/api/people', { name: '重複甲', birthDate: '1990-01-01' })).json();
    expect(await k26()).toBe(before + 2);
    const merged = await req(pmo, 'POST', '/api/people/merge', { survivorId: a.id, mergedId: b.id });
    expect(merged.statusCode).toBe(200);
    expect(await k26()).toBe(before + 1);
  });

  it('names the field of a bad query', async () => {
    expect(errorOf(await req(pmo, 'GET', '/api/kpi-overview')).fields?.[0]).toMatchObject({
      field: 'querystring.year',
    });
    expect(
      errorOf(await req(pmo, 'GET', '/api/kpis/K26/breakdown?year=2026&by=colour')).fields?.[0],
    ).toMatchObject({
      field: 'querystring.by',
    });
    expect((await req(pmo, 'GET', '/api/kpis/K99/breakdown?year=2026&by=month')).statusCode).toBe(404);
  });
});

describe('counting rules', () => {
  it('counts a person once per KPI and year, once per measure, and every hour', async () => {
    const p = newId();
    await train([
      { person: p, day: '2025-03-10', measure: '1.1', hours: 6 },
      { person: p, day: '2025-05-02', measure: '1.1', hours: 3 },
    ]);
    await train([{ person: p, day: '2025-07-01', measure: '1.3', hours: 2 }]);
    await train([{ person: p, day: '2024-12-31', measure: '1.1', hours: 1 }]);
    const o = await overview(pmo, 'year=2025');
    expect(item(o, 'K01').actual!.value).toBe(1);
    expect(item(o, 'K01').measures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ measureCode: '1.1', actual: expect.objectContaining({ value: 1 }) }),
        expect.objectContaining({ measureCode: '1.3', actual: expect.objectContaining({ value: 1 }) }),
      ]),
    );
    expect(item(o, 'K24').actual!.value).toBe(11);
    const months = (await req(pmo, 'GET', '/api/kpis/K01/breakdown?year=2025&by=month')).json();
    expect(months.rows.find((r: { key: string }) => r.key === '3').value).toBe(1);
    expect(months.rows.find((r: { key: string }) => r.key === '5').value).toBe(0);
    expect(item(await overview(pmo, 'year=2024'), 'K01').actual!.value).toBe(1);
  });

  it('counts the next fact when the counted one is withdrawn', async () => {
    const p = newId();
    const [first] = await train([{ person: p, day: '2023-02-01', measure: '1.2' }]);
    await train([{ person: p, day: '2023-09-01', measure: '1.2' }]);
    await t.db.transaction((tx) => kpi.retractFacts(tx, 'test_training', [first!]));
    const months = (await req(pmo, 'GET', '/api/kpis/K01/breakdown?year=2023&by=month')).json();
    expect(months.rows.filter((r: { value: number }) => r.value > 0)).toEqual([
      expect.objectContaining({ key: '9', value: 1 }),
    ]);
    expect(months.total.value).toBe(1);
  });

  it('stays exact when two transactions count the same person at once', async () => {
    const p = newId();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => train([{ person: p, day: `2022-0${i + 1}-15`, measure: '1.1' }])),
    );
    const o = await overview(pmo, 'year=2022');
    expect(item(o, 'K01').actual!.value).toBe(1);
    const n = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from kpi_facts where kpi_code = 'K01' and year = 2022 and counted_kpi`,
    );
    expect(n.rows[0]!.n).toBe(1);
  });

  it('moves a merged person’s facts to the survivor, counted once', async () => {
    const [a, b] = [newId(), newId()];
    await train([{ person: a, day: '2021-04-01', measure: '1.1' }]);
    await train([{ person: b, day: '2021-06-01', measure: '1.1' }]);
    expect(item(await overview(pmo, 'year=2021'), 'K01').actual!.value).toBe(2);
    await t.db.transaction((tx) => kpi.moveSubject(tx, b, a));
    expect(item(await overview(pmo, 'year=2021'), 'K01').actual!.value).toBe(1);
  });

  it('gives from the rollups exactly what the facts give, and a rebuild changes nothing', async () => {
    const p = () => newId();
    await train([
      {
        person: p(),
        day: '2020-01-05',
        measure: '1.1',
        county: '64000',
        gender: 'male',
        hours: 4,
        agency: agencyA,
      },
      {
        person: p(),
        day: '2020-01-06',
        measure: '1.3',
        county: '63000',
        gender: 'female',
        hours: 5,
        agency: agencyB,
      },
      { person: p(), day: '2020-02-07', county: '64000', gender: 'female', hours: 7 },
    ]);
    const read = async () => {
      const out: Record<string, unknown> = {};
      for (const by of ['month', 'measure', 'agency', 'county', 'region', 'gender'])
        out[by] = (await req(pmo, 'GET', `/api/kpis/K24/breakdown?year=2020&by=${by}`)).json().rows;
      // A cross filter is answered from the facts: it must agree with the rollups' total.
      out.cross = (
        await req(pmo, 'GET', '/api/kpis/K24/breakdown?year=2020&by=gender&countyCode=64000')
      ).json().rows;
      return out;
    };
    const fromRollups = await read();
    expect(fromRollups.cross).toEqual([
      expect.objectContaining({ key: 'female', value: 7 }),
      expect.objectContaining({ key: 'male', value: 4 }),
    ]);
    const sums = await t.db.execute<{ a: number; b: number }>(sql`
      select (select sum(value) from kpi_facts where kpi_code = 'K24' and counted_kpi)::float8 as a,
        (select sum(v) from kpi_rollups where kpi_code = 'K24' and dim = 'total')::float8 as b`);
    expect(sums.rows[0]!.a).toBe(sums.rows[0]!.b);
    await kpi.rebuildStaleMetrics({ force: true });
    expect(await read()).toEqual(fromRollups);
  });
  it('answers a breakdown filtered by one or two other dimensions from the pair rollups, as the facts would', async () => {
    const counties = ['63000', '64000', '10002', '09020'];
    const genders = ['female', 'male', undefined];
    const rows = Array.from({ length: 60 }, (_, i) => ({
      person: newId(),
      day: `2027-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      ...(i % 5 ? { measure: i % 2 ? '1.1' : '1.3' } : {}),
      ...(i % 7 ? { county: counties[i % counties.length] } : {}),
      ...(genders[i % 3] ? { gender: genders[i % 3] } : {}),
      hours: (i % 4) + 1,
      agency: i % 2 ? agencyA : agencyB,
    }));
    await train(rows);
    // The facts, grouped as the API groups them: the oracle.
    const fromFacts = async (f: Partial<repo.FactFilter>, group: string, perMeasure: boolean) => {
      const r = await repo.readFacts(
        t.db,
        { year: 2027, kpiCodes: ['K24'], ...f },
        group as 'none',
        perMeasure,
      );
      return Object.fromEntries(r.filter((x) => x.v !== 0).map((x) => [x.group, x.v]));
    };
    const cases: [string, Partial<repo.FactFilter>, string][] = [
      ['by=gender&countyCode=64000', { countyCode: '64000' }, 'gender'],
      ['by=county&gender=female', { gender: 'female' }, 'county'],
      ['by=county&gender=unknown', { gender: 'unknown' }, 'county'],
      ['by=month&countyCode=63000', { countyCode: '63000' }, 'month'],
      ['by=month&countyCode=63000&gender=male', { countyCode: '63000', gender: 'male' }, 'month'],
      ['by=gender&region=north', { region: 'north' }, 'gender'],
      ['by=county&countyCode=64000', { countyCode: '64000' }, 'county'],
      ['by=agency&gender=female', { gender: 'female' }, 'agency'],
      ['by=gender&countyCode=64000&measureCode=1.1', { countyCode: '64000', measureCode: '1.1' }, 'gender'],
      // Three dimensions: the facts answer.
      ['by=age_band&countyCode=64000&gender=female', { countyCode: '64000', gender: 'female' }, 'age_band'],
    ];
    for (const [q, f, group] of cases) {
      const res = (await req(pmo, 'GET', `/api/kpis/K24/breakdown?year=2027&${q}`)).json();
      expect(res.rows, `${q}: ${JSON.stringify(res)}`).toBeDefined();
      const got = Object.fromEntries(
        (res.rows as { key: string; value: number }[])
          .filter((r) => r.value !== 0)
          .map((r) => [r.key, r.value]),
      );
      expect(got, q).toEqual(await fromFacts(f, group, 'measureCode' in f));
      const total = Object.values(await fromFacts(f, 'none', 'measureCode' in f)).reduce((a, b) => a + b, 0);
      expect(res.total.value, q).toBe(total);
    }
    const pairs = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from kpi_rollups where kpi_code = 'K24' and year = 2027 and dim = 'county+gender'`,
    );
    expect(pairs.rows[0]!.n).toBeGreaterThan(0);
  });
});

describe('the unknown bucket as a filter', () => {
  it('unknown-bucket-filter-roundtrip: every breakdown row, the unknown one included, filters to its own figure', async () => {
    await train([
      { person: newId(), day: '2029-01-03', county: '64000', gender: 'female', hours: 2 },
      { person: newId(), day: '2029-02-03', county: '63000', hours: 3 },
      { person: newId(), day: '2029-03-03', gender: 'male', hours: 5 },
      { person: newId(), day: '2029-03-04', hours: 7 },
    ]);
    const param = {
      county: 'countyCode',
      region: 'region',
      industry: 'industrySection',
      sme: 'smeStatus',
      gender: 'gender',
      age_band: 'ageBand',
    } as const;
    for (const [by, name] of Object.entries(param)) {
      const res = (await req(pmo, 'GET', `/api/kpis/K24/breakdown?year=2029&by=${by}`)).json();
      const rows = res.rows as { key: string; value: number }[];
      expect(
        rows.some((r) => r.key === ''),
        by,
      ).toBe(true);
      for (const r of rows) {
        const q = `year=2029&${name}=${encodeURIComponent(kpiFilterValue(r.key))}`;
        const filtered = await req(pmo, 'GET', `/api/kpis/K24/breakdown?${q}&by=month`);
        expect(filtered.statusCode, q).toBe(200);
        expect(filtered.json().total.value, q).toBe(r.value);
      }
    }
    const unknownCounty = (
      await req(pmo, 'GET', '/api/kpis/K24/breakdown?year=2029&by=gender&countyCode=unknown')
    ).json();
    expect(unknownCounty.total.value).toBe(12);
    const threeDims = (
      await req(pmo, 'GET', '/api/kpis/K24/breakdown?year=2029&by=age_band&countyCode=unknown&gender=unknown')
    ).json();
    expect(threeDims.total.value).toBe(7);
    const byRegion = (
      await req(pmo, 'GET', '/api/kpis/K24/breakdown?year=2029&by=county&region=unknown')
    ).json();
    expect(byRegion.rows.filter((r: { value: number }) => r.value)).toEqual([
      expect.objectContaining({ key: '', value: 12 }),
    ]);
    const records = (await req(pmo, 'GET', '/api/kpis/K24/records?year=2029&countyCode=unknown')).json();
    expect(records.total).toBe(2);
    expect(records.items.map((r: { countyCode: string | null }) => r.countyCode)).toEqual([null, null]);
    expect(item(await overview(pmo, 'year=2029&industrySection=unknown'), 'K24').actual!.value).toBe(17);
  });
});

describe('quarterly reports', () => {
  it('refuses a quarter not yet closed, naming the field', async () => {
    const res = await req(pmo, 'POST', '/api/kpi-reports', { year: 2026, quarter: 4 });
    expect(errorOf(res)).toMatchObject({
      reason: 'QUARTER_NOT_CLOSED',
      fields: [{ field: 'quarter', issue: 'not_closed' }],
    });
  });

  it('freezes figures and records; a correction is a new version with a reason', async () => {
    await t.db.execute(sql`insert into kpi_targets (id, kpi_id, measure_id, year, target)
      select ${newId()}, id, null, 2026, 10 from kpis where code = 'K01'`);
    const [rec] = await train([{ person: newId(), day: '2026-08-14', measure: '1.1', hours: 8 }]);
    const v1 = await req(pmo, 'POST', '/api/kpi-reports', { year: 2026, quarter: 3 });
    expect(v1.statusCode).toBe(201);
    const k01 = v1
      .json()
      .figures.find((f: { kpiCode: string; level: string }) => f.kpiCode === 'K01' && f.level === 'kpi');
    expect(k01).toMatchObject({ target: 10, actual: { value: 1 }, records: 1 });
    expect(v1.json()).toMatchObject({ version: 1, current: true, periodEnd: '2026-09-30' });

    // A late record for the quarter: the submitted report does not change.
    await train([{ person: newId(), day: '2026-09-20', measure: '1.1' }]);
    const again = (await req(pmo, 'GET', `/api/kpi-reports/${v1.json().id}`)).json();
    expect(again.figures).toEqual(v1.json().figures);
    const frozen = (await req(pmo, 'GET', `/api/kpi-reports/${v1.json().id}/records?kpiCode=K01`)).json();
    expect(frozen.items.map((r: { recordId: string }) => r.recordId)).toEqual([rec]);

    const noReason = await req(pmo, 'POST', '/api/kpi-reports', { year: 2026, quarter: 3 });
    expect(errorOf(noReason).fields).toEqual([{ field: 'reason', issue: 'required' }]);
    const v2 = await req(pmo, 'POST', '/api/kpi-reports', {
      year: 2026,
      quarter: 3,
      reason: '補登 3 月結訓資料',
    });
    expect(v2.json()).toMatchObject({ version: 2, current: true, reason: '補登 3 月結訓資料' });
    expect(
      v2
        .json()
        .figures.find((f: { kpiCode: string; level: string }) => f.kpiCode === 'K01' && f.level === 'kpi')
        .actual.value,
    ).toBe(2);
    const list = (await req(pmo, 'GET', '/api/kpi-reports?year=2026')).json();
    expect(list.map((r: { version: number; current: boolean }) => [r.version, r.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(await t.auditRows({ action: 'kpi_report.submit' })).toHaveLength(2);
  });

  it('exports a report as XLSX and as a PDF whose Chinese text can be read back', async () => {
    const [r] = (await req(pmo, 'GET', '/api/kpi-reports?year=2026')).json();
    const x = await req(pmo, 'GET', `/api/kpi-reports/${r.id}/export?format=xlsx`);
    expect(x.headers['content-disposition']).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toContain('115年第3季績效報告'); // pmo reads 民國
    const pdf = await req(pmo, 'GET', `/api/kpi-reports/${r.id}/export?format=pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeLessThan(400_000); // subset fonts, not 7 MB each
    const text = pdfText(pdf.rawPayload);
    if (text !== null) expect(text).toContain('中高階經營領導人培訓人數');
  });
});

describe('dashboard export', () => {
  it('puts what is on screen in an XLSX (overview and the open KPI’s breakdowns) and a PDF', async () => {
    const x = await req(pmo, 'GET', '/api/kpi-overview/export?year=2026&format=xlsx&kpiCode=K26');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '總覽',
      '月份',
      '措施',
      '區域',
      '縣市',
      '行業',
      '企業規模',
      '性別',
      '年齡層',
      '紀錄',
    ]);
    const county = wb.getWorksheet('縣市')!;
    const rows = county.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.some((r) => r[1] === '高雄市' && r[2] === 1)).toBe(true);
    const pdf = await req(pmo, 'GET', '/api/kpi-overview/export?year=2026&format=pdf&kpiCode=K26');
    const text = pdfText(pdf.rawPayload);
    if (text !== null) expect(text).toContain('平台登錄人數');
  });

  it('names the filters as the reader knows them: the county, not its code', async () => {
    const x = await req(
      pmo,
      'GET',
      '/api/kpi-overview/export?year=2026&format=xlsx&kpiCode=K26&countyCode=64000&gender=unknown',
    );
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const cells = (wb.getWorksheet('總覽')!.getSheetValues().filter(Boolean) as unknown[][]).flat();
    const filterLine = cells.find((c) => typeof c === 'string' && c.includes('縣市:')) as string;
    expect(filterLine).toContain('縣市: 高雄市');
    expect(filterLine).toContain('性別: 未填');
    expect(filterLine).not.toContain('64000');
  });
});

describe("exports in the reader's calendar and language (issue #8 item 17)", () => {
  const sheetText = async (res: { rawPayload: Buffer }, sheet?: string) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = sheet ? wb.getWorksheet(sheet)! : wb.worksheets[0]!;
    return (ws.getSheetValues().filter(Boolean) as unknown[][]).flat().filter((c) => typeof c === 'string');
  };

  it('labels a quarterly report 115年第3季 with 民國 dates, or 2026 Q3 for a Gregorian reader', async () => {
    const [r] = (await req(pmo, 'GET', '/api/kpi-reports?year=2026')).json();
    const roc = await sheetText(await req(pmo, 'GET', `/api/kpi-reports/${r.id}/export?format=xlsx`));
    expect(roc[0]).toContain('115年第3季績效報告');
    expect(roc).toContain('統計至 民國115年9月30日');
    expect(roc.find((c) => (c as string).startsWith('提報：'))).toMatch(
      /^提報：1\d\d\/\d{2}\/\d{2} \d{2}:\d{2}，/,
    );

    const en = await t.signInAs(
      await t.createAccount({ roles: ['pmo'], locale: 'en', calendar: 'gregorian' }),
    );
    const g = await sheetText(await req(en, 'GET', `/api/kpi-reports/${r.id}/export?format=xlsx`));
    expect(g[0]).toContain('KPI report 2026 Q3');
    expect(g).toContain('Figures up to 30 September 2026');
  });

  it('titles the dashboard 115年度 for a 民國 reader and names industries in English in English', async () => {
    const roc = await sheetText(
      await req(pmo, 'GET', '/api/kpi-overview/export?year=2026&format=xlsx&kpiCode=K27'),
    );
    expect(roc[0]).toBe('115年度績效指標儀表板');
    expect(roc[1]).toMatch(/^115年/);

    const en = await t.signInAs(
      await t.createAccount({ roles: ['pmo'], locale: 'en', calendar: 'gregorian' }),
    );
    const res = await req(en, 'GET', '/api/kpi-overview/export?year=2026&format=xlsx&kpiCode=K27');
    const overviewCells = await sheetText(res);
    expect(overviewCells[0]).toBe('KPI dashboard 2026');
    const industry = await sheetText(res, 'Industry');
    expect(industry).toContain('C Manufacturing');
    expect(industry.join(' ')).not.toMatch(/製造業/);
  });
});

describe('PDF text layer', () => {
  it('pdf-kpi-codes-and-digits: a KPI code beside its figures reads back as "K01", every digit in place', async () => {
    await t.db.execute(sql`insert into kpi_targets (id, kpi_id, measure_id, year, target)
      select ${newId()}, id, null, 2028, 5000 from kpis where code = 'K24'`);
    await train([{ person: newId(), day: '2028-04-02', measure: '1.1', hours: 1234.5 }]);
    const pdf = await req(pmo, 'GET', '/api/kpi-overview/export?year=2028&format=pdf&kpiCode=K24');
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text, 'pdftotext (poppler-utils) must be installed').not.toBeNull();
    const words = text!.split(/\s+/);
    for (const code of ['K01', 'K24', 'K26', 'K27']) expect(words).toContain(code);
    expect(words).toContain('1,234.50');
    expect(words).toContain('5,000');
    expect(words).toContain('24.7%');
  });
});

describe('exports agree with the screen', () => {
  const xlsx = async (url: string) => {
    const res = await req(pmo, 'GET', url);
    expect(res.statusCode, url).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return { wb, res };
  };
  /** The overview sheet's row of a KPI and measure (「全部措施」 for the whole KPI). */
  const overviewRow = (wb: ExcelJS.Workbook, code: string, measure = '全部措施') => {
    const ws = wb.worksheets[0]!;
    let found: ExcelJS.Row | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === code && r.getCell(3).value === measure) found = r;
    });
    expect(found, `${code} ${measure}`).toBeDefined();
    return found!;
  };

  beforeAll(async () => {
    // 2030: K24 sums 1 234.5 hours against a target of 5 000 (illustrative, as demo seed data is),
    // measure 1.1's 800 official; 2 of the 3 rows have no gender.
    const programme = t.app.services.programme;
    await programme.setTarget(
      systemContext,
      'K24',
      { year: 2030, measureCode: null, target: 5000, note: '' },
      true,
    );
    await programme.setTarget(systemContext, 'K24', {
      year: 2030,
      measureCode: '1.1',
      target: 800,
      note: '',
    });
    await programme.setTarget(
      systemContext,
      'K24',
      { year: 2030, measureCode: '1.3', target: 300, note: '' },
      true,
    );
    await train([
      { person: newId(), day: '2030-02-01', measure: '1.1', gender: 'female', hours: 1000 },
      { person: newId(), day: '2030-03-01', measure: '1.1', hours: 200 },
      { person: newId(), day: '2030-03-02', measure: '1.3', hours: 34.5 },
    ]);
  });

  it('export-numbers-numeric: XLSX targets, actuals, attainment and record counts are number cells with a number format', async () => {
    const { wb } = await xlsx('/api/kpi-overview/export?year=2030&format=xlsx');
    const row = overviewRow(wb, 'K24');
    expect(row.getCell(5).value).toBe(5000);
    expect(row.getCell(5).numFmt).toBe('#,##0');
    expect(row.getCell(6).value).toBe(1234.5);
    expect(row.getCell(6).numFmt).toBe('#,##0.00');
    expect(row.getCell(7).value).toBeCloseTo(0.2469, 4);
    expect(row.getCell(7).numFmt).toBe('0.0%');
    const k26 = overviewRow(wb, 'K26');
    expect(typeof k26.getCell(6).value).toBe('number');

    t.clock.advance(Date.parse('2030-04-02T00:00:00Z') - Date.now());
    // After the quarter closed, by someone signed in then.
    const late = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
    const report = await req(late, 'POST', '/api/kpi-reports', { year: 2030, quarter: 1 })
      .then((r) => r.json())
      .finally(() => t.clock.reset());
    expect(report.id, JSON.stringify(report)).toBeDefined();
    const { wb: rwb } = await xlsx(`/api/kpi-reports/${report.id}/export?format=xlsx`);
    const r = overviewRow(rwb, 'K24');
    expect(r.getCell(5).value).toBe(5000);
    expect(r.getCell(6).value).toBe(1234.5);
    expect(r.getCell(7).value).toBeCloseTo(0.2469, 4);
    expect(r.getCell(8).value).toBe(3);
    expect(r.getCell(8).numFmt).toBe('#,##0');
    expect(r.getCell(9).value).toBe('示範資料');
  });

  it('export-demo-targets-marked: a target from demo seed data is noted 示範資料 in the overview, the XLSX and the PDF', async () => {
    const k24 = item(await overview(pmo, 'year=2030'), 'K24');
    expect(k24.targetIllustrative).toBe(true);
    expect(k24.measures.map((m) => [m.measureCode, m.targetIllustrative])).toEqual([
      ['1.1', false],
      ['1.3', true],
    ]);
    const { wb } = await xlsx('/api/kpi-overview/export?year=2030&format=xlsx');
    expect(overviewRow(wb, 'K24').getCell(8).value).toBe('示範資料');
    expect(overviewRow(wb, 'K24', '1.3').getCell(8).value).toBe('示範資料');
    expect(overviewRow(wb, 'K24', '1.1').getCell(8).value).toBeNull();
    const cells = (wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).flat();
    expect(cells).toContain('註：備註為「示範資料」的目標值來自示範種子資料，僅供展示，並非正式數據。');
    const pdf = await req(pmo, 'GET', '/api/kpi-overview/export?year=2030&format=pdf');
    // The note, then the whole K24 row and its measure 1.3 row.
    expect(pdfText(pdf.rawPayload)!.split('示範資料').length - 1).toBe(3);
  });

  it('export-attainment-agrees: attainment on screen, in the XLSX and in the PDF is one figure, "—" under a filter', async () => {
    const whole = item(await overview(pmo, 'year=2030'), 'K24');
    expect(whole.attainment).toBeCloseTo(24.69, 2);
    expect(whole.measures.find((m) => m.measureCode === '1.1')!.attainment).toBeCloseTo(150, 5);
    const pdf = pdfText((await req(pmo, 'GET', '/api/kpi-overview/export?year=2030&format=pdf')).rawPayload)!;
    expect(pdf.split(/\s+/)).toContain('24.7%');

    for (const q of ['gender=female', 'gender=unknown', `agencyId=${agencyA}`, 'month=3']) {
      const filtered = item(await overview(pmo, `year=2030&${q}`), 'K24');
      expect(filtered.attainment, q).toBeNull();
      expect(
        filtered.measures.every((m) => m.attainment === null),
        q,
      ).toBe(true);
      const { wb } = await xlsx(`/api/kpi-overview/export?year=2030&format=xlsx&${q}`);
      expect(overviewRow(wb, 'K24').getCell(7).value, q).toBe('—');
      const text = pdfText(
        (await req(pmo, 'GET', `/api/kpi-overview/export?year=2030&format=pdf&${q}`)).rawPayload,
      )!;
      expect(text, q).not.toMatch(/\d%/);
    }
    // Filtered to one measure: the measure's row has its attainment, the whole KPI's has none.
    const one = item(await overview(pmo, 'year=2030&measureCode=1.1'), 'K24');
    expect(one.attainment).toBeNull();
    expect(one.measures).toEqual([expect.objectContaining({ measureCode: '1.1', attainment: 150 })]);
    // Agency staff read their agency's records only: no attainment against the programme's target.
    expect(item(await overview(clerkA, 'year=2030'), 'K24').attainment).toBeNull();
  });

  it('export-single-kpi-file: one KPI’s export is named after it and its filters and lists the records behind it', async () => {
    const { wb, res } = await xlsx(
      '/api/kpi-overview/export?year=2030&format=xlsx&kpiCode=K24&gender=unknown',
    );
    const name = decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!);
    // The reader chose 民國 (the default): the year in the name is 119年; the date stamp stays ISO so files sort.
    expect(name).toMatch(/^K24-.*119年.*性別未填.*-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(name).not.toMatch(/[\s/\\:]/);
    const records = wb.getWorksheet('紀錄')!;
    expect(records).toBeDefined();
    const rows = (records.getSheetValues().filter(Boolean) as unknown[][]).filter((r) =>
      String(r[1]).startsWith('T-'),
    );
    expect(rows.map((r) => [r[2], r[9]])).toEqual([
      ['119/03/01', 200],
      ['119/03/02', 34.5],
    ]);
    expect(String(records.getCell('A3').value)).toBe('共 2 筆');
    const dashboard = await req(pmo, 'GET', '/api/kpi-overview/export?year=2030&format=xlsx');
    expect(String(dashboard.headers['content-disposition'])).toContain(encodeURIComponent('績效指標-2030'));
  });

  it('export-records-capped: beyond 10 000 records the sheet holds the first 10 000 and says so', async () => {
    await t.db.execute(sql`insert into test_trainings (id, person_id, day, hours)
      select gen_random_uuid(), gen_random_uuid(), date '2031-01-01' + (i % 300), 1 from generate_series(1, 10001) i`);
    const ids = (
      await t.db.execute<{ id: string }>(
        sql`select id from test_trainings where day >= '2031-01-01' and day < '2032-01-01'`,
      )
    ).rows.map((r) => r.id);
    await t.db.transaction((tx) => kpi.recordFactsFor(tx, 'test.hours', ids));
    const { wb } = await xlsx('/api/kpi-overview/export?year=2031&format=xlsx&kpiCode=K24');
    const records = wb.getWorksheet('紀錄')!;
    expect(String(records.getCell('A3').value)).toContain('僅列出前 10000 筆');
    expect(records.rowCount).toBe(5 + EXPORT_RECORDS_CAP);
  });
});

/** Text of a PDF by poppler's pdftotext, where installed (CI installs it); null elsewhere. */
function pdfText(buf: Buffer): string | null {
  const file = path.join(os.tmpdir(), `kpi-${newId()}.pdf`);
  fs.writeFileSync(file, buf);
  try {
    return execFileSync('pdftotext', ['-q', file, '-'], { encoding: 'utf8' });
  } catch {
    return null;
  } finally {
    fs.rmSync(file, { force: true });
  }
}
