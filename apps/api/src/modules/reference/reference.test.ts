import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';

let t: TestApp;
let pmo: TestSession;

beforeAll(async () => {
  t = await createTestApp();
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
});
afterAll(async () => t?.close());

describe('reference data', () => {
  it('has the 22 counties with codes, regions and the Greater-South set from the settings', async () => {
    const counties = (await t.as(null, { method: 'GET', url: '/api/reference/counties' })).json();
    expect(counties).toHaveLength(22);
    expect(counties[0]).toMatchObject({
      code: '63000',
      nameZh: '臺北市',
      isoCode: 'TW-TPE',
      idLetter: 'A',
      region: 'north',
    });
    const south = counties
      .filter((c: { greaterSouth: boolean }) => c.greaterSouth)
      .map((c: { nameZh: string }) => c.nameZh);
    expect(south.sort()).toEqual(['嘉義縣', '屏東縣', '臺南市', '雲林縣', '高雄市'].sort());

    const changed = await t.as(pmo, {
      method: 'PUT',
      url: '/api/settings/reference.greaterSouthCounties',
      payload: { value: ['10020', '10010', '67000', '64000', '10013'] },
    });
    // Settings are the system administrator's; the programme office is refused.
    expect(changed.statusCode).toBe(403);
  });

  it('has all 737 industry codes and filters them', async () => {
    const all = (await t.as(null, { method: 'GET', url: '/api/reference/industries' })).json();
    expect(all).toHaveLength(737);
    const sections = (
      await t.as(null, { method: 'GET', url: '/api/reference/industries?level=section' })
    ).json();
    expect(sections).toHaveLength(19);
    const semis = (await t.as(null, { method: 'GET', url: '/api/reference/industries?q=半導體' })).json();
    expect(semis.some((i: { code: string }) => i.code.startsWith('26'))).toBe(true);
  });

  it('lets the programme office correct a name, storing 臺 for 台, audited', async () => {
    const res = await t.as(pmo, {
      method: 'PATCH',
      url: '/api/reference/counties/66000',
      payload: { nameEn: 'Taichung City' },
    });
    expect(res.statusCode).toBe(200);
    const ind = await t.as(pmo, {
      method: 'PATCH',
      url: '/api/reference/industries/2611',
      payload: { nameZh: '台灣半導體製造業' },
    });
    expect(ind.json().nameZh).toBe('臺灣半導體製造業');
    expect(await t.auditRows({ action: 'industry.update', targetId: '2611' })).toHaveLength(1);
    const bad = await t.as(pmo, {
      method: 'PATCH',
      url: '/api/reference/counties/66000',
      payload: { region: 'west' },
    });
    expect(errorOf(bad).fields?.[0]).toMatchObject({ field: 'region', issue: 'invalid_value' });
  });

  it('lists the known iPAS items', async () => {
    const items = (await t.as(null, { method: 'GET', url: '/api/reference/ipas-items' })).json();
    expect(
      items.some(
        (i: { nameZh: string; levels: string }) => i.nameZh === 'AI應用規劃師' && i.levels === '中級',
      ),
    ).toBe(true);
  });

  it('lets the programme office correct an iPAS item, naming a bad field, with the audit row', async () => {
    const items = (await t.as(null, { method: 'GET', url: '/api/reference/ipas-items' })).json();
    const item = items[0] as { id: string; nameZh: string };
    const bad = await t.as(pmo, {
      method: 'PATCH',
      url: `/api/reference/ipas-items/${item.id}`,
      payload: { nameZh: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields?.[0]).toMatchObject({ field: 'nameZh' });
    const res = await t.as(pmo, {
      method: 'PATCH',
      url: `/api/reference/ipas-items/${item.id}`,
      payload: { notes: '115 年起新增', nameZh: `${item.nameZh}（台版）` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ notes: '115 年起新增', nameZh: `${item.nameZh}（臺版）` });
    const [audit] = await t.auditRows({ action: 'ipas_item.update', targetId: item.id });
    expect(audit!.before).toMatchObject({ nameZh: item.nameZh });
  });
});
