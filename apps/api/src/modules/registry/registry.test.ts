import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { persons } from '../../db/schema/index.ts';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';

let t: TestApp;
let pmo: TestSession;
let agencyA: TestSession;
let agencyB: TestSession;
let agencyAId: string;

/** Valid numbers made by the checksum rule (A123456789 is the textbook example). */
const ID_1 = 'A123456789';
const ID_2 = 'F131104093';

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

const post = (s: TestSession, url: string, payload?: unknown) =>
  t.as(s, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
const patch = (s: TestSession, url: string, payload: unknown) => t.as(s, { method: 'PATCH', url, payload });
const get = (s: TestSession, url: string) => t.as(s, { method: 'GET', url });

describe('people', () => {
  it('creates a person with a protected national ID: encrypted, hashed, shown masked', async () => {
    const res = await post(agencyA, '/api/people', {
      name: '陳大文',
      email: 'Chen@Example.com',
      nationalId: 'a123456789',
      countyCode: '63000',
      gender: 'male',
      birthDate: '1995-04-01',
    });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      name: '陳大文',
      email: 'chen@example.com',
      nationalIdMasked: 'A12345****',
      nationalIdKind: 'national',
    });
    expect(JSON.stringify(p)).not.toContain(ID_1);

    const [row] = await t.db.select().from(persons).where(eq(persons.id, p.id));
    expect(row!.nationalIdEnc).not.toContain(ID_1);
    expect(row!.nationalIdKeyId).toBe('k1');
    expect(row!.nationalIdHash).toBeTruthy();
    expect(row!.sourceAgencyId).toBe(agencyAId);

    const [audit] = await t.auditRows({ action: 'person.create', targetId: p.id });
    expect(JSON.stringify(audit!.after)).not.toContain(ID_1);
    expect(audit!.after).toMatchObject({ nationalId: 'A12345****', name: '陳○文' });
  });

  it('rejects a national ID with a wrong check digit, naming the field', async () => {
    const res = await post(pmo, '/api/people', { name: '林小美', nationalId: 'A123456788' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toEqual([{ field: 'nationalId', issue: 'invalid_checksum' }]);
  });

  it('refuses a second person with the same national ID', async () => {
    const first = await post(pmo, '/api/people', { name: '張三', nationalId: ID_2 });
    expect(first.statusCode).toBe(201);
    const dup = await post(pmo, '/api/people', { name: '張三豐', nationalId: ID_2.toLowerCase() });
    expect(dup.statusCode).toBe(409); // CONFLICT, the contract's code for it (issue #8, item 18)
    expect(errorOf(dup)).toMatchObject({
      reason: 'DUPLICATE_NATIONAL_ID',
      fields: [{ field: 'nationalId', issue: 'taken' }],
    });
  });

  it('keeps agencies to their own people: another agency gets 404', async () => {
    const created = (await post(agencyA, '/api/people', { name: '王五' })).json();
    expect((await get(agencyA, `/api/people/${created.id}`)).statusCode).toBe(200);
    expect((await get(agencyB, `/api/people/${created.id}`)).statusCode).toBe(404);
    const listB = (await get(agencyB, '/api/people?limit=200')).json();
    expect(listB.items.map((p: { id: string }) => p.id)).not.toContain(created.id);
  });

  it('reveals the whole number to the programme office only, and audits it', async () => {
    const withId = (await post(pmo, '/api/people', { name: '趙六', nationalId: 'A800000014' })).json();
    const res = await post(pmo, `/api/people/${withId.id}/national-id/reveal`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ nationalId: 'A800000014' });
    expect(await t.auditRows({ action: 'person.reveal_national_id', targetId: withId.id })).toHaveLength(1);
    expect((await post(agencyA, `/api/people/${withId.id}/national-id/reveal`)).statusCode).toBe(403);
  });

  it('updates with before/after in the audit log and finds a person by national ID', async () => {
    const p = (await post(pmo, '/api/people', { name: '周七', phone: '0912345678' })).json();
    const res = await patch(pmo, `/api/people/${p.id}`, { phone: '0987654321', nationalId: 'A223456781' });
    expect(res.statusCode).toBe(200);
    const [audit] = await t.auditRows({ action: 'person.update', targetId: p.id });
    expect(audit!.before).toEqual({ phone: '091234****', nationalId: null });
    expect(audit!.after).toEqual({ phone: '098765****', nationalId: 'A22345****' });
    const found = (await get(pmo, '/api/people?q=a223456781')).json();
    expect(found.items.map((x: { id: string }) => x.id)).toEqual([p.id]);
  });

  it('pages with a keyset cursor and sorts by name in stroke order (筆畫)', async () => {
    for (const n of ['甲一', '甲二', '甲三']) await post(pmo, '/api/people', { name: `排序${n}` });
    const first = (await get(pmo, '/api/people?q=排序&sort=name&limit=2')).json();
    expect(first.total).toBe(3);
    expect(first.items).toHaveLength(2);
    const second = (await get(pmo, `/api/people?q=排序&sort=name&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const names = [...first.items, ...second.items].map((x: { name: string }) => x.name);
    // 一 (1 stroke), 二 (2), 三 (3): Taiwan's stroke order, not code-point order (一 三 二).
    expect(names).toEqual(['排序甲一', '排序甲二', '排序甲三']);
  });

  it('pages newest first through rows recorded at the same instant, each once', async () => {
    const ids: string[] = [];
    for (const n of ['甲', '乙', '丙', '丁'])
      ids.push((await post(pmo, '/api/people', { name: `同刻${n}` })).json().id);
    await t.db
      .update(persons)
      .set({ createdAt: new Date('2026-03-01T00:00:00Z') })
      .where(inArray(persons.id, ids));
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page++) {
      const res = (await get(pmo, `/api/people?q=同刻&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...res.items.map((x: { id: string }) => x.id));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    // Same created_at: the id (descending) orders them.
    expect(seen).toEqual([...ids].sort().reverse());
  });
});

describe('enterprises', () => {
  it('creates an enterprise with a valid 統一編號 and derives SME status with its date', async () => {
    const res = await post(agencyA, '/api/enterprises', {
      ubn: '22099131',
      name: '台灣示範科技股份有限公司',
      countyCode: '64000',
      industryCode: '2611',
      paidInCapitalTwd: 50_000_000,
      regularEmployees: 320,
    });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({
      ubn: '22099131',
      name: '臺灣示範科技股份有限公司',
      smeStatus: 'sme',
      industrySection: 'C',
    });
    expect(e.smeStatusAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('rejects a bad 統一編號 and an unknown county, naming each field', async () => {
    const bad = await post(pmo, '/api/enterprises', { ubn: '12345678', name: '錯誤公司' });
    expect(errorOf(bad).fields).toEqual([{ field: 'ubn', issue: 'invalid_checksum' }]);
    const county = await post(pmo, '/api/enterprises', {
      ubn: '04595257',
      name: '某公司',
      countyCode: '99999',
    });
    expect(county.statusCode).toBe(400);
    expect(errorOf(county).fields).toEqual([{ field: 'countyCode', issue: 'not_found' }]);
  });

  it('re-derives SME status when headcount and capital change', async () => {
    const e = (
      await post(pmo, '/api/enterprises', {
        ubn: '00000005',
        name: '小公司',
        paidInCapitalTwd: 1_000_000,
        regularEmployees: 3,
      })
    ).json();
    expect(e.smeStatus).toBe('small');
    const grown = (
      await patch(pmo, `/api/enterprises/${e.id}`, { paidInCapitalTwd: 200_000_000, regularEmployees: 250 })
    ).json();
    expect(grown.smeStatus).toBe('large');
    const [audit] = await t.auditRows({ action: 'enterprise.update', targetId: e.id });
    expect(audit!.after).toMatchObject({ smeStatus: 'large' });
  });

  it('marks successors and DT-team members, and lets the enterprise representative see them', async () => {
    const e = (await post(pmo, '/api/enterprises', { ubn: '00000074', name: '傳承公司' })).json();
    const heir = (await post(pmo, '/api/people', { name: '接班人甲' })).json();
    const linked = await post(pmo, `/api/enterprises/${e.id}/people`, {
      personId: heir.id,
      relation: 'successor',
      validFrom: '2026-01-01',
    });
    expect(linked.statusCode).toBe(201);
    expect(linked.json().people).toEqual([
      expect.objectContaining({ personId: heir.id, relation: 'successor', personName: '接班人甲' }),
    ]);

    const rep = await t.signInAs(await t.createAccount({ grants: [{ role: 'enterprise', scopeId: e.id }] }));
    expect((await get(rep, `/api/enterprises/${e.id}`)).statusCode).toBe(200);
    expect((await get(rep, `/api/people/${heir.id}`)).statusCode).toBe(200);
    const other = (await post(pmo, '/api/enterprises', { ubn: '04595257', name: '別家公司' })).json();
    expect((await get(rep, `/api/enterprises/${other.id}`)).statusCode).toBe(404);
  });
});
