import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accounts, authSessions } from '../../db/schema/index.ts';
import { totpNow } from '../../lib/totp.ts';
import {
  createTestApp,
  errorOf,
  freshIp,
  sessionCookieFrom,
  signInViaApi,
  SIGN_UP_CONSENTS,
  TEST_PASSWORD,
  tokenFromMail,
  uniqueEmail,
  type TestApp,
  type TestSession,
} from '../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());
afterEach(() => t.clock.reset());

const MIN = 60_000;
const post = (url: string, payload?: unknown, session: TestSession | null = null, ip?: string) =>
  t.as(session, { method: 'POST', url, ...(payload === undefined ? {} : { payload }), remoteAddress: ip });
const get = (url: string, session: TestSession | null = null) => t.as(session, { method: 'GET', url });

/** An account with a password, optionally holding roles; e-mail verified unless told otherwise. */
const withPassword = (o: Parameters<TestApp['createAccount']>[0] = {}) =>
  t.createAccount({ roles: ['learner'], password: TEST_PASSWORD, ...o });

describe('sign-up, e-mail verification and sign-in', () => {
  it('signs up, verifies through the e-mailed link, then signs in', async () => {
    const email = uniqueEmail('Alice');
    const up = await post('/api/auth/sign-up', {
      email,
      password: TEST_PASSWORD,
      displayName: '王小明',
      ...SIGN_UP_CONSENTS,
    });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toEqual({ ok: true });

    const [account] = await t.db
      .select({ id: accounts.id, email: accounts.email, hash: accounts.passwordHash })
      .from(accounts)
      .where(eq(accounts.email, email.toLowerCase()));
    expect(account!.hash).toMatch(/^\$argon2id\$/);

    // The audit row: e-mail masked, no password or hash anywhere.
    const [audit] = await t.auditRows({ action: 'account.sign_up', targetId: account!.id });
    expect(audit!.actorAccountId).toBe(account!.id);
    expect(audit!.after).toEqual({ email: 'a***@example.com', displayName: '王○明', locale: 'zh-TW' });
    expect(JSON.stringify(audit)).not.toContain(email.toLowerCase());
    expect(JSON.stringify(audit)).not.toContain('argon2');
    expect(JSON.stringify(audit)).not.toContain(TEST_PASSWORD);

    // Signing in before verifying is refused.
    const early = await signInViaApi(t, email, TEST_PASSWORD);
    expect(early.res.statusCode).toBe(412);
    expect(errorOf(early.res)).toMatchObject({
      code: 'PRECONDITION_FAILED',
      reason: 'EMAIL_NOT_VERIFIED',
    });

    const [mail] = await t.outboxRows(email);
    expect(mail!.template).toBe('verify_email');
    expect(mail!.params).not.toHaveProperty('url'); // the link carries the token; only the body keeps it
    const token = await tokenFromMail(t, email, '/verify-email');
    const verified = await post('/api/auth/verify-email', { token });
    expect(verified.statusCode).toBe(200);
    expect(await t.auditRows({ action: 'account.email_verified', targetId: account!.id })).toHaveLength(1);

    // The token is single-use.
    const again = await post('/api/auth/verify-email', { token });
    expect(again.statusCode).toBe(400);
    expect(errorOf(again)).toMatchObject({
      reason: 'TOKEN_INVALID',
      fields: [{ field: 'token', issue: 'invalid' }],
    });

    const signedIn = await signInViaApi(t, email, TEST_PASSWORD);
    expect(signedIn.res.statusCode).toBe(200);
    expect(signedIn.stage).toBe('signed_in');
    const me = await get('/api/auth/me', signedIn.session);
    expect(me.json()).toMatchObject({
      account: { email: email.toLowerCase(), emailVerified: true, mfaEnabled: false },
      stage: 'signed_in',
      grants: [{ role: 'learner', scopeKind: 'self' }],
    });
    expect((await t.auditRows({ action: 'auth.sign_in', targetId: account!.id })).length).toBe(1);
  });

  it('names the bad fields of a sign-up', async () => {
    const res = await post('/api/auth/sign-up', {
      email: 'not-an-email',
      password: 'short',
      displayName: '',
    });
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('VALIDATION');
    expect(error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'email', issue: 'invalid_format' }),
        { field: 'password', issue: 'too_small', params: { min: 12 } },
        expect.objectContaining({ field: 'displayName', issue: 'too_small' }),
      ]),
    );
    const missing = await post('/api/auth/sign-up', {
      password: TEST_PASSWORD,
      displayName: 'x',
      ...SIGN_UP_CONSENTS,
    });
    expect(errorOf(missing).fields).toEqual([{ field: 'email', issue: 'required' }]);
  });

  // A taken e-mail is answered like a new one (no oracle): account-oracle.test.ts.
  it('resends the verification mail only to unverified accounts, answering the same either way', async () => {
    const unverified = await t.createAccount({ verified: false });
    const verified = await t.createAccount();
    for (const email of [unverified.email, verified.email, uniqueEmail('ghost')]) {
      const res = await post('/api/auth/resend-verification', { email });
      expect(res.statusCode).toBe(200);
    }
    expect((await t.outboxRows(unverified.email)).map((m) => m.template)).toEqual(['verify_email']);
    expect(await t.outboxRows(verified.email)).toEqual([]);
    const bad = await post('/api/auth/resend-verification', { email: 'nope' });
    expect(errorOf(bad).fields).toEqual([expect.objectContaining({ field: 'email' })]);
  });

  it('verify-email: names the token field', async () => {
    const res = await post('/api/auth/verify-email', { token: 'short' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toEqual([{ field: 'token', issue: 'too_small', params: { min: 20 } }]);
  });

  it('refuses a wrong password and an unknown e-mail alike, and a disabled account', async () => {
    const a = await withPassword();
    const wrong = await signInViaApi(t, a.email, 'Wrong-Password-123');
    const unknown = await signInViaApi(t, uniqueEmail('ghost'), TEST_PASSWORD);
    for (const r of [wrong, unknown]) {
      expect(r.res.statusCode).toBe(401);
      expect(errorOf(r.res)).toMatchObject({ code: 'UNAUTHORIZED', reason: 'INVALID_CREDENTIALS' });
    }
    const failed = await t.auditRows({ action: 'auth.sign_in_failed', targetId: a.id });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.after).toEqual({ email: `${a.email[0]}***@example.com` });

    const off = await withPassword({ status: 'disabled' });
    const r = await signInViaApi(t, off.email, TEST_PASSWORD);
    expect(r.res.statusCode).toBe(403);
    expect(errorOf(r.res).reason).toBe('ACCOUNT_DISABLED');

    const bad = await post('/api/auth/sign-in', { email: a.email, password: '' });
    expect(errorOf(bad).fields).toEqual([{ field: 'password', issue: 'too_small', params: { min: 1 } }]);
  });

  // Throttling (per account, per address, back-off, unlock): sign-in-throttle.test.ts.
  it('takes the back-off limits from the auth.signInLockout setting', async () => {
    const admin = await t.createAccount({ roles: ['admin'] });
    const s = await t.signInAs(admin);
    const put = await t.as(s, {
      method: 'PUT',
      url: '/api/settings/auth.signInLockout',
      payload: { value: { maxFailures: 2, lockMinutes: 1 } },
    });
    expect(put.statusCode).toBe(200);
    try {
      const a = await withPassword();
      for (let i = 0; i < 2; i++) await signInViaApi(t, a.email, 'Wrong-Password-x', freshIp());
      const third = await signInViaApi(t, a.email, TEST_PASSWORD, freshIp());
      expect(errorOf(third.res).reason).toBe('ACCOUNT_THROTTLED');
      t.clock.advance(2 * MIN);
      expect((await signInViaApi(t, a.email, TEST_PASSWORD, freshIp())).res.statusCode).toBe(200);
    } finally {
      await t.as(s, {
        method: 'PUT',
        url: '/api/settings/auth.signInLockout',
        payload: { value: { maxFailures: 5, lockMinutes: 15 } },
      });
    }
  });

  it('a new sign-in on a browser that holds a session replaces that session', async () => {
    const a = await withPassword();
    const first = await signInViaApi(t, a.email, TEST_PASSWORD);
    const res = await t.as(first.session, {
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: a.email, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(sessionCookieFrom(res)).not.toBe(first.session!.cookie);
    expect((await get('/api/auth/me', first.session)).statusCode).toBe(401);
  });
});

describe('CSRF and origin checks', () => {
  it('refuses a POST riding a session cookie without the CSRF token, or with a wrong one', async () => {
    const a = await t.createAccount({ roles: ['learner'] });
    const s = await t.signInAs(a);
    for (const headers of [{ cookie: s.cookie }, { cookie: s.cookie, 'x-csrf-token': 'wrong' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers });
      expect(res.statusCode).toBe(403);
      expect(errorOf(res)).toMatchObject({ code: 'FORBIDDEN', reason: 'CSRF_INVALID' });
    }
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie: s.cookie },
      payload: { displayName: 'x' },
    });
    expect(errorOf(patch).reason).toBe('CSRF_INVALID');
    // The session survived: the refused sign-out did nothing.
    expect((await get('/api/auth/me', s)).statusCode).toBe(200);
    expect((await post('/api/auth/sign-out', undefined, s)).statusCode).toBe(200);
  });

  it('refuses a cross-origin POST, signed in or not, and accepts the public origin', async () => {
    const a = await t.createAccount({ roles: ['learner'] });
    const s = await t.signInAs(a);
    const evil = await t.as(s, {
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { origin: 'https://evil.example' },
      payload: { displayName: 'x' },
    });
    expect(evil.statusCode).toBe(403);
    expect(errorOf(evil).reason).toBe('CSRF_INVALID');
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password/forgot',
      headers: { origin: 'https://evil.example' },
      payload: { email: a.email },
    });
    expect(anon.statusCode).toBe(403);
    const same = await t.as(s, {
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { origin: 'http://localhost:3000' },
      payload: { displayName: '同源' },
    });
    expect(same.statusCode).toBe(200);
  });

  it('does not ask for a CSRF token on GET', async () => {
    const s = await t.signInAs(await t.createAccount({ roles: ['learner'] }));
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
  });
});

