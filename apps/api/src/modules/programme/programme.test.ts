import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';

let t: TestApp;
let pmo: TestSession;
let agency: TestSession;

beforeAll(async () => {
  t = await createTestApp();
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
  const a = await t.createAgency();
  agency = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency', scopeId: a.id }] }));
});
afterAll(async () => t?.close());

const req = (s: TestSession | null, method: string, url: string, payload?: unknown) =>
  t.as(s, { method, url, ...(payload === undefined ? {} : { payload }) });

describe('programme structure', () => {
  it('is seeded from the plan: 3 sub-programmes, 9 measures, in both languages', async () => {
    const res = await req(null, 'GET', '/api/programme');
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.name['zh-TW']).toBe('數位與特殊技術人才發展計畫');
    expect(p.subProgrammes.map((s: { code: string }) => s.code)).toEqual(['1', '2', '3']);
    const codes = p.subProgrammes.flatMap((s: { measures: { code: string }[] }) =>
      s.measures.map((m) => m.code),
    );
    expect(codes).toEqual(['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2']);
    for (const s of p.subProgrammes) for (const m of s.measures) expect(m.name.en).toBeTruthy();
  });

  it('lets the programme office add a measure and assign an agency with dates, audited', async () => {
    const created = await req(pmo, 'POST', '/api/programme/measures', {
      subProgrammeCode: '3',
      code: '3.3',
      name: { 'zh-TW': '新措施', en: 'New measure' },
      description: { 'zh-TW': '說明' },
    });
    expect(created.statusCode).toBe(201);
    const ag = await t.createAgency({ name: '資策會' });
    const assigned = await req(pmo, 'POST', '/api/programme/measures/3.3/agencies', {
      agencyId: ag.id,
      validFrom: '2026-01-01',
    });
    expect(assigned.statusCode).toBe(201);
    expect(assigned.json().agencies).toEqual([
      expect.objectContaining({ agencyId: ag.id, validFrom: '2026-01-01', validTo: null }),
    ]);
    const id = assigned.json().agencies[0].id;
    const ended = await req(pmo, 'PATCH', `/api/programme/assignments/${id}`, { validTo: '2025-12-31' });
    expect(ended.statusCode).toBe(400);
    expect(errorOf(ended).fields).toEqual([{ field: 'validTo', issue: 'before_start' }]);
    expect(await t.auditRows({ action: 'measure.assign_agency', targetId: '3.3' })).toHaveLength(1);
  });

  it('rejects a measure code outside its sub-programme and a duplicate, naming the field', async () => {
    const wrong = await req(pmo, 'POST', '/api/programme/measures', {
      subProgrammeCode: '1',
      code: '2.9',
      name: { 'zh-TW': 'x' },
      description: { 'zh-TW': 'x' },
    });
    expect(errorOf(wrong).fields).toEqual([{ field: 'code', issue: 'not_in_sub_programme' }]);
    const dup = await req(pmo, 'POST', '/api/programme/measures', {
      subProgrammeCode: '1',
      code: '1.1',
      name: { 'zh-TW': 'x' },
      description: { 'zh-TW': 'x' },
    });
    expect(errorOf(dup).fields).toEqual([{ field: 'code', issue: 'taken' }]);
  });
});

describe('KPI definitions and targets', () => {
  it('lists K01–K25 from the catalogue and the registry’s K26–K27; only those with a metric are measured', async () => {
    const kpis = (await req(null, 'GET', '/api/kpis')).json();
    expect(kpis.map((k: { code: string }) => k.code)).toEqual(
      Array.from({ length: 27 }, (_, i) => `K${String(i + 1).padStart(2, '0')}`),
    );
    expect(
      kpis.filter((k: { measured: boolean }) => k.measured).map((k: { code: string }) => k.code),
    ).toEqual(['K26', 'K27']);
    expect(kpis.find((k: { code: string }) => k.code === 'K19')).toMatchObject({
      unit: 'percent',
      kind: 'ratio',
      measureCodes: ['3.1'],
    });
  });

  it('sets a yearly target per measure, replaces it, and audits before/after', async () => {
    const first = await req(pmo, 'PUT', '/api/kpis/K01/targets', {
      year: 2026,
      measureCode: '1.1',
      target: 300,
    });
    expect(first.statusCode).toBe(200);
    const second = await req(pmo, 'PUT', '/api/kpis/K01/targets', {
      year: 2026,
      measureCode: '1.1',
      target: 320,
      note: '修正',
    });
    expect(second.json()).toMatchObject({ target: 320, note: '修正' });
    const list = (await req(agency, 'GET', '/api/kpi-targets?year=2026&kpiCode=K01')).json();
    expect(list).toEqual([
      expect.objectContaining({ kpiCode: 'K01', measureCode: '1.1', year: 2026, target: 320 }),
    ]);
    const audits = await t.auditRows({ action: 'kpi.set_target', targetId: 'K01' });
    expect(audits).toHaveLength(2);
    expect(audits.find((a) => (a.before as { target?: number } | null)?.target === 300)).toBeTruthy();
  });

  it('refuses a target for a measure the KPI does not cover, and a bad year', async () => {
    const wrong = await req(pmo, 'PUT', '/api/kpis/K10/targets', {
      year: 2026,
      measureCode: '1.1',
      target: 5,
    });
    expect(errorOf(wrong).fields).toEqual([{ field: 'measureCode', issue: 'not_for_kpi' }]);
    const year = await req(pmo, 'PUT', '/api/kpis/K10/targets', { year: 1999, target: 5 });
    expect(errorOf(year).fields?.[0]).toMatchObject({ field: 'year', issue: 'too_small' });
  });

  it('adds a KPI without code changes and lets agencies read but not edit', async () => {
    const res = await req(pmo, 'POST', '/api/kpis', {
      code: 'K90',
      name: { 'zh-TW': '平台註冊人數', en: 'People registered' },
      definition: { 'zh-TW': '平台上的人員數' },
      unit: 'persons',
      kind: 'count',
      benefit: 'all',
      sourceModule: 'registry',
      measureCodes: ['3.2'],
    });
    expect(res.statusCode).toBe(201);
    expect((await req(agency, 'PUT', '/api/kpis/K90/targets', { year: 2026, target: 1 })).statusCode).toBe(
      403,
    );
  });
});
