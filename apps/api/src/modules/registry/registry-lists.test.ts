import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { persons } from '../../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';

/** Lists, search, export, SME history and staff links of the registry. */
let t: TestApp;
let pmo: TestSession;
let agencyA: TestSession;
let agencyB: TestSession;
let agencyAId: string;

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.createAgency();
  const b = await t.createAgency();
  agencyAId = a.id;
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
  agencyA = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency', scopeId: a.id }] }));
  agencyB = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency', scopeId: b.id }] }));
});
afterAll(async () => t?.close());

const post = async (s: TestSession, url: string, payload: unknown) => {
  const res = await t.as(s, { method: 'POST', url, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};
const get = (s: TestSession, url: string) => t.as(s, { method: 'GET', url });
const patch = (s: TestSession, url: string, payload: unknown) => t.as(s, { method: 'PATCH', url, payload });
const names = (res: LightMyRequestResponse) =>
  res
    .json()
    .items.map((x: { name: string }) => x.name)
    .sort();

/** A CSV export read back: BOM checked and dropped, rows split (no quoted newlines in these tests). */
function csvRows(res: LightMyRequestResponse): string[][] {
  expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const text = res.rawPayload.subarray(3).toString('utf8');
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(','));
}

async function xlsxRows(res: LightMyRequestResponse): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('Chinese search', () => {
  it('finds two-character names (shorter than a trigram), one character, and 台 as 臺', async () => {
    const tag = `搜${newId().slice(-4)}`; // keeps this test's rows apart from the others'
    for (const name of ['王明', '王小明', '陳明華', '臺中人'])
      await post(pmo, '/api/people', { name: `${name}${tag}` });
    expect(names(await get(pmo, `/api/people?q=${encodeURIComponent(`王明${tag}`)}`))).toEqual([
      `王明${tag}`,
    ]);
    const twoChars = names(await get(pmo, `/api/people?q=${encodeURIComponent('王明')}&limit=200`));
    expect(twoChars).toContain(`王明${tag}`);
    expect(twoChars).not.toContain(`王小明${tag}`);
    expect(names(await get(pmo, `/api/people?q=${encodeURIComponent('小明')}&limit=200`))).toContain(
      `王小明${tag}`,
    );
    const oneChar = names(await get(pmo, `/api/people?q=${encodeURIComponent('明')}&limit=200`));
    expect(oneChar).toEqual(expect.arrayContaining([`王明${tag}`, `王小明${tag}`, `陳明華${tag}`]));
    expect(names(await get(pmo, `/api/people?q=${encodeURIComponent('台中')}&limit=200`))).toContain(
      `臺中人${tag}`,
    );
  });

  it('serves a two-character search from the grams index, not a scan', async () => {
    const plan = await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const r = await tx.execute<{ 'QUERY PLAN': string }>(
        sql`explain select id from persons where name_grams(name) @> ${sql.param(['王明'])}::text[] and lower(name) like '%王明%'`,
      );
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('persons_name_grams_idx');
  });

  it('searches enterprises by a two-character part of the name or by 統一編號', async () => {
    await post(pmo, '/api/enterprises', { ubn: '53212539', name: '積電精密股份有限公司' });
    await post(pmo, '/api/enterprises', { ubn: '04595257', name: '電積工業社' });
    const byName = (await get(pmo, `/api/enterprises?q=${encodeURIComponent('積電')}`)).json();
    expect(byName.items.map((e: { name: string }) => e.name)).toEqual(['積電精密股份有限公司']);
    const byUbn = (await get(pmo, '/api/enterprises?q=04595257')).json();
    expect(byUbn.items.map((e: { ubn: string }) => e.ubn)).toEqual(['04595257']);
  });
});

describe('export of the people list', () => {
  let county: string;
  beforeAll(async () => {
    county = '10015'; // 花蓮縣: only this block's people live there
    await post(agencyA, '/api/people', {
      name: '匯出甲',
      nationalId: 'A123456789',
      countyCode: county,
      gender: 'female',
      phone: '0912345678',
    });
    await post(agencyA, '/api/people', { name: '匯出乙', countyCode: county, gender: 'male' });
    // A cell a spreadsheet would run as a formula.
    await post(agencyA, '/api/people', { name: '=HYPERLINK("http://x")', countyCode: county });
  });

  it('streams CSV of the same query, masked, with zh-TW headers and formulas neutralised', async () => {
    const res = await get(agencyA, `/api/people/export?format=csv&countyCode=${county}&sort=name`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('人員名單-')}`,
    );
    const text = res.rawPayload.toString('utf8');
    expect(text).not.toContain('A123456789');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    const rows = csvRows(res);
    expect(rows[0]!.slice(0, 3)).toEqual(['姓名', '身分證統一編號／居留證號', '性別']);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(rows).toHaveLength(4);
    expect(byName.get('匯出甲')!.slice(1, 3)).toEqual(['A12345****', '女']);
    // The same order as the list sorted by name.
    const list = (await get(agencyA, `/api/people?countyCode=${county}&sort=name`)).json();
    expect(rows.slice(1).map((r) => r[0]!.replace(/^"'?|"$/g, '').replaceAll('""', '"'))).toEqual(
      list.items.map((p: { name: string }) => p.name),
    );
    const [audit] = await t.auditRows({ action: 'person.export' });
    expect(audit!.after).toMatchObject({ format: 'csv', unmasked: false, countyCode: county });
  });

  it('writes XLSX that reads back, in English when asked', async () => {
    const res = await get(
      agencyA,
      `/api/people/export?format=xlsx&countyCode=${county}&gender=female&locale=en`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const rows = await xlsxRows(res);
    expect(rows[0]!.slice(0, 3)).toEqual(['Name', 'National ID / resident certificate no.', 'Gender']);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 3)).toEqual(['匯出甲', 'A12345****', 'Female']);
  });

  it('shows whole national IDs only to the programme office asking for them, and audits it', async () => {
    const masked = await get(pmo, `/api/people/export?format=csv&countyCode=${county}`);
    expect(masked.rawPayload.toString('utf8')).not.toContain('A123456789');
    const res = await get(pmo, `/api/people/export?format=csv&countyCode=${county}&unmasked=true`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.toString('utf8')).toContain('A123456789');
    const audits = await t.auditRows({ action: 'person.export_unmasked' });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.after).toMatchObject({ unmasked: true, countyCode: county });

    const refused = await get(agencyA, `/api/people/export?format=csv&unmasked=true`);
    expect(refused.statusCode).toBe(403);
    expect(await t.auditRows({ action: 'person.export_unmasked' })).toHaveLength(1);
  });

  it('keeps to the caller scope: another agency exports none of these people', async () => {
    const res = await get(agencyB, `/api/people/export?format=csv&countyCode=${county}`);
    expect(res.statusCode).toBe(200);
    expect(csvRows(res)).toHaveLength(1); // the header only
  });

  it('names the field of a bad query', async () => {
    const res = await get(pmo, '/api/people/export?format=pdf');
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields?.[0]).toMatchObject({ field: 'querystring.format' });
  });

  it('walks the whole list in batches (more rows than one batch)', async () => {
    const agency = await t.createAgency();
    const clerk = await t.signInAs(
      await t.createAccount({ grants: [{ role: 'agency', scopeId: agency.id }] }),
    );
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      id: newId(),
      name: `批次${String(i).padStart(4, '0')}`,
      sourceAgencyId: agency.id,
    }));
    await t.db.insert(persons).values(rows);
    for (const sort of ['name', 'createdAt']) {
      const res = await get(clerk, `/api/people/export?format=csv&sort=${sort}`);
      const out = csvRows(res).slice(1);
      expect(out).toHaveLength(1203);
      expect(new Set(out.map((r) => r[0])).size).toBe(1203);
    }
    const list = (await get(clerk, '/api/people?limit=1')).json();
    expect(list.total).toBe(1203);
  });
});

describe('export of the enterprise list', () => {
  it('streams the filtered list with translated SME status', async () => {
    await post(agencyA, '/api/enterprises', {
      ubn: '22099131',
      name: '匯出科技股份有限公司',
      countyCode: '10015',
      industryCode: '2611',
      paidInCapitalTwd: 50_000_000,
      regularEmployees: 320,
    });
    const res = await get(agencyA, '/api/enterprises/export?format=xlsx&countyCode=10015&smeStatus=sme');
    expect(res.statusCode).toBe(200);
    const rows = await xlsxRows(res);
    expect(rows[0]!.slice(0, 2)).toEqual(['統一編號', '企業名稱']);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 2)).toEqual(['22099131', '匯出科技股份有限公司']);
    expect(rows[1]).toContain('中小企業');
    expect(rows[1]).toContain(50_000_000);
    const other = await get(agencyB, '/api/enterprises/export?format=csv&countyCode=10015');
    expect(csvRows(other)).toHaveLength(1);
  });
});

describe("exports in the reader's calendar and language (issue #8 item 17)", () => {
  it('writes 民國 dates (year unpadded, Taipei time) for a reader who chose 民國, ISO for Gregorian', async () => {
    const agency = await t.createAgency();
    const grants = [{ role: 'agency' as const, scopeId: agency.id }];
    const roc = await t.signInAs(await t.createAccount({ grants, calendar: 'roc' }));
    const gregorian = await t.signInAs(await t.createAccount({ grants, calendar: 'gregorian' }));
    await post(roc, '/api/people', { name: '民國匯出', birthDate: '1986-11-16', countyCode: '10014' });
    const header = (rows: string[][]) => rows[0]!;
    const col = (rows: string[][], name: string) => rows[1]![header(rows).indexOf(name)];

    const rocRows = csvRows(await get(roc, '/api/people/export?format=csv'));
    expect(col(rocRows, '出生日期')).toBe('75/11/16');
    expect(col(rocRows, '建立時間')).toMatch(/^1\d\d\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    const gRows = csvRows(await get(gregorian, '/api/people/export?format=csv'));
    expect(col(gRows, '出生日期')).toBe('1986-11-16');
    expect(col(gRows, '建立時間')).toMatch(/^20\d\d-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('names industries in English in English mode: sections, and classes by their division', async () => {
    const agency = await t.createAgency();
    const clerk = await t.signInAs(
      await t.createAccount({ grants: [{ role: 'agency', scopeId: agency.id }], calendar: 'gregorian' }),
    );
    await post(clerk, '/api/enterprises', { ubn: '12345675', name: '英文行業公司', industryCode: '2611' });
    const rows = await xlsxRows(await get(clerk, '/api/enterprises/export?format=xlsx&locale=en'));
    const at = (name: string) => rows[1]![(rows[0] as string[]).indexOf(name)];
    expect(at('Industry section')).toBe('C Manufacturing');
    expect(at('Industry')).toBe('Manufacture of Electronic Parts and Components (division 26)');
    expect(JSON.stringify(rows)).not.toMatch(/製造業/);

    const sections = (await get(clerk, '/api/reference/industries?level=section')).json();
    expect(sections.find((s: { code: string }) => s.code === 'C')).toMatchObject({
      nameZh: '製造業',
      nameEn: 'Manufacturing',
    });
  });
});

describe('SME status history', () => {
  it('re-judges with the date (Asia/Taipei) when the figures change and keeps each judgement', async () => {
    const e = await post(pmo, '/api/enterprises', {
      ubn: '00000005',
      name: '成長公司',
      paidInCapitalTwd: 1_000_000,
      regularEmployees: 3,
    });
    const day0 = e.smeStatusAsOf as string;
    expect(e.smeHistory).toEqual([
      { asOf: day0, status: 'small', paidInCapitalTwd: 1_000_000, regularEmployees: 3 },
    ]);
    // The same day: the judgement of the day is replaced, not duplicated.
    const sameDay = (await patch(pmo, `/api/enterprises/${e.id}`, { regularEmployees: 10 })).json();
    expect(sameDay.smeStatus).toBe('sme');
    expect(sameDay.smeHistory).toHaveLength(1);

    t.clock.advance(40 * 86_400_000);
    try {
      const later = await t.signInAs(await t.createAccount({ roles: ['pmo'] })); // sessions idle out
      const grown = (
        await patch(later, `/api/enterprises/${e.id}`, {
          paidInCapitalTwd: 200_000_000,
          regularEmployees: 250,
        })
      ).json();
      expect(grown.smeStatus).toBe('large');
      expect(grown.smeStatusAsOf > day0).toBe(true);
      expect(grown.smeHistory.map((h: { status: string }) => h.status)).toEqual(['large', 'sme']);
      // A KPI reads the status at the time of its event.
      const { registry } = t.app.services;
      expect(await registry.smeStatusOn(e.id, day0)).toMatchObject({ status: 'sme' });
      expect(await registry.smeStatusOn(e.id, grown.smeStatusAsOf)).toMatchObject({ status: 'large' });
      expect(await registry.smeStatusOn(e.id, '2000-01-01')).toBeNull();
      // Other edits do not re-judge.
      const renamed = (await patch(later, `/api/enterprises/${e.id}`, { name: '成長集團' })).json();
      expect(renamed.smeHistory).toHaveLength(2);
    } finally {
      t.clock.reset();
    }
  });
});

describe('staff links and representatives', () => {
  it('edits and ends a link, naming the field of a bad date, with the audit row', async () => {
    const e = await post(pmo, '/api/enterprises', { ubn: '00000074', name: '連結公司' });
    const p = await post(pmo, '/api/people', { name: '連結員工' });
    const linked = await post(pmo, `/api/enterprises/${e.id}/people`, {
      personId: p.id,
      relation: 'employee',
      validFrom: '2026-01-01',
    });
    const linkId = linked.people[0].id as string;
    const bad = await patch(pmo, `/api/enterprises/${e.id}/people/${linkId}`, { validTo: '2025-12-31' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields).toEqual([{ field: 'validTo', issue: 'before_start' }]);

    const ended = await patch(pmo, `/api/enterprises/${e.id}/people/${linkId}`, {
      validTo: '2026-06-30',
      relation: 'dt_team',
      title: '數位長',
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().people[0]).toMatchObject({
      relation: 'dt_team',
      title: '數位長',
      validTo: '2026-06-30',
    });
    const [audit] = await t.auditRows({ action: 'enterprise.update_link', targetId: e.id });
    expect(audit!.before).toMatchObject({ linkId, validTo: null, relation: 'employee' });
    expect(audit!.after).toMatchObject({ linkId, validTo: '2026-06-30' });

    // Another agency's staff cannot reach the enterprise; an unknown link is 404.
    expect(
      (await patch(agencyB, `/api/enterprises/${e.id}/people/${linkId}`, { validTo: null })).statusCode,
    ).toBe(404);
    expect(
      (await patch(pmo, `/api/enterprises/${e.id}/people/${newId()}`, { validTo: null })).statusCode,
    ).toBe(404);
  });

  it('lists the representatives: accounts holding an active enterprise grant on it', async () => {
    const e = await post(pmo, '/api/enterprises', { ubn: '10458575', name: '窗口公司' });
    const rep = await t.createAccount({
      displayName: '窗口甲',
      grants: [{ role: 'enterprise', scopeId: e.id }],
    });
    await t.createAccount({
      displayName: '停用窗口',
      status: 'disabled',
      grants: [{ role: 'enterprise', scopeId: e.id }],
    });
    const detail = (await get(pmo, `/api/enterprises/${e.id}`)).json();
    expect(detail.representatives).toEqual([
      { accountId: rep.id, displayName: '窗口甲', email: rep.email, since: expect.any(String) },
    ]);
    const session = await t.signInAs(rep);
    const own = (await get(session, '/api/enterprises')).json();
    expect(own.items.map((x: { id: string }) => x.id)).toEqual([e.id]);
    void agencyAId;
  });
});