describe('session lifetime', () => {
  it('ends a session idle for longer than SESSION_IDLE_MINUTES, and keeps a busy one alive', async () => {
    const s = await t.signInAs(await t.createAccount({ roles: ['learner'] }));
    t.clock.advance(29 * MIN);
    expect((await get('/api/auth/me', s)).statusCode).toBe(200); // seen: the idle clock restarts
    t.clock.advance(29 * MIN);
    expect((await get('/api/auth/me', s)).statusCode).toBe(200);
    t.clock.advance(31 * MIN);
    const res = await get('/api/auth/me', s);
    expect(res.statusCode).toBe(401);
    expect(errorOf(res)).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SESSION_EXPIRED' });
  });

  it('answers a caller who may not call a route before validating its body', async () => {
    const res = await post('/api/accounts', { email: 'not-an-email' });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).reason).toBeUndefined();
  });

  it('ends any session after SESSION_ABSOLUTE_HOURS, however busy', async () => {
    const a = await withPassword();
    const { session } = await signInViaApi(t, a.email, TEST_PASSWORD);
    let elapsed = 0;
    while (elapsed + 25 * MIN < 12 * 60 * MIN) {
      t.clock.advance(25 * MIN);
      elapsed += 25 * MIN;
      expect((await get('/api/auth/me', session)).statusCode).toBe(200);
    }
    t.clock.advance(12 * 60 * MIN - elapsed + MIN);
    expect((await get('/api/auth/me', session)).statusCode).toBe(401);
  });

  it('ends the sessions of a disabled account', async () => {
    const a = await t.createAccount({ roles: ['learner'] });
    const s = await t.signInAs(a);
    await t.db.update(accounts).set({ status: 'disabled' }).where(eq(accounts.id, a.id));
    expect((await get('/api/auth/me', s)).statusCode).toBe(401);
  });
});

