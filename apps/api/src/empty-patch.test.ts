import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidUbn } from '@dtp/contracts';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../test/helpers.ts';
import { ipasItems } from './db/schema/index.ts';

/**
 * Issue #8 item 9: `PATCH /api/programme` with `{}` answered 500 ("No values to set"). Every PATCH
 * route with an all-optional body treats an empty update (or one whose keys are all unknown, which
 * validation strips) as a no-op: 200 with the record unchanged, and nothing audited.
 */
let t: TestApp;
let admin: TestSession;

function randomUbn(): string {
  for (;;) {
    const u = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    if (isValidUbn(u)) return u;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs(await t.createAccount({ roles: ['admin', 'pmo'] }));
});
afterAll(async () => t?.close());

/** Each PATCH route with an all-optional body, as a function making what it needs; the caller. */
const ROUTES: Record<string, () => Promise<{ url: string; session: TestSession }>> = {
  'PATCH /api/auth/me': async () => ({ url: '/api/auth/me', session: admin }),
  'PATCH /api/accounts/:id': async () => ({
    url: `/api/accounts/${(await t.createAccount()).id}`,
    session: admin,
  }),
  'PATCH /api/reference/counties/:code': async () => ({
    url: '/api/reference/counties/63000',
    session: admin,
  }),
  'PATCH /api/reference/industries/:code': async () => ({
    url: '/api/reference/industries/2611',
    session: admin,
  }),
  'PATCH /api/reference/ipas-items/:id': async () => {
    const [item] = await t.db.select({ id: ipasItems.id }).from(ipasItems).limit(1);
    return { url: `/api/reference/ipas-items/${item!.id}`, session: admin };
  },
  'PATCH /api/programme': async () => ({ url: '/api/programme', session: admin }),
  'PATCH /api/programme/measures/:code': async () => ({ url: '/api/programme/measures/1.1', session: admin }),
  'PATCH /api/kpis/:code': async () => ({ url: '/api/kpis/K26', session: admin }),
  'PATCH /api/people/:id': async () => {
    const res = await t.as(admin, { method: 'POST', url: '/api/people', payload: { name: '空白更新' } });
    expect(res.statusCode).toBe(201);
    return { url: `/api/people/${res.json().id}`, session: admin };
  },
  'PATCH /api/enterprises/:id': async () => ({
    url: `/api/enterprises/${await enterprise()}`,
    session: admin,
  }),
  'PATCH /api/enterprises/:id/people/:linkId': async () => {
    const e = await enterprise();
    const p = await t.as(admin, { method: 'POST', url: '/api/people', payload: { name: '員工' } });
    const link = await t.as(admin, {
      method: 'POST',
      url: `/api/enterprises/${e}/people`,
      payload: { personId: p.json().id, relation: 'employee', validFrom: '2026-01-01' },
    });
    expect(link.statusCode, link.body).toBeLessThan(300);
    const linkId = (link.json().people as { id: string }[])[0]!.id;
    return { url: `/api/enterprises/${e}/people/${linkId}`, session: admin };
  },
  'PATCH /api/me/person': async () => {
    const session = await t.signInAs(await t.createAccount({ roles: ['learner'] }));
    expect((await t.as(session, { method: 'GET', url: '/api/me/person' })).statusCode).toBe(200);
    return { url: '/api/me/person', session };
  },
};

async function enterprise(): Promise<string> {
  const res = await t.as(admin, {
    method: 'POST',
    url: '/api/enterprises',
    payload: { ubn: randomUbn(), name: '空白更新公司' },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

describe('an empty PATCH is a no-op', () => {
  for (const [route, make] of Object.entries(ROUTES)) {
    it(`${route} with {} (and with only unknown keys) answers 200 unchanged and audits nothing`, async () => {
      const { url, session } = await make();
      const before = await t.as(session, { method: 'GET', url });
      const audited = (await t.auditRows()).length;
      for (const payload of [{}, { noSuchField: 1 }]) {
        const res = await t.as(session, { method: 'PATCH', url, payload });
        expect(res.statusCode, `${route} ${JSON.stringify(payload)}: ${res.body}`).toBe(200);
        if (before.statusCode === 200) expect(res.json()).toEqual(before.json());
      }
      expect((await t.auditRows()).length).toBe(audited);
    });
  }

  it('PATCH /api/programme/assignments/:id needs validTo: {} is a 400 naming it', async () => {
    const res = await t.as(admin, {
      method: 'PATCH',
      url: '/api/programme/assignments/00000000-0000-4000-8000-000000000000',
      payload: {},
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toEqual([expect.objectContaining({ field: 'validTo', issue: 'required' })]);
  });
});
