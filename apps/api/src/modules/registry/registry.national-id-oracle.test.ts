import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';
import { csv, multipart, nationalId, randomUbn } from '../../../test/import-files.ts';

/**
 * Issue #8, item 3 (and the national-ID half of item 18): a masked national ID (D19999****)
 * leaves 1 000 candidates, and nothing an agency clerk sees may tell which of them is on file
 * outside the clerk's scope: not an import's preview or result, not creating a person, not the
 * search by ID (decision 016).
 */
let t: TestApp;
let pmo: TestSession;
let clerk: TestSession;
let clerkId: string;

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.createAgency();
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
  const account = await t.createAccount({ grants: [{ role: 'agency', scopeId: a.id }] });
  clerkId = account.id;
  clerk = await t.signInAs(account);
});
afterAll(async () => t?.close());

/** The 1 000 valid national IDs behind one mask: serials base*1000 … base*1000+999 (the check digit follows). */
const candidates = (base: number, sex: 1 | 2 = 1) =>
  Array.from({ length: 1000 }, (_, k) => nationalId(base * 1000 + k, 'D', sex));

/** A person the programme office registered: outside every agency's scope. */
async function onFileOutsideScope(id: string, name = '他單位者') {
  const res = await t.as(pmo, { method: 'POST', url: '/api/people', payload: { name, nationalId: id } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function importPeople(s: TestSession, rows: string[][]) {
  const body = multipart('people.csv', Buffer.from(csv([['姓名', '身分證字號'], ...rows])));
  const res = await t.as(s, { method: 'POST', url: '/api/imports?kind=people', ...body });
  expect(res.statusCode, res.body).toBe(201);
  await t.app.services.imports.idle();
  const id = res.json().id as string;
  const job = (await t.as(s, { method: 'GET', url: `/api/imports/${id}` })).json();
  const rowsPage = (await t.as(s, { method: 'GET', url: `/api/imports/${id}/rows?limit=200` })).json();
  const problems = (await t.as(s, { method: 'GET', url: `/api/imports/${id}/problems?limit=200` })).json();
  return { id, job, rows: rowsPage.items, problems: problems.items };
}

/** What the clerk can see of an import, with the row-specific values taken out. */
const seen = (r: Awaited<ReturnType<typeof importPeople>>) => ({
  job: {
    status: r.job.status,
    newCount: r.job.newCount,
    matchCount: r.job.matchCount,
    errorCount: r.job.errorCount,
  },
  rows: r.rows.map((x: { status: string; match: unknown; values: Record<string, unknown> }) => ({
    status: x.status,
    match: x.match,
    keys: Object.keys(x.values),
  })),
  problems: r.problems.map((p: { rowNumber: number; issue: string; params?: unknown }) => ({
    rowNumber: p.rowNumber,
    issue: p.issue,
    params: p.params,
  })),
});

const searchById = async (s: TestSession, id: string) =>
  (await t.as(s, { method: 'GET', url: `/api/people?q=${id}&limit=50` })).json();

describe('a national ID on file outside the clerk’s scope is no oracle (item 3)', () => {
  it('an import of the 1 000 candidates of one mask is refused as a probe, alike whether one is on file, and audited', async () => {
    const withTarget = candidates(4321);
    await onFileOutsideScope(withTarget[517]!);
    const without = candidates(4322);
    const a = await importPeople(
      clerk,
      withTarget.map((id, k) => [`候選${k}`, id]),
    );
    const b = await importPeople(
      clerk,
      without.map((id, k) => [`候選${k}`, id]),
    );
    expect(a.job.status).toBe('invalid');
    expect(seen(a)).toEqual(seen(b));
    expect(a.problems).toEqual([expect.objectContaining({ rowNumber: 0, issue: 'national_id_probe' })]);
    const audit = await t.auditRows({ action: 'import.probe_refused', targetId: a.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorAccountId).toBe(clerkId);
  });

  it('a small import with the one on file shows and commits every row as new, like one without', async () => {
    const ids = candidates(4323).slice(500, 510);
    const existing = await onFileOutsideScope(ids[3]!);
    const others = candidates(4324).slice(500, 510);
    const a = await importPeople(
      clerk,
      ids.map((id, k) => [`小檔${k}`, id]),
    );
    const b = await importPeople(
      clerk,
      others.map((id, k) => [`小檔${k}`, id]),
    );
    expect(a.job).toMatchObject({ status: 'preview', newCount: 10, matchCount: 0 });
    expect(seen(a)).toEqual(seen(b));
    const ca = await t.as(clerk, {
      method: 'POST',
      url: `/api/imports/${a.id}/commit`,
      payload: { onMatch: 'skip' },
    });
    const cb = await t.as(clerk, {
      method: 'POST',
      url: `/api/imports/${b.id}/commit`,
      payload: { onMatch: 'skip' },
    });
    expect(ca.statusCode, ca.body).toBe(200);
    expect(cb.statusCode, cb.body).toBe(200);
    expect(ca.json()).toMatchObject({ status: 'committed', createdCount: 10, skippedCount: 0 });
    // Afterwards the clerk finds each of them by ID, one record each: their own.
    for (const id of [ids[3]!, others[3]!]) {
      const found = await searchById(clerk, id);
      expect(found.total).toBe(1);
      expect(found.items[0].id).not.toBe(existing);
    }
    // The programme office sees the two records of one number as duplicates to merge.
    const dups = (await t.as(pmo, { method: 'GET', url: '/api/people/duplicates' })).json();
    expect(
      dups.items.some(
        (d: { reason: string; a: { id: string }; b: { id: string } }) =>
          d.reason === 'same_national_id' && (d.a.id === existing || d.b.id === existing),
      ),
    ).toBe(true);
  });

  it('creating a person with a number on file outside scope answers as for a new number', async () => {
    const [onFile, fresh] = [nationalId(4325517, 'D'), nationalId(4325518, 'D')];
    await onFileOutsideScope(onFile);
    const a = await t.as(clerk, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '甲', nationalId: onFile },
    });
    const b = await t.as(clerk, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '甲', nationalId: fresh },
    });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const shape = (p: Record<string, unknown>) => ({
      ...p,
      id: null,
      createdAt: null,
      updatedAt: null,
      nationalIdMasked: null,
    });
    expect(shape(a.json())).toEqual(shape(b.json()));
    // A second time, both are the clerk's own record: the same 409 CONFLICT for both.
    const a2 = await t.as(clerk, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '乙', nationalId: onFile },
    });
    const b2 = await t.as(clerk, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '乙', nationalId: fresh },
    });
    expect([a2.statusCode, b2.statusCode]).toEqual([409, 409]);
    expect({ ...errorOf(a2), requestId: null }).toEqual({ ...errorOf(b2), requestId: null });
    const [audit] = await t.auditRows({ action: 'person.national_id_held', targetId: a.json().id });
    expect(audit).toBeTruthy();
  });

  it('the search by national ID answers alike for a number on file outside scope and one not on file', async () => {
    const [onFile, fresh] = [nationalId(4326517, 'D', 2), nationalId(4326518, 'D', 2)];
    await onFileOutsideScope(onFile);
    const a = await searchById(clerk, onFile);
    const b = await searchById(clerk, fresh);
    expect(a).toEqual(b);
    expect(a.total).toBe(0);
  });
});