describe('sign-out and sessions', () => {
  it('signs out: the session is revoked, the cookie cleared, the event audited', async () => {
    const a = await t.createAccount({ roles: ['learner'] });
    const s = await t.signInAs(a);
    const res = await post('/api/auth/sign-out', undefined, s);
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'dtp_session')?.value).toBe('');
    expect((await get('/api/auth/me', s)).statusCode).toBe(401);
    const [audit] = await t.auditRows({ action: 'auth.sign_out', targetId: a.id });
    expect(audit!.actorAccountId).toBe(a.id);
  });

  it('lists my sessions and revokes another one', async () => {
    const a = await t.createAccount({ roles: ['learner'] });
    const s1 = await t.signInAs(a);
    const s2 = await t.signInAs(a);
    const list = await get('/api/auth/sessions', s1);
    expect(list.statusCode).toBe(200);
    const items = list.json() as { id: string; current: boolean }[];
    expect(items.map((i) => i.id).sort()).toEqual([s1.sessionId, s2.sessionId].sort());
    expect(items.find((i) => i.current)?.id).toBe(s1.sessionId);

    const del = await t.as(s1, { method: 'DELETE', url: `/api/auth/sessions/${s2.sessionId}` });
    expect(del.statusCode).toBe(200);
    expect((await get('/api/auth/me', s2)).statusCode).toBe(401);
    expect(await t.auditRows({ action: 'auth.session_revoked', targetId: s2.sessionId })).toHaveLength(1);

    // Someone else's session is not found.
    const other = await t.signInAs(await t.createAccount({ roles: ['learner'] }));
    const theirs = await t.as(s1, { method: 'DELETE', url: `/api/auth/sessions/${other.sessionId}` });
    expect(theirs.statusCode).toBe(404);
    expect((await get('/api/auth/me', other)).statusCode).toBe(200);

    const bad = await t.as(s1, { method: 'DELETE', url: '/api/auth/sessions/not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields).toEqual([expect.objectContaining({ field: 'params.id' })]);
  });
});

