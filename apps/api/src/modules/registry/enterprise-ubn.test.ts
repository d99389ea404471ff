import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidUbn } from '@dtp/contracts';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';

let t: TestApp;
let pmo: TestSession;
let agency: TestSession;

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.createAgency();
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
  agency = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency', scopeId: a.id }] }));
});
afterAll(async () => t?.close());

/** A fresh valid 統一編號 for each enterprise of the file. */
let next = 10_000_000;
function ubn(): string {
  for (;;) {
    const v = String(next++).padStart(8, '0');
    if (isValidUbn(v)) return v;
  }
}

async function enterpriseWithRep(by: TestSession = pmo) {
  const e = (
    await t.as(by, { method: 'POST', url: '/api/enterprises', payload: { ubn: ubn(), name: '代表公司' } })
  ).json();
  const rep = await t.signInAs(await t.createAccount({ grants: [{ role: 'enterprise', scopeId: e.id }] }));
  return { e: e as { id: string; ubn: string }, rep };
}

const patch = (s: TestSession, id: string, payload: unknown) =>
  t.as(s, { method: 'PATCH', url: `/api/enterprises/${id}`, payload });

describe('統一編號 is changed by staff only (#8 item 18)', () => {
  it('an enterprise representative cannot change their company’s 統一編號: 403 naming the field, nothing written', async () => {
    const { e, rep } = await enterpriseWithRep();
    const res = await patch(rep, e.id, { ubn: ubn() });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res)).toMatchObject({
      reason: 'UBN_STAFF_ONLY',
      fields: [expect.objectContaining({ field: 'ubn', issue: 'staff_only' })],
    });
    const after = (await t.as(pmo, { method: 'GET', url: `/api/enterprises/${e.id}` })).json();
    expect(after.ubn).toBe(e.ubn);
    expect(await t.auditRows({ action: 'enterprise.update', targetId: e.id })).toHaveLength(0);
  });

  it('the representative may still edit the rest of the profile, and may send the unchanged 統一編號 (a whole form)', async () => {
    const { e, rep } = await enterpriseWithRep();
    const res = await patch(rep, e.id, { ubn: e.ubn, name: '代表公司新名', regularEmployees: 12 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ubn: e.ubn, name: '代表公司新名', regularEmployees: 12 });
  });

  it('the programme office and the agency that brought the enterprise in may change it', async () => {
    const { e } = await enterpriseWithRep();
    const to = ubn();
    const res = await patch(pmo, e.id, { ubn: to });
    expect(res.statusCode).toBe(200);
    expect(res.json().ubn).toBe(to);
    const { e: mine } = await enterpriseWithRep(agency);
    const to2 = ubn();
    const byAgency = await patch(agency, mine.id, { ubn: to2 });
    expect(byAgency.statusCode).toBe(200);
    expect(byAgency.json().ubn).toBe(to2);
  });
});
