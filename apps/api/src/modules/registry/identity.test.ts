import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { accounts, consents, enterprisePeople, enterprises, persons } from '../../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import {
  createTestApp,
  errorOf,
  SIGN_UP_CONSENTS,
  TEST_PASSWORD,
  uniqueEmail,
  type TestApp,
  type TestSession,
  tokenFromMail,
} from '../../../test/helpers.ts';

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

const req = (s: TestSession | null, method: string, url: string, payload?: unknown) =>
  t.as(s, { method, url, ...(payload === undefined ? {} : { payload }) });
const personRow = async (id: string) => (await t.db.select().from(persons).where(eq(persons.id, id)))[0]!;
const personOfAccount = async (accountId: string) =>
  (
    await t.db
      .select()
      .from(persons)
      .where(sql`${persons.accountId} = ${accountId} and ${persons.mergedIntoId} is null`)
  )[0];

/** A learner with a verified account (and, after the first call to /me/person, a person of their own). */
async function learner(o: { email?: string; displayName?: string; verified?: boolean } = {}) {
  const account = await t.createAccount({ roles: ['learner'], ...o });
  return { account, session: await t.signInAs(account) };
}

/** A record brought in by agency A, as its clerk would. */
async function staffRecord(payload: Record<string, unknown>) {
  const res = await req(agencyA, 'POST', '/api/people', payload);
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string };
}

describe('sign-up makes a person of its own', () => {
  it('never links a sign-up to an existing record, even with the same e-mail', async () => {
    const email = uniqueEmail('same');
    const existing = await staffRecord({ name: '林同名', email, nationalId: 'A123456789' });
    const up = await req(null, 'POST', '/api/auth/sign-up', {
      email,
      password: TEST_PASSWORD,
      displayName: '林同名',
      ...SIGN_UP_CONSENTS,
      consents: { programme_administration: true, class_notices: true },
    });
    expect(up.statusCode).toBe(201);
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email));
    const mine = await personOfAccount(account!.id);
    expect(mine).toBeDefined();
    expect(mine!.id).not.toBe(existing.id);
    expect(mine).toMatchObject({ name: '林同名', email, nationalIdHash: null });
    expect((await personRow(existing.id)).accountId).toBeNull();

    // Consent by purpose with the notice version; an optional purpose left out is recorded as no.
    const given = await t.db.select().from(consents).where(eq(consents.personId, mine!.id));
    expect(Object.fromEntries(given.map((c) => [c.purpose, c.granted]))).toEqual({
      programme_administration: true,
      statistics: false,
      class_notices: true,
      enterprise_matching: false,
    });
    expect(given.every((c) => c.noticeVersion === 1 && c.source === 'sign_up')).toBe(true);
    const [audit] = await t.auditRows({ action: 'person.create_for_account', targetId: mine!.id });
    expect(audit!.after).toMatchObject({ accountId: account!.id, name: '林○名' });
    expect(await t.auditRows({ action: 'consent.record', targetId: mine!.id })).toHaveLength(1);
  });

  it('refuses a sign-up without the required consent or with an old notice, naming the field', async () => {
    const base = { email: uniqueEmail('noconsent'), password: TEST_PASSWORD, displayName: '無同意' };
    const refused = await req(null, 'POST', '/api/auth/sign-up', {
      ...base,
      noticeVersion: 1,
      consents: { programme_administration: false },
    });
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused)).toMatchObject({
      reason: 'CONSENT_REQUIRED',
      fields: [{ field: 'consents.programme_administration', issue: 'required' }],
    });
    const old = await req(null, 'POST', '/api/auth/sign-up', {
      ...base,
      ...SIGN_UP_CONSENTS,
      noticeVersion: 99,
    });
    expect(errorOf(old)).toMatchObject({ reason: 'NOTICE_OUTDATED', fields: [{ field: 'noticeVersion' }] });
    // Nothing was written: the account is not there.
    expect(await t.db.select().from(accounts).where(eq(accounts.email, base.email.toLowerCase()))).toEqual(
      [],
    );
  });
});