describe('my account', () => {
  it('updates my profile, audited with before and after', async () => {
    const a = await t.createAccount({ roles: ['learner'], displayName: '陳大文' });
    const s = await t.signInAs(a);
    const res = await t.as(s, {
      method: 'PATCH',
      url: '/api/auth/me',
      payload: { displayName: '陳小文', locale: 'en', calendar: 'gregorian' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().account).toMatchObject({ displayName: '陳小文', locale: 'en', calendar: 'gregorian' });
    const [audit] = await t.auditRows({ action: 'account.update_self', targetId: a.id });
    expect(audit!.before).toEqual({ displayName: '陳○文', locale: 'zh-TW', calendar: 'roc' });
    expect(audit!.after).toEqual({ displayName: '陳○文', locale: 'en', calendar: 'gregorian' });

    const bad = await t.as(s, { method: 'PATCH', url: '/api/auth/me', payload: { locale: 'fr' } });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields).toEqual([
      expect.objectContaining({ field: 'locale', issue: 'invalid_value' }),
    ]);
  });

  it('changes my password: other sessions end, this one stays, a mail tells me', async () => {
    const a = await withPassword();
    const { session } = await signInViaApi(t, a.email, TEST_PASSWORD);
    const other = await t.signInAs(a);
    const wrong = await post(
      '/api/auth/password/change',
      { currentPassword: 'Not-My-Password-1', newPassword: 'Brand-New-Password-1' },
      session,
    );
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong)).toMatchObject({
      reason: 'INVALID_CREDENTIALS',
      fields: [{ field: 'currentPassword', issue: 'invalid' }],
    });
    const short = await post(
      '/api/auth/password/change',
      { currentPassword: TEST_PASSWORD, newPassword: 'short' },
      session,
    );
    expect(errorOf(short).fields).toEqual([
      { field: 'newPassword', issue: 'too_small', params: { min: 12 } },
    ]);

    const ok = await post(
      '/api/auth/password/change',
      { currentPassword: TEST_PASSWORD, newPassword: 'Brand-New-Password-1' },
      session,
    );
    expect(ok.statusCode).toBe(200);
    expect((await get('/api/auth/me', session)).statusCode).toBe(200);
    expect((await get('/api/auth/me', other)).statusCode).toBe(401);
    expect(await t.auditRows({ action: 'account.password_changed', targetId: a.id })).toHaveLength(1);
    const mail = (await t.outboxRows(a.email)).find((m) => m.template === 'password_changed')!;
    // The account reads 民國 (the default): the time of the change in the ROC calendar, Taipei time,
    // not an ISO instant in UTC (issue #8 item 17).
    expect(mail.bodyText).toMatch(/於 民國\d{2,3}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 變更/);
    expect(mail.bodyText).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect((await signInViaApi(t, a.email, 'Brand-New-Password-1')).res.statusCode).toBe(200);
  });
});