describe('a duplicate national ID or 統一編號 answers 409 CONFLICT (item 18)', () => {
  it('for a person the caller can see, on create and on update', async () => {
    const id = nationalId(4327001, 'D');
    await onFileOutsideScope(id);
    const dup = await t.as(pmo, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '重複', nationalId: id },
    });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup)).toMatchObject({
      code: 'CONFLICT',
      reason: 'DUPLICATE_NATIONAL_ID',
      fields: [{ field: 'nationalId', issue: 'taken' }],
    });
    const other = (
      await t.as(pmo, { method: 'POST', url: '/api/people', payload: { name: '另一位' } })
    ).json();
    const upd = await t.as(pmo, {
      method: 'PATCH',
      url: `/api/people/${other.id}`,
      payload: { nationalId: id },
    });
    expect(upd.statusCode).toBe(409);
    expect(errorOf(upd)).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE_NATIONAL_ID' });
  });

  it('for an enterprise, on create and on update', async () => {
    const [u1, u2] = [randomUbn(), randomUbn()];
    for (const ubn of [u1, u2]) {
      const r = await t.as(pmo, {
        method: 'POST',
        url: '/api/enterprises',
        payload: { ubn, name: `企業${ubn}` },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const dup = await t.as(pmo, {
      method: 'POST',
      url: '/api/enterprises',
      payload: { ubn: u1, name: '重複企業' },
    });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup)).toMatchObject({
      code: 'CONFLICT',
      reason: 'DUPLICATE_UBN',
      fields: [{ field: 'ubn', issue: 'taken' }],
    });
    const list = (
      await t.as(pmo, { method: 'GET', url: `/api/enterprises?q=${encodeURIComponent(`企業${u2}`)}` })
    ).json();
    const second = list.items.find((e: { ubn: string }) => e.ubn === u2);
    const upd = await t.as(pmo, {
      method: 'PATCH',
      url: `/api/enterprises/${second.id}`,
      payload: { ubn: u1 },
    });
    expect(upd.statusCode).toBe(409);
    expect(errorOf(upd)).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE_UBN' });
  });
});