describe('my person record', () => {
  it('is made on first use for an account without one, and edited by its owner (audited)', async () => {
    const { account, session } = await learner({ displayName: '陳自己' });
    const res = await req(session, 'GET', '/api/me/person');
    expect(res.statusCode).toBe(200);
    const { person } = res.json();
    expect(person).toMatchObject({ name: '陳自己', email: account.email, hasAccount: true });
    // The second visit finds the same person.
    expect((await req(session, 'GET', '/api/me/person')).json().person.id).toBe(person.id);

    const bad = await req(session, 'PATCH', '/api/me/person', { phone: 'call me' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields).toEqual([expect.objectContaining({ field: 'phone' })]);
    const county = await req(session, 'PATCH', '/api/me/person', { countyCode: '99999' });
    expect(errorOf(county).fields).toEqual([{ field: 'countyCode', issue: 'not_found' }]);

    const ok = await req(session, 'PATCH', '/api/me/person', {
      phone: '0912345678',
      countyCode: '64000',
      birthDate: '1990-05-01',
      gender: 'female',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().person).toMatchObject({ phone: '0912345678', countyCode: '64000', gender: 'female' });
    const [audit] = await t.auditRows({ action: 'person.update_self', targetId: person.id });
    expect(audit!.before).toMatchObject({ phone: null, countyCode: null });
    expect(audit!.after).toMatchObject({ phone: '091234****', birthDate: '****-**-**', countyCode: '64000' });
  });
});

describe('claims', () => {
  it('by verified e-mail: the record owner agency confirms, the sign-up person is merged into the record', async () => {
    const email = uniqueEmail('claimer');
    const record = await staffRecord({
      name: '黃認領',
      email,
      nationalId: 'F131104093',
      birthDate: '1988-08-08',
    });
    const { account, session } = await learner({ email, displayName: '黃認領' });
    const mine = await req(session, 'GET', '/api/me/person');
    expect(mine.json().claimableByEmail).toBe(true);
    const ownId = mine.json().person.id;

    const claim = await req(session, 'POST', '/api/me/person/claims', { basis: 'email' });
    expect(claim.statusCode).toBe(201);
    expect(claim.json()).toMatchObject({ basis: 'email', status: 'pending' });
    expect(claim.json()).not.toHaveProperty('personId');
    const again = await req(session, 'POST', '/api/me/person/claims', { basis: 'email' });
    expect(errorOf(again).reason).toBe('CLAIM_PENDING');

    // Another agency neither sees nor decides it.
    const listB = (await req(agencyB, 'GET', '/api/person-claims?status=pending')).json();
    expect(listB.items.map((c: { id: string }) => c.id)).not.toContain(claim.json().id);
    const byB = await req(agencyB, 'POST', `/api/person-claims/${claim.json().id}/decision`, {
      decision: 'confirm',
    });
    expect(byB.statusCode).toBe(404);

    const listA = (await req(agencyA, 'GET', '/api/person-claims?status=pending')).json();
    expect(listA.total).toBe(listA.items.length);
    const queued = listA.items.find((c: { id: string }) => c.id === claim.json().id);
    expect(queued).toMatchObject({ accountEmail: email, target: { id: record.id }, claimant: { id: ownId } });

    const bad = await req(agencyA, 'POST', `/api/person-claims/${claim.json().id}/decision`, {
      decision: 'maybe',
    });
    expect(errorOf(bad).fields).toEqual([expect.objectContaining({ field: 'decision' })]);
    const ok = await req(agencyA, 'POST', `/api/person-claims/${claim.json().id}/decision`, {
      decision: 'confirm',
      note: '電話確認本人',
    });
    expect(ok.statusCode).toBe(200);

    expect((await personRow(record.id)).accountId).toBe(account.id);
    expect((await personRow(ownId)).mergedIntoId).toBe(record.id);
    const now = (await req(session, 'GET', '/api/me/person')).json();
    expect(now).toMatchObject({
      person: { id: record.id, nationalIdMasked: 'F13110****' },
      claimableByEmail: false,
    });
    expect(await t.auditRows({ action: 'person.claim_confirm', targetId: claim.json().id })).toHaveLength(1);
    expect(await t.auditRows({ action: 'person.link_account', targetId: record.id })).toHaveLength(1);
    expect((await req(session, 'GET', '/api/me/person/claims')).json()).toEqual([
      expect.objectContaining({ status: 'confirmed' }),
    ]);
  });

  it('by national ID: filed the same whether or not a record matches; no match cannot be confirmed', async () => {
    const { session } = await learner();
    const invalid = await req(session, 'POST', '/api/me/person/claims', { basis: 'national_id' });
    expect(errorOf(invalid).fields).toEqual([expect.objectContaining({ field: 'nationalId' })]);
    const res = await req(session, 'POST', '/api/me/person/claims', {
      basis: 'national_id',
      nationalId: 'A800000014',
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const [audit] = await t.auditRows({ action: 'person.claim_request', targetId: id });
    expect(audit!.after).toMatchObject({ nationalId: 'A80000****', personId: null });
    const confirm = await req(pmo, 'POST', `/api/person-claims/${id}/decision`, { decision: 'confirm' });
    expect(errorOf(confirm).reason).toBe('PERSON_NOT_CLAIMABLE');
    const reject = await req(pmo, 'POST', `/api/person-claims/${id}/decision`, { decision: 'reject' });
    expect(reject.statusCode).toBe(200);
    expect(await t.auditRows({ action: 'person.claim_reject', targetId: id })).toHaveLength(1);
  });

  it('refuses an e-mail claim when there is nothing to claim', async () => {
    const { session } = await learner();
    const res = await req(session, 'POST', '/api/me/person/claims', { basis: 'email' });
    expect(res.statusCode).toBe(412);
    expect(errorOf(res).reason).toBe('PERSON_NOT_CLAIMABLE');
  });
});

describe('invitations to claim', () => {
  it('e-mails a single-use link in the recipient language; only the verified owner of the address links', async () => {
    const email = uniqueEmail('invitee');
    const record = await staffRecord({ name: 'Mei Chen', email, preferredLocale: 'en' });
    const res = await req(agencyA, 'POST', `/api/people/${record.id}/claim-invitations`, {});
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ personId: record.id, email });
    const [mail] = await t.outboxRows(email);
    expect(mail).toMatchObject({ template: 'claim_invitation', locale: 'en' });
    expect(mail!.subject).toMatch(/Link your personal record/);
    // The stored copy withholds the link (decision 020); it is read as the worker reads it.
    expect(mail!.bodyText).not.toMatch(/\/claim\?token=/);
    const token = await tokenFromMail(t, email, '/claim');
    expect(mail!.params).not.toHaveProperty('url');
    expect(await t.auditRows({ action: 'person.claim_invitation', targetId: record.id })).toHaveLength(1);

    // Someone else, signed in, cannot use it; the link stays usable for its owner.
    const other = await learner();
    const wrong = await req(other.session, 'POST', '/api/me/person/claim-invitations/accept', { token });
    expect(wrong.statusCode).toBe(403);
    expect(errorOf(wrong).reason).toBe('INVITATION_EMAIL_MISMATCH');
    // The owner of the address, before verifying it, cannot either.
    const unverified = await t.createAccount({ email: uniqueEmail('unverified'), verified: false });
    const early = await req(await t.signInAs(unverified), 'POST', '/api/me/person/claim-invitations/accept', {
      token,
    });
    expect(errorOf(early).reason).toBe('EMAIL_NOT_VERIFIED');

    const owner = await learner({ email });
    const ok = await req(owner.session, 'POST', '/api/me/person/claim-invitations/accept', { token });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().person.id).toBe(record.id);
    expect((await personRow(record.id)).accountId).toBe(owner.account.id);
    const reuse = await req(owner.session, 'POST', '/api/me/person/claim-invitations/accept', { token });
    expect(errorOf(reuse)).toMatchObject({
      reason: 'TOKEN_INVALID',
      fields: [{ field: 'token', issue: 'invalid' }],
    });

    // A linked record cannot be invited again.
    const twice = await req(pmo, 'POST', `/api/people/${record.id}/claim-invitations`, {});
    expect(errorOf(twice).reason).toBe('PERSON_ALREADY_LINKED');
  });

  it('expires after seven days, needs an address, and stays inside the agency', async () => {
    const noMail = await staffRecord({ name: '無信箱' });
    const missing = await req(agencyA, 'POST', `/api/people/${noMail.id}/claim-invitations`, {});
    expect(errorOf(missing).fields).toEqual([{ field: 'email', issue: 'required' }]);
    const badMail = await req(agencyA, 'POST', `/api/people/${noMail.id}/claim-invitations`, { email: 'x' });
    expect(errorOf(badMail).fields).toEqual([expect.objectContaining({ field: 'email' })]);
    expect(
      (await req(agencyB, 'POST', `/api/people/${noMail.id}/claim-invitations`, { email: uniqueEmail() }))
        .statusCode,
    ).toBe(404);

    const email = uniqueEmail('late');
    await req(agencyA, 'POST', `/api/people/${noMail.id}/claim-invitations`, { email });
    const token = await tokenFromMail(t, email, '/claim');
    t.clock.advance(8 * 24 * 3_600_000);
    try {
      const owner = await learner({ email });
      const late = await req(owner.session, 'POST', '/api/me/person/claim-invitations/accept', { token });
      expect(errorOf(late).reason).toBe('TOKEN_INVALID');
    } finally {
      t.clock.reset();
    }
  });
});

describe('duplicates and merge', () => {
  it('lists same e-mail, same name and birth date, and similar name with the same birth date', async () => {
    const email = uniqueEmail('dup');
    const a = await staffRecord({ name: '吳重複', email });
    const b = await staffRecord({ name: '吳重複二', email });
    const c = await staffRecord({ name: '鄭同生', birthDate: '1979-01-02' });
    const d = await staffRecord({ name: '鄭同生', birthDate: '1979-01-02' });
    const e = await staffRecord({ name: '蔡小明', birthDate: '1983-03-03' });
    const f = await staffRecord({ name: '蔡小名', birthDate: '1983-03-03' });
    const res = await req(pmo, 'GET', '/api/people/duplicates');
    expect(res.statusCode).toBe(200);
    const pairs = (res.json().items as { reason: string; a: { id: string }; b: { id: string } }[]).map(
      (p) => ({
        reason: p.reason,
        ids: [p.a.id, p.b.id].sort().join(),
      }),
    );
    expect(pairs).toEqual(
      expect.arrayContaining([
        { reason: 'same_email', ids: [a.id, b.id].sort().join() },
        { reason: 'same_name_birth_date', ids: [c.id, d.id].sort().join() },
        { reason: 'similar_name_birth_date', ids: [e.id, f.id].sort().join() },
      ]),
    );
    expect((await req(agencyA, 'GET', '/api/people/duplicates')).statusCode).toBe(403);
  });

  it('moves every reference, including a table made only here, in one audited transaction', async () => {
    // A later module's table: found through pg_constraint, listed nowhere in the merge code.
    await t.db.execute(sql`create table test_person_refs (
      id uuid primary key, person_id uuid not null references persons(id), note text)`);
    const survivor = await staffRecord({ name: '合併甲', phone: '0911111111', birthDate: '1990-01-01' });
    const merged = await staffRecord({
      name: '合併乙',
      email: 'merge.b@example.com',
      nationalId: 'A223456781',
      birthDate: '1990-01-01',
    });
    const ent = newId();
    await t.db
      .insert(enterprises)
      .values({ id: ent, ubn: '00000005', name: '合併公司', sourceAgencyId: agencyAId });
    await t.db.insert(enterprisePeople).values({
      id: newId(),
      enterpriseId: ent,
      personId: merged.id,
      relation: 'successor',
      validFrom: '2026-01-01',
    });
    await t.db.execute(
      sql`insert into test_person_refs values (${newId()}, ${merged.id}, 'x'), (${newId()}, ${merged.id}, 'y')`,
    );
    const earlier = await staffRecord({ name: '合併丙' });
    await t.db.update(persons).set({ mergedIntoId: merged.id }).where(eq(persons.id, earlier.id));

    const same = await req(pmo, 'POST', '/api/people/merge', {
      survivorId: survivor.id,
      mergedId: survivor.id,
    });
    expect(errorOf(same).fields).toEqual([{ field: 'mergedId', issue: 'same_person' }]);

    const res = await req(pmo, 'POST', '/api/people/merge', {
      survivorId: survivor.id,
      mergedId: merged.id,
      take: { name: 'merged' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.moved).toMatchObject({ 'enterprise_people.person_id': 1, 'test_person_refs.person_id': 2 });
    // Name taken from the merged record; phone kept; e-mail and national ID filled from the merged one.
    expect(body.survivor).toMatchObject({
      name: '合併乙',
      phone: '0911111111',
      email: 'merge.b@example.com',
      nationalIdMasked: 'A22345****',
    });
    const refs = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from test_person_refs where person_id = ${survivor.id}`,
    );
    expect(refs.rows[0]!.n).toBe(2);
    const m = await personRow(merged.id);
    expect(m).toMatchObject({ mergedIntoId: survivor.id, nationalIdHash: null, accountId: null });
    expect((await personRow(earlier.id)).mergedIntoId).toBe(survivor.id);
    // The merged person is gone from lists and lookups; the survivor answers for the national ID.
    expect((await req(pmo, 'GET', `/api/people/${merged.id}`)).statusCode).toBe(404);
    const found = (await req(pmo, 'GET', '/api/people?q=A223456781')).json();
    expect(found.items.map((p: { id: string }) => p.id)).toEqual([survivor.id]);

    const [audit] = await t.auditRows({ action: 'person.merge', targetId: survivor.id });
    expect(audit!.before).toMatchObject({
      survivor: { name: '合○甲', phone: '091111****' },
      merged: { name: '合○乙', nationalId: 'A22345****', email: 'm***@example.com' },
    });
    expect(audit!.after).toMatchObject({ survivor: { name: '合○乙' }, mergedId: merged.id });
    expect(JSON.stringify(audit)).not.toContain('A223456781');

    // Merging into a merged-away record is not possible.
    const gone = await req(pmo, 'POST', '/api/people/merge', { survivorId: merged.id, mergedId: earlier.id });
    expect(gone.statusCode).toBe(404);
  });

  it('refuses to merge two people who both have accounts, and a unique clash leaves everything as it was', async () => {
    const one = await learner();
    const two = await learner();
    const p1 = (await req(one.session, 'GET', '/api/me/person')).json().person.id;
    const p2 = (await req(two.session, 'GET', '/api/me/person')).json().person.id;
    const both = await req(pmo, 'POST', '/api/people/merge', { survivorId: p1, mergedId: p2 });
    expect(both.statusCode).toBe(409);
    expect(errorOf(both).reason).toBe('MERGE_BOTH_LINKED');

    await t.db.execute(sql`create table test_person_once (
      person_id uuid not null references persons(id), slot int not null, unique (person_id, slot))`);
    const a = await staffRecord({ name: '衝突甲' });
    const b = await staffRecord({ name: '衝突乙' });
    await t.db.execute(sql`insert into test_person_once values (${a.id}, 1), (${b.id}, 1)`);
    const clash = await req(pmo, 'POST', '/api/people/merge', { survivorId: a.id, mergedId: b.id });
    expect(clash.statusCode).toBe(409);
    expect(errorOf(clash)).toMatchObject({ reason: 'MERGE_CONFLICT', params: { table: 'test_person_once' } });
    expect((await personRow(b.id)).mergedIntoId).toBeNull();
    expect(await t.auditRows({ action: 'person.merge', targetId: a.id })).toEqual([]);
  });
});