describe('e-mails asked for without signing in', () => {
  it('sends at most three reset e-mails to an address in 15 minutes, answering the same every time', async () => {
    const a = await withPassword();
    for (let i = 0; i < 5; i++) {
      const res = await post('/api/auth/password/forgot', { email: a.email }, null, freshIp());
      expect(res.json()).toEqual({ ok: true });
    }
    expect(await t.outboxRows(a.email)).toHaveLength(3);
  });
});

describe('password reset', () => {
  it('resets through the e-mailed link: all sessions end, the token works once', async () => {
    const a = await withPassword();
    const s = await t.signInAs(a);
    const forgot = await post('/api/auth/password/forgot', { email: a.email.toUpperCase() });
    expect(forgot.statusCode).toBe(200);
    const token = await tokenFromMail(t, a.email, '/reset-password');

    const weak = await post('/api/auth/password/reset', { token, password: 'short' });
    expect(errorOf(weak).fields).toEqual([{ field: 'password', issue: 'too_small', params: { min: 12 } }]);

    const reset = await post('/api/auth/password/reset', { token, password: 'Reset-Password-2026' });
    expect(reset.statusCode).toBe(200);
    expect((await get('/api/auth/me', s)).statusCode).toBe(401);
    const [audit] = await t.auditRows({ action: 'account.password_reset', targetId: a.id });
    expect(audit!.actorAccountId).toBe(a.id);
    expect(JSON.stringify(audit)).not.toContain('Reset-Password-2026');

    const reuse = await post('/api/auth/password/reset', { token, password: 'Another-Password-2026' });
    expect(reuse.statusCode).toBe(400);
    expect(errorOf(reuse)).toMatchObject({
      reason: 'TOKEN_INVALID',
      fields: [{ field: 'token', issue: 'invalid' }],
    });

    expect((await signInViaApi(t, a.email, TEST_PASSWORD)).res.statusCode).toBe(401);
    expect((await signInViaApi(t, a.email, 'Reset-Password-2026')).res.statusCode).toBe(200);
  });

  it('answers the same for unknown e-mails and sends nothing', async () => {
    const ghost = uniqueEmail('ghost');
    expect((await post('/api/auth/password/forgot', { email: ghost })).statusCode).toBe(200);
    expect(await t.outboxRows(ghost)).toEqual([]);
    const bad = await post('/api/auth/password/forgot', {});
    expect(errorOf(bad).fields).toEqual([{ field: 'email', issue: 'required' }]);
  });

  it('refuses an expired reset token', async () => {
    const a = await withPassword();
    await post('/api/auth/password/forgot', { email: a.email });
    const token = await tokenFromMail(t, a.email, '/reset-password');
    t.clock.advance(61 * MIN);
    const res = await post('/api/auth/password/reset', { token, password: 'Reset-Password-2026' });
    expect(errorOf(res).reason).toBe('TOKEN_INVALID');
  });
});

