import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Role } from '@dtp/contracts';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';
import { PEOPLE_REGISTERED } from '../registry/index.ts';

/**
 * #8 item 14: staff accounts are not programme participants. Opening 我的個人資料 shows their
 * account's own data but makes no registry person and adds nothing to K26 (decision 023).
 */
let t: TestApp;
let pmo: TestSession;
let agencyId: string;

beforeAll(async () => {
  t = await createTestApp();
  agencyId = (await t.createAgency()).id;
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
});
afterAll(async () => t?.close());

const req = (s: TestSession, method: string, url: string, payload?: unknown) =>
  t.as(s, { method, url, ...(payload === undefined ? {} : { payload }) });

async function counts(accountId: string) {
  const r = await t.db.execute<{ persons: number; mine: number; k26: number }>(sql`
    select (select count(*)::int from persons) as persons,
      (select count(*)::int from persons where account_id = ${accountId}) as mine,
      (select count(*)::int from kpi_facts where metric_code = ${PEOPLE_REGISTERED}) as k26`);
  return r.rows[0]!;
}

/** Every GET of 我的個人資料, as the page makes them. */
const MY_DATA_READS = [
  '/api/me/person',
  '/api/me/person/claims',
  '/api/me/consents',
  '/api/me/personal-data',
  '/api/me/personal-data-requests',
];

const STAFF: { role: Role; scopeId?: string }[] = [
  { role: 'admin' },
  { role: 'pmo' },
  { role: 'agency' },
  { role: 'consultant' },
  { role: 'expert' },
];

describe('我的個人資料 of a staff account (#8 item 14)', () => {
  for (const grant of STAFF) {
    it(`a ${grant.role} account reads its own data; no person row is made and K26 does not move`, async () => {
      const account = await t.createAccount({
        grants: [{ role: grant.role, ...(grant.role === 'agency' ? { scopeId: agencyId } : {}) }],
        displayName: `職員${grant.role}`,
      });
      const s = await t.signInAs(account);
      const before = await counts(account.id);
      for (const url of MY_DATA_READS) expect((await req(s, 'GET', url)).statusCode, url).toBe(200);

      const me = (await req(s, 'GET', '/api/me/person')).json();
      expect(me).toEqual({ person: null, claimableByEmail: false });
      const data = (await req(s, 'GET', '/api/me/personal-data')).json();
      expect(data).toMatchObject({ personId: null, accountId: account.id });
      expect(data.sections.account).toMatchObject({ email: account.email, displayName: `職員${grant.role}` });
      expect(data.sections.person).toMatchObject({ record: null });
      const consents = (await req(s, 'GET', '/api/me/consents')).json();
      expect(consents.items.every((i: { recordedAt: string | null }) => i.recordedAt === null)).toBe(true);
      expect((await req(s, 'GET', '/api/me/personal-data/download')).statusCode).toBe(200);

      const after = await counts(account.id);
      expect(after).toEqual({ ...before, mine: 0 });
    });
  }

  it('a staff account cannot give programme consents or edit a participant profile: a clear error, nothing made', async () => {
    const account = await t.createAccount({ grants: [{ role: 'agency', scopeId: agencyId }] });
    const s = await t.signInAs(account);
    const before = await counts(account.id);
    const consent = await req(s, 'PUT', '/api/me/consents', {
      noticeVersion: 1,
      consents: { statistics: true },
    });
    expect(consent.statusCode).toBe(412);
    expect(errorOf(consent).reason).toBe('NOT_A_PARTICIPANT');
    const edit = await req(s, 'PATCH', '/api/me/person', { phone: '0912345678' });
    expect(edit.statusCode).toBe(412);
    expect(errorOf(edit).reason).toBe('NOT_A_PARTICIPANT');
    const claim = await req(s, 'POST', '/api/me/person/claims', { basis: 'email' });
    expect(claim.statusCode).toBe(412);
    expect(errorOf(claim).reason).toBe('NOT_A_PARTICIPANT');
    expect(await counts(account.id)).toEqual(before);
  });

  it('a staff account files a rights request about its account; the PMO sees and decides it; still no person', async () => {
    const account = await t.createAccount({ grants: [{ role: 'consultant' }], displayName: '顧問請求' });
    const s = await t.signInAs(account);
    const before = await counts(account.id);
    const res = await req(s, 'POST', '/api/me/personal-data-requests', { type: 'access' });
    expect(res.statusCode).toBe(201);
    const request = res.json();
    expect(request).toMatchObject({ type: 'access', status: 'open', personId: null, personName: '顧問請求' });
    const mine = (await req(s, 'GET', '/api/me/personal-data-requests')).json();
    expect(mine.map((r: { id: string }) => r.id)).toEqual([request.id]);
    const data = (await req(s, 'GET', '/api/me/personal-data')).json();
    expect(data.sections.consentsAndRequests.requests).toEqual([expect.objectContaining({ type: 'access' })]);

    const queue = (await req(pmo, 'GET', '/api/personal-data-requests?limit=200')).json();
    expect(queue.items).toContainEqual(expect.objectContaining({ id: request.id, personName: '顧問請求' }));
    const decided = await req(pmo, 'POST', `/api/personal-data-requests/${request.id}/decision`, {
      decision: 'granted',
    });
    expect(decided.statusCode).toBe(200);
    expect((await t.outboxRows(account.email)).map((m) => m.template)).toContain(
      'personal_data_request_decided',
    );
    expect(await counts(account.id)).toEqual(before);
  });

  it('a learner and an enterprise representative still get their person on first use, counted in K26', async () => {
    for (const grants of [[{ role: 'learner' as const }], [{ role: 'enterprise' as const }]]) {
      const account = await t.createAccount({ grants, displayName: '參與者' });
      const s = await t.signInAs(account);
      const before = await counts(account.id);
      const me = await req(s, 'GET', '/api/me/person');
      expect(me.statusCode).toBe(200);
      expect(me.json().person).toMatchObject({ name: '參與者', hasAccount: true });
      const after = await counts(account.id);
      expect(after).toEqual({ persons: before.persons + 1, mine: 1, k26: before.k26 + 1 });
    }
  });
});
