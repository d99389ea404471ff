import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { accounts, grants } from '../../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import {
  createTestApp,
  errorOf,
  signInViaApi,
  tokenFromMail,
  uniqueEmail,
  type TestAccount,
  type TestApp,
  type TestSession,
} from '../../../test/helpers.ts';

let t: TestApp;
let admin: TestAccount;
let s: TestSession;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAccount({ roles: ['admin'] });
  s = await t.signInAs(admin);
});
afterAll(async () => t?.close());

const req = (method: string, url: string, payload?: unknown) =>
  t.as(s, { method, url, ...(payload === undefined ? {} : { payload }) });

describe('accounts', () => {
  it('creates an account and e-mails an invitation that sets the password and proves the e-mail', async () => {
    const email = uniqueEmail('Invitee');
    const res = await req('POST', '/api/accounts', { email, displayName: '林美玲', locale: 'en' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      email: email.toLowerCase(),
      displayName: '林美玲',
      status: 'active',
      emailVerified: false,
      mfaEnabled: false,
      roles: [],
      grants: [],
      locale: 'en',
    });
    const [audit] = await t.auditRows({ action: 'account.create', targetId: created.id });
    expect(audit).toMatchObject({ actorAccountId: admin.id, grantId: admin.grants[0]!.id });
    expect(audit!.after).toEqual({ email: 'i***@example.com', displayName: '林○玲', locale: 'en' });

    const [mail] = await t.outboxRows(email);
    expect(mail).toMatchObject({ template: 'invitation', locale: 'en' });
    const token = await tokenFromMail(t, email, '/reset-password');
    const set = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password/reset',
      payload: { token, password: 'Invited-Password-1' },
    });
    expect(set.statusCode).toBe(200);
    const signedIn = await signInViaApi(t, email, 'Invited-Password-1');
    expect(signedIn.stage).toBe('signed_in');
    expect((await req('GET', `/api/accounts/${created.id}`)).json().emailVerified).toBe(true);
  });

  it('names the bad fields and refuses a taken e-mail', async () => {
    const bad = await req('POST', '/api/accounts', { email: 'x', displayName: ' ' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'email', issue: 'invalid_format' }),
        expect.objectContaining({ field: 'displayName', issue: 'too_small' }),
      ]),
    );
    const taken = await req('POST', '/api/accounts', { email: admin.email.toUpperCase(), displayName: 'x' });
    expect(taken.statusCode).toBe(400);
    expect(errorOf(taken)).toMatchObject({
      reason: 'EMAIL_TAKEN',
      fields: [{ field: 'email', issue: 'taken' }],
    });
  });

  it('gets an account with its grants; an unknown id is not found, a malformed one names the param', async () => {
    const agency = await t.createAgency({ name: '勞動部勞動力發展署' });
    const a = await t.createAccount({
      grants: [{ role: 'agency', scopeId: agency.id, function: 'training' }],
    });
    const res = await req('GET', `/api/accounts/${a.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: a.id,
      roles: ['agency'],
      grants: [
        {
          role: 'agency',
          scopeKind: 'agency',
          scopeId: agency.id,
          scopeLabel: '勞動部勞動力發展署',
          function: 'training',
        },
      ],
    });
    const missing = await req('GET', '/api/accounts/01930000-0000-7000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
    const bad = await req('GET', '/api/accounts/nope');
    expect(errorOf(bad).fields).toEqual([
      expect.objectContaining({ field: 'params.id', issue: 'invalid_format' }),
    ]);
  });

  it('updates an account, audited with before and after; disabling ends its sessions', async () => {
    const a = await t.createAccount({ roles: ['learner'], displayName: '張三豐' });
    const theirs = await t.signInAs(a);
    const res = await req('PATCH', `/api/accounts/${a.id}`, { displayName: '張無忌', status: 'disabled' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ displayName: '張無忌', status: 'disabled' });
    const [audit] = await t.auditRows({ action: 'account.update', targetId: a.id });
    expect(audit!.before).toEqual({ displayName: '張○豐', status: 'active' });
    expect(audit!.after).toEqual({ displayName: '張○忌', status: 'disabled' });
    expect((await t.as(theirs, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);

    const bad = await req('PATCH', `/api/accounts/${a.id}`, { status: 'deleted' });
    expect(errorOf(bad).fields).toEqual([
      expect.objectContaining({ field: 'status', issue: 'invalid_value' }),
    ]);
    const self = await req('PATCH', `/api/accounts/${admin.id}`, { status: 'disabled' });
    expect(self.statusCode).toBe(412);
    expect(errorOf(self).reason).toBe('LAST_ADMIN');
    const missing = await req('PATCH', '/api/accounts/01930000-0000-7000-8000-000000000000', {
      displayName: 'x',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('lists with filters and keyset paging', async () => {
    const tag = `zz${Date.now().toString(36)}`;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await t.createAccount({
        roles: i < 3 ? ['expert'] : ['learner'],
        displayName: `${tag} 專家 ${i}`,
        status: i === 4 ? 'disabled' : 'active',
      });
      made.push(a.id);
    }
    const all = await req('GET', `/api/accounts?q=${encodeURIComponent(tag.toUpperCase())}&limit=2`);
    expect(all.statusCode).toBe(200);
    const p1 = all.json();
    expect(p1).toMatchObject({ total: 5, totalCapped: false });
    expect(p1.items).toHaveLength(2);
    const seen = [...p1.items.map((i: { id: string }) => i.id)];
    let cursor = p1.nextCursor as string | null;
    while (cursor) {
      const page = (await req('GET', `/api/accounts?q=${tag}&limit=2&cursor=${cursor}`)).json();
      seen.push(...page.items.map((i: { id: string }) => i.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...made].reverse()); // newest first, each once

    const experts = (await req('GET', `/api/accounts?q=${tag}&role=expert`)).json();
    expect(experts.items.map((i: { id: string }) => i.id).sort()).toEqual(made.slice(0, 3).sort());
    expect(experts.items[0].roles).toEqual(['expert']);
    const disabled = (await req('GET', `/api/accounts?q=${tag}&status=disabled`)).json();
    expect(disabled.items.map((i: { id: string }) => i.id)).toEqual([made[4]]);
    // LIKE wildcards in the search are literal.
    expect((await req('GET', `/api/accounts?q=${tag}%25`)).json().total).toBe(0);

    const bad = await req('GET', '/api/accounts?limit=0&role=king');
    expect(bad.statusCode).toBe(400);
    expect(
      errorOf(bad)
        .fields!.map((f) => f.field)
        .sort(),
    ).toEqual(['querystring.limit', 'querystring.role']);
    const badCursor = await req('GET', '/api/accounts?cursor=garbage');
    expect(errorOf(badCursor).fields).toEqual([{ field: 'cursor', issue: 'invalid_format' }]);
  });
});

describe('grants', () => {
  it('adds a grant, audited, and it takes effect on the next request', async () => {
    const a = await t.createAccount({});
    const theirs = await t.signInAs(a);
    expect((await t.as(theirs, { method: 'GET', url: '/api/agencies' })).statusCode).toBe(403);
    const agency = await t.createAgency();
    const res = await req('POST', `/api/accounts/${a.id}/grants`, {
      role: 'agency',
      scopeKind: 'agency',
      scopeId: agency.id,
      function: 'testing',
    });
    // Agency staff read personal data: a second administrator approves (decision 020).
    expect(res.statusCode).toBe(202);
    const second = await t.signInAs(await t.createAccount({ roles: ['admin'] }));
    const approved = await t.as(second, {
      method: 'POST',
      url: `/api/grant-requests/${res.json().id}/approve`,
    });
    expect(approved.statusCode).toBe(200);
    const grant = approved.json();
    expect(grant).toMatchObject({
      role: 'agency',
      scopeKind: 'agency',
      scopeId: agency.id,
      function: 'testing',
    });
    const [audit] = await t.auditRows({ action: 'grant.create', targetId: a.id });
    expect(audit!.after).toMatchObject({ grantId: grant.id, role: 'agency', scopeId: agency.id });
    expect((await t.as(theirs, { method: 'GET', url: '/api/agencies' })).statusCode).toBe(200);

    const dup = await req('POST', `/api/accounts/${a.id}/grants`, {
      role: 'agency',
      scopeKind: 'agency',
      scopeId: agency.id,
      function: 'testing',
    });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).reason).toBe('GRANT_EXISTS');
  });

  it('validates role against scope, and the scope itself', async () => {
    const a = await t.createAccount({});
    const wrongScope = await req('POST', `/api/accounts/${a.id}/grants`, {
      role: 'learner',
      scopeKind: 'global',
    });
    expect(wrongScope.statusCode).toBe(400);
    expect(errorOf(wrongScope).fields).toEqual([
      { field: 'scopeKind', issue: 'not_allowed_for_role', params: { role: 'learner', allowed: ['self'] } },
    ]);
    const noScope = await req('POST', `/api/accounts/${a.id}/grants`, {
      role: 'agency',
      scopeKind: 'agency',
    });
    expect(errorOf(noScope).fields).toEqual([{ field: 'scopeId', issue: 'required' }]);
    const unknownAgency = await req('POST', `/api/accounts/${a.id}/grants`, {
      role: 'agency',
      scopeKind: 'agency',
      scopeId: '01930000-0000-7000-8000-000000000000',
    });
    expect(errorOf(unknownAgency).fields).toEqual([{ field: 'scopeId', issue: 'not_found' }]);
    const badRole = await req('POST', `/api/accounts/${a.id}/grants`, { role: 'king', scopeKind: 'self' });
    expect(errorOf(badRole).fields).toEqual([
      expect.objectContaining({ field: 'role', issue: 'invalid_value' }),
    ]);
    const noAccount = await req('POST', '/api/accounts/01930000-0000-7000-8000-000000000000/grants', {
      role: 'learner',
      scopeKind: 'self',
    });
    expect(noAccount.statusCode).toBe(404);
    // A global grant ignores a stray scope id.
    const pmo = await req('POST', `/api/accounts/${a.id}/grants`, {
      role: 'pmo',
      scopeKind: 'global',
      scopeId: '01930000-0000-7000-8000-000000000000',
    });
    expect(pmo.json()).toMatchObject({ role: 'pmo', scopeId: null });
  });

  it('revokes a grant, audited, taking effect at once', async () => {
    const a = await t.createAccount({ roles: ['pmo'] });
    const theirs = await t.signInAs(a);
    expect((await t.as(theirs, { method: 'GET', url: '/api/audit' })).statusCode).toBe(200);
    const res = await req('DELETE', `/api/accounts/${a.id}/grants/${a.grants[0]!.id}`);
    expect(res.statusCode).toBe(200);
    const [audit] = await t.auditRows({ action: 'grant.revoke', targetId: a.id });
    expect(audit!.before).toMatchObject({ grantId: a.grants[0]!.id, role: 'pmo' });
    expect((await t.as(theirs, { method: 'GET', url: '/api/audit' })).statusCode).toBe(403);
    const again = await req('DELETE', `/api/accounts/${a.id}/grants/${a.grants[0]!.id}`);
    expect(again.statusCode).toBe(404);
    // A grant of another account is not found through this one.
    const b = await t.createAccount({ roles: ['learner'] });
    expect((await req('DELETE', `/api/accounts/${a.id}/grants/${b.grants[0]!.id}`)).statusCode).toBe(404);
    const bad = await req('DELETE', `/api/accounts/${a.id}/grants/x`);
    expect(errorOf(bad).fields).toEqual([expect.objectContaining({ field: 'params.grantId' })]);
  });
});

describe('agencies', () => {
  it('creates and lists agencies, audited; the code is unique', async () => {
    const code = `AG-${Date.now().toString(36).toUpperCase()}`;
    const res = await req('POST', '/api/agencies', {
      code,
      name: { 'zh-TW': '經濟部產業發展署', en: 'IDA' },
    });
    expect(res.statusCode).toBe(201);
    const agency = res.json();
    expect(agency).toMatchObject({ code, name: { 'zh-TW': '經濟部產業發展署', en: 'IDA' } });
    expect(await t.auditRows({ action: 'agency.create', targetId: agency.id })).toHaveLength(1);
    const list = await req('GET', '/api/agencies');
    expect(list.json().map((a: { id: string }) => a.id)).toContain(agency.id);

    const dup = await req('POST', '/api/agencies', { code, name: { 'zh-TW': '重複' } });
    expect(dup.statusCode).toBe(400);
    expect(errorOf(dup).fields).toEqual([{ field: 'code', issue: 'taken' }]);
    const bad = await req('POST', '/api/agencies', { code: 'lower case', name: { en: 'x' } });
    expect(
      errorOf(bad)
        .fields!.map((f) => f.field)
        .sort(),
    ).toEqual(['code', 'name.zh-TW']);
  });
});

describe('the last administrator', () => {
  it('cannot be removed, even by two administrators revoking each other at once', async () => {
    // Only two active admins in this database for this test.
    const a = await t.createAccount({ roles: ['admin'] });
    const b = await t.createAccount({ roles: ['admin'] });
    const others = await t.db
      .select({ accountId: grants.accountId })
      .from(grants)
      .where(and(eq(grants.role, 'admin'), isNull(grants.revokedAt)));
    const keep = new Set([a.id, b.id]);
    for (const o of others) {
      if (!keep.has(o.accountId))
        await t.db.update(accounts).set({ status: 'disabled' }).where(eq(accounts.id, o.accountId));
    }
    const sa = await t.signInAs(a);
    const sb = await t.signInAs(b);
    const [ra, rb] = await Promise.all([
      t.as(sa, { method: 'DELETE', url: `/api/accounts/${b.id}/grants/${b.grants[0]!.id}` }),
      t.as(sb, { method: 'DELETE', url: `/api/accounts/${a.id}/grants/${a.grants[0]!.id}` }),
    ]);
    // One wins. The other is refused: 412 LAST_ADMIN when both ran at once, or 403 when the
    // machine was slow enough that it was authorised only after the winner had revoked it.
    const [winner, loser] = ra.statusCode === 200 ? [ra, rb] : [rb, ra];
    expect(winner.statusCode).toBe(200);
    expect([403, 412]).toContain(loser.statusCode);
    if (loser.statusCode === 412) expect(errorOf(loser).reason).toBe('LAST_ADMIN');
    const active = await t.db
      .select({ id: grants.id })
      .from(grants)
      .innerJoin(accounts, eq(accounts.id, grants.accountId))
      .where(and(eq(grants.role, 'admin'), isNull(grants.revokedAt), ne(accounts.status, 'disabled')));
    expect(active).toHaveLength(1);

    // And the survivor cannot revoke their own last grant.
    const survivor = ra.statusCode === 200 ? { s: sa, acc: a } : { s: sb, acc: b };
    const last = await t.as(survivor.s, {
      method: 'DELETE',
      url: `/api/accounts/${survivor.acc.id}/grants/${survivor.acc.grants[0]!.id}`,
    });
    expect(last.statusCode).toBe(412);
    expect(errorOf(last).reason).toBe('LAST_ADMIN');
  });
});

describe('grants that need a second administrator (issue #8)', () => {
  let first: TestSession;
  let second: TestSession;
  beforeAll(async () => {
    first = await t.signInAs(await t.createAccount({ roles: ['admin'] }));
    second = await t.signInAs(await t.createAccount({ roles: ['admin'] }));
  });
  const as = (session: TestSession, method: string, url: string, payload?: unknown) =>
    t.as(session, { method, url, ...(payload === undefined ? {} : { payload }) });
  const rolesOf = async (session: TestSession) =>
    ((await as(session, 'GET', '/api/auth/me')).json().grants as { role: string }[]).map((g) => g.role);

  it('an administrator granting itself pmo gets a pending request, effective only once a second administrator approves', async () => {
    const self = await t.createAccount({ roles: ['admin'] });
    const mine = await t.signInAs(self);
    const res = await as(mine, 'POST', `/api/accounts/${self.id}/grants`, {
      role: 'pmo',
      scopeKind: 'global',
    });
    expect(res.statusCode).toBe(202);
    const request = res.json();
    expect(request).toMatchObject({
      accountId: self.id,
      role: 'pmo',
      status: 'pending',
      requestedBy: self.id,
      accountEmail: self.email,
    });
    expect(await rolesOf(mine)).toEqual(['admin']);
    expect((await as(mine, 'GET', '/api/audit?limit=1')).statusCode).toBe(200); // admin may, as before
    const [requested] = await t.auditRows({ action: 'grant.request', targetId: self.id });
    expect(requested).toMatchObject({ actorAccountId: self.id });
    expect(requested!.after).toMatchObject({ requestId: request.id, role: 'pmo' });
    expect(await t.auditRows({ action: 'grant.create', targetId: self.id })).toEqual([]);

    const listed = (await as(second, 'GET', '/api/grant-requests')).json() as { id: string }[];
    expect(listed.map((r) => r.id)).toContain(request.id);

    const approved = await as(second, 'POST', `/api/grant-requests/${request.id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ role: 'pmo', scopeKind: 'global' });
    expect((await rolesOf(mine)).sort()).toEqual(['admin', 'pmo']);
    const [approval] = await t.auditRows({ action: 'grant.approve', targetId: self.id });
    expect(approval!.after).toMatchObject({ requestId: request.id, requestedBy: self.id, role: 'pmo' });
    expect(approval!.actorAccountId).not.toBe(self.id);
    expect(await t.auditRows({ action: 'grant.create', targetId: self.id })).toHaveLength(1);
    const again = await as(second, 'POST', `/api/grant-requests/${request.id}/approve`);
    expect(errorOf(again)).toMatchObject({ code: 'CONFLICT', reason: 'GRANT_REQUEST_DECIDED' });
    expect(
      (await as(second, 'GET', '/api/grant-requests')).json().map((r: { id: string }) => r.id),
    ).not.toContain(request.id);
  });

  it('the same administrator cannot approve its own request, nor can the account receiving it', async () => {
    const self = await t.createAccount({ roles: ['admin'] });
    const mine = await t.signInAs(self);
    const own = (
      await as(mine, 'POST', `/api/accounts/${self.id}/grants`, { role: 'expert', scopeKind: 'self' })
    ).json();
    expect(own.status).toBe('pending');
    const selfApproval = await as(mine, 'POST', `/api/grant-requests/${own.id}/approve`);
    expect(selfApproval.statusCode).toBe(403);
    expect(errorOf(selfApproval).reason).toBe('GRANT_SELF_APPROVAL');
    expect(await rolesOf(mine)).toEqual(['admin']);

    // Requested by one administrator for another: the receiving administrator cannot approve it either.
    const other = await t.createAccount({ roles: ['admin'] });
    const forOther = (
      await as(mine, 'POST', `/api/accounts/${other.id}/grants`, { role: 'pmo', scopeKind: 'global' })
    ).json();
    const byReceiver = await as(
      await t.signInAs(other),
      'POST',
      `/api/grant-requests/${forOther.id}/approve`,
    );
    expect(errorOf(byReceiver).reason).toBe('GRANT_SELF_APPROVAL');
    expect((await as(second, 'POST', `/api/grant-requests/${forOther.id}/approve`)).statusCode).toBe(200);
    // The same request twice is refused while one waits.
    const dup = await as(mine, 'POST', `/api/accounts/${self.id}/grants`, {
      role: 'expert',
      scopeKind: 'self',
    });
    expect(errorOf(dup).reason).toBe('GRANT_REQUEST_EXISTS');
  });

  it('a personal-data role for another account waits too; a rejection leaves it without effect, audited', async () => {
    const a = await t.createAccount({});
    const theirs = await t.signInAs(a);
    const agency = await t.createAgency();
    const res = await as(first, 'POST', `/api/accounts/${a.id}/grants`, {
      role: 'agency',
      scopeKind: 'agency',
      scopeId: agency.id,
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ role: 'agency', scopeId: agency.id, scopeLabel: expect.any(String) });
    expect((await as(theirs, 'GET', '/api/agencies')).statusCode).toBe(403);
    const rejected = await as(second, 'POST', `/api/grant-requests/${res.json().id}/reject`);
    expect(rejected.statusCode).toBe(200);
    expect((await as(theirs, 'GET', '/api/agencies')).statusCode).toBe(403);
    const [audit] = await t.auditRows({ action: 'grant.reject', targetId: a.id });
    expect(audit!.before).toMatchObject({ requestId: res.json().id, role: 'agency' });
    expect((await as(second, 'POST', `/api/grant-requests/${res.json().id}/approve`)).statusCode).toBe(409);
    expect((await as(second, 'POST', `/api/grant-requests/${newId()}/approve`)).statusCode).toBe(404);
  });

  it('a request for an account disabled (or anonymised) since is not approved', async () => {
    const a = await t.createAccount({});
    const pending = (
      await as(first, 'POST', `/api/accounts/${a.id}/grants`, { role: 'pmo', scopeKind: 'global' })
    ).json();
    expect((await as(first, 'PATCH', `/api/accounts/${a.id}`, { status: 'disabled' })).statusCode).toBe(200);
    const res = await as(second, 'POST', `/api/grant-requests/${pending.id}/approve`);
    expect(res.statusCode).toBe(412);
    expect(errorOf(res).reason).toBe('ACCOUNT_DISABLED');
    expect(await t.auditRows({ action: 'grant.approve', targetId: a.id })).toEqual([]);
  });

  it('grants of other roles to another account still take effect at once', async () => {
    const a = await t.createAccount({});
    const res = await as(first, 'POST', `/api/accounts/${a.id}/grants`, {
      role: 'expert',
      scopeKind: 'self',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ role: 'expert', scopeKind: 'self' });
  });
});