describe('MFA', () => {
  /** Enrols the account of `session` and returns its secret and recovery codes. */
  async function enrol(session: TestSession) {
    const start = await post('/api/auth/mfa/enrolment', undefined, session);
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUrl, qrSvg } = start.json() as {
      secret: string;
      otpauthUrl: string;
      qrSvg: string;
    };
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrSvg).toContain('<svg');
    const confirm = await post(
      '/api/auth/mfa/enrolment/confirm',
      { code: totpNow(secret, t.clock.now()) },
      session,
    );
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json() as { recoveryCodes: string[] };
    return { secret, recoveryCodes };
  }
  /** The code of the next time step: each accepted code must be newer than the last. */
  const nextCode = (secret: string) => {
    t.clock.advance(30_000);
    return totpNow(secret, t.clock.now());
  };

  it('enrols, then sign-in asks for a code; a replayed code is refused', async () => {
    const a = await withPassword();
    const first = await signInViaApi(t, a.email, TEST_PASSWORD);
    const other = await t.signInAs(a);

    const started = await post('/api/auth/mfa/enrolment', undefined, first.session);
    const { secret } = started.json() as { secret: string };
    expect(await t.auditRows({ action: 'auth.mfa_enrolment_started', targetId: a.id })).toHaveLength(1);
    // Until confirmed, MFA is off: sign-in still needs no code.
    expect((await signInViaApi(t, a.email, TEST_PASSWORD)).stage).toBe('signed_in');
    const wrong = await post('/api/auth/mfa/enrolment/confirm', { code: '000000' }, first.session);
    if (totpNow(secret, t.clock.now()) !== '000000') {
      expect(wrong.statusCode).toBe(400);
      expect(errorOf(wrong)).toMatchObject({ reason: 'MFA_INVALID_CODE', fields: [{ field: 'code' }] });
    }
    const malformed = await post('/api/auth/mfa/enrolment/confirm', { code: '12' }, first.session);
    expect(errorOf(malformed).fields).toEqual([{ field: 'code', issue: 'too_small', params: { min: 6 } }]);

    const { secret: s2, recoveryCodes } = await enrol(first.session!);
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes[0]).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await t.auditRows({ action: 'auth.mfa_enabled', targetId: a.id })).toHaveLength(1);
    expect((await t.outboxRows(a.email)).map((m) => m.template)).toContain('mfa_enabled');
    // Sessions made without the second factor end; the enrolling one stays.
    expect((await get('/api/auth/me', other)).statusCode).toBe(401);
    expect((await get('/api/auth/me', first.session)).statusCode).toBe(200);
    // The secret is stored encrypted, never in clear.
    const [row] = await t.db
      .select({ enc: accounts.mfaSecretEnc, keyId: accounts.mfaKeyId })
      .from(accounts)
      .where(eq(accounts.id, a.id));
    expect(row!.enc).not.toContain(s2);
    expect(row!.keyId).toBe('k1');
    expect(JSON.stringify(await t.auditRows({ targetId: a.id }))).not.toContain(s2);

    const again = await post('/api/auth/mfa/enrolment', undefined, first.session);
    expect(errorOf(again).reason).toBe('MFA_ALREADY_ENABLED');

    const second = await signInViaApi(t, a.email, TEST_PASSWORD);
    expect(second.stage).toBe('mfa_required');
    // Only partial routes answer until the code is given.
    expect((await get('/api/auth/me', second.session)).json().stage).toBe('mfa_required');
    const blocked = await get('/api/auth/sessions', second.session);
    expect(blocked.statusCode).toBe(401);
    expect(errorOf(blocked).reason).toBe('MFA_REQUIRED');

    const code = nextCode(s2);
    const verify = await post('/api/auth/mfa/verify', { code }, second.session);
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toEqual({ stage: 'signed_in' });
    expect((await get('/api/auth/sessions', second.session)).statusCode).toBe(200);
    expect(await t.auditRows({ action: 'auth.mfa_verified', targetId: a.id })).toHaveLength(1);

    // The same code again, on a new sign-in, is refused.
    const third = await signInViaApi(t, a.email, TEST_PASSWORD);
    const replay = await post('/api/auth/mfa/verify', { code }, third.session);
    expect(replay.statusCode).toBe(401);
    expect(errorOf(replay)).toMatchObject({ reason: 'MFA_INVALID_CODE', fields: [{ field: 'code' }] });
    const fresh = await post('/api/auth/mfa/verify', { code: nextCode(s2) }, third.session);
    expect(fresh.statusCode).toBe(200);
  });

  it('locks the second factor after repeated wrong codes, so a code cannot be guessed', async () => {
    const a = await withPassword();
    const { session } = await signInViaApi(t, a.email, TEST_PASSWORD);
    const { secret } = await enrol(session!);
    const pending = await signInViaApi(t, a.email, TEST_PASSWORD);
    const wrongCode = (i: number) => `ZZZZ-ZZZZ-ZZZ${i}`;
    for (let i = 0; i < 5; i++) {
      const r = await post('/api/auth/mfa/verify', { code: wrongCode(i) }, pending.session);
      expect(errorOf(r).reason).toBe('MFA_INVALID_CODE');
    }
    expect(await t.auditRows({ action: 'auth.mfa_failed', targetId: a.id })).toHaveLength(5);
    // Even the right code is refused while locked, on this session or a new one.
    const locked = await post('/api/auth/mfa/verify', { code: nextCode(secret) }, pending.session);
    expect(locked.statusCode).toBe(429);
    expect(errorOf(locked)).toMatchObject({ code: 'LIMIT_EXCEEDED', reason: 'ACCOUNT_LOCKED' });
    t.clock.advance(16 * MIN);
    const later = await signInViaApi(t, a.email, TEST_PASSWORD);
    const ok = await post('/api/auth/mfa/verify', { code: nextCode(secret) }, later.session);
    expect(ok.json()).toEqual({ stage: 'signed_in' });
  });

  it('accepts one code once even when two sign-ins race with it', async () => {
    const a = await withPassword();
    const { session } = await signInViaApi(t, a.email, TEST_PASSWORD);
    const { secret } = await enrol(session!);
    const [p1, p2] = [
      await signInViaApi(t, a.email, TEST_PASSWORD),
      await signInViaApi(t, a.email, TEST_PASSWORD),
    ];
    const code = nextCode(secret);
    const results = await Promise.all([
      post('/api/auth/mfa/verify', { code }, p1.session),
      post('/api/auth/mfa/verify', { code }, p2.session),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('accepts a recovery code once', async () => {
    const a = await withPassword();
    const { session } = await signInViaApi(t, a.email, TEST_PASSWORD);
    const { recoveryCodes } = await enrol(session!);
    const code = recoveryCodes[3]!;

    const s1 = await signInViaApi(t, a.email, TEST_PASSWORD);
    const ok = await post('/api/auth/mfa/verify', { code: code.toLowerCase().replace(/-/g, '') }, s1.session);
    expect(ok.json()).toEqual({ stage: 'signed_in' });
    const [audit] = await t.auditRows({ action: 'auth.mfa_verified', targetId: a.id });
    expect(audit!.after).toEqual({ method: 'recovery' });

    const s2 = await signInViaApi(t, a.email, TEST_PASSWORD);
    const reuse = await post('/api/auth/mfa/verify', { code }, s2.session);
    expect(reuse.statusCode).toBe(401);
    expect(errorOf(reuse).reason).toBe('MFA_INVALID_CODE');
  });

  it('regenerates recovery codes (old ones stop working) and disables MFA with a code', async () => {
    const a = await withPassword();
    const { session } = await signInViaApi(t, a.email, TEST_PASSWORD);
    const { secret, recoveryCodes: old } = await enrol(session!);

    const regen = await post('/api/auth/mfa/recovery-codes', { code: nextCode(secret) }, session);
    expect(regen.statusCode).toBe(200);
    const fresh = (regen.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(old[0]);
    expect(await t.auditRows({ action: 'auth.recovery_codes_regenerated', targetId: a.id })).toHaveLength(1);
    const s1 = await signInViaApi(t, a.email, TEST_PASSWORD);
    expect((await post('/api/auth/mfa/verify', { code: old[0] }, s1.session)).statusCode).toBe(401);

    const badRegen = await post('/api/auth/mfa/recovery-codes', {}, session);
    expect(errorOf(badRegen).fields).toEqual([{ field: 'code', issue: 'required' }]);

    const wrong = await post('/api/auth/mfa/disable', { code: 'ZZZZ-ZZZZ-ZZZZ' }, session);
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong).reason).toBe('MFA_INVALID_CODE');
    const off = await post('/api/auth/mfa/disable', { code: fresh[0] }, session);
    expect(off.statusCode).toBe(200);
    expect(await t.auditRows({ action: 'auth.mfa_disabled', targetId: a.id })).toHaveLength(1);
    expect((await signInViaApi(t, a.email, TEST_PASSWORD)).stage).toBe('signed_in');
    const twice = await post('/api/auth/mfa/disable', { code: fresh[1] }, session);
    expect(errorOf(twice).reason).toBe('MFA_NOT_ENABLED');
  });

  it('requires enrolment for roles in auth.mfaRequiredRoles, blocking other routes until confirmed', async () => {
    const admin = await t.createAccount({ roles: ['admin'] });
    const as = await t.signInAs(admin);
    const put = await t.as(as, {
      method: 'PUT',
      url: '/api/settings/auth.mfaRequiredRoles',
      payload: { value: ['pmo'] },
    });
    expect(put.statusCode).toBe(200);
    try {
      const pmo = await withPassword({ roles: ['pmo'] });
      const { session, stage } = await signInViaApi(t, pmo.email, TEST_PASSWORD);
      expect(stage).toBe('mfa_enrolment_required');
      const me = await get('/api/auth/me', session);
      expect(me.json()).toMatchObject({ stage: 'mfa_enrolment_required', account: { mfaRequired: true } });
      for (const url of ['/api/auth/sessions', '/api/audit', '/api/agencies']) {
        const res = await get(url, session);
        expect(res.statusCode).toBe(401);
        expect(errorOf(res)).toMatchObject({ code: 'UNAUTHORIZED', reason: 'MFA_ENROLMENT_REQUIRED' });
      }
      const { secret } = await enrol(session!);
      expect((await get('/api/audit', session)).statusCode).toBe(200);
      // MFA cannot be switched off while a role requires it.
      const off = await post('/api/auth/mfa/disable', { code: nextCode(secret) }, session);
      expect(errorOf(off).reason).toBe('MFA_ENROLMENT_REQUIRED');
      expect((await signInViaApi(t, pmo.email, TEST_PASSWORD)).stage).toBe('mfa_required');

      // A learner is not concerned.
      const learner = await withPassword();
      expect((await signInViaApi(t, learner.email, TEST_PASSWORD)).stage).toBe('signed_in');
    } finally {
      await t.as(as, {
        method: 'PUT',
        url: '/api/settings/auth.mfaRequiredRoles',
        payload: { value: ['admin', 'pmo', 'agency'] },
      });
    }
  });

  it('by default (not demo) requires MFA of admin, pmo and agency staff', async () => {
    for (const role of ['admin', 'pmo', 'agency'] as const) {
      const a = await withPassword({ roles: [role] });
      expect((await signInViaApi(t, a.email, TEST_PASSWORD)).stage).toBe('mfa_enrolment_required');
    }
  });

  it('verify answers the current stage when no code is due', async () => {
    const s = await t.signInAs(await t.createAccount({ roles: ['learner'] }));
    const res = await post('/api/auth/mfa/verify', { code: '123456' }, s);
    expect(res.json()).toEqual({ stage: 'signed_in' });
    const bad = await post('/api/auth/mfa/verify', { code: '12 34 56' }, s);
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields).toEqual([
      { field: 'code', issue: 'invalid_format', params: { format: 'regex' } },
    ]);
    const missing = await post('/api/auth/mfa/disable', {}, s);
    expect(errorOf(missing).fields).toEqual([{ field: 'code', issue: 'required' }]);
  });
});

describe('session rows', () => {
  it('stores only the hash of the session token', async () => {
    const a = await withPassword();
    const { session } = await signInViaApi(t, a.email, TEST_PASSWORD);
    const rows = await t.db
      .select({ tokenHash: authSessions.tokenHash })
      .from(authSessions)
      .where(eq(authSessions.accountId, a.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toBe(session!.token);
  });
});
