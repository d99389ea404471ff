import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq, like, or } from 'drizzle-orm';
import { signInThrottles } from '../../db/schema/index.ts';
import { totpNow } from '../../lib/totp.ts';
import {
  createTestApp,
  errorOf,
  freshIp,
  signInViaApi,
  TEST_PASSWORD,
  uniqueEmail,
  type TestApp,
  type TestSession,
} from '../../../test/helpers.ts';

// Issue #8 item 6: sign-in throttling must not be a tool to lock other people out (decision 021).
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());
afterEach(() => t.clock.reset());

const SECOND = 1000;
const withPassword = (o: Parameters<TestApp['createAccount']>[0] = {}) =>
  t.createAccount({ roles: ['learner'], password: TEST_PASSWORD, ...o });
const wrong = (email: string, ip: string, i = 0) => signInViaApi(t, email, `Wrong-Password-${i}`, ip);
const throttleRows = (email: string) =>
  t.db
    .select()
    .from(signInThrottles)
    .where(or(eq(signInThrottles.key, `account:${email}`), like(signInThrottles.key, `%|account:${email}`)));

/** Turns MFA on for an account (signed in through the API, enrolled with a TOTP code). */
async function enrolMfa(email: string): Promise<string> {
  const { session } = await signInViaApi(t, email, TEST_PASSWORD);
  const post = (url: string, payload: unknown, s: TestSession) =>
    t.as(s, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
  const start = await post('/api/auth/mfa/enrolment', undefined, session!);
  const { secret } = start.json() as { secret: string };
  const confirm = await post(
    '/api/auth/mfa/enrolment/confirm',
    { code: totpNow(secret, t.clock.now()) },
    session!,
  );
  expect(confirm.statusCode).toBe(200);
  return secret;
}

describe('sign-in throttling per account', () => {
  it('five wrong passwords by someone else do not lock the owner out: after a short back-off the correct password works', async () => {
    const owner = await withPassword();
    const attacker = freshIp();
    for (let i = 0; i < 5; i++) expect((await wrong(owner.email, attacker, i)).res.statusCode).toBe(401);

    // Straight after, the account is backing off (said so, with when to try again)…
    const now = await signInViaApi(t, owner.email, TEST_PASSWORD, freshIp());
    expect(now.res.statusCode).toBe(429);
    const err = errorOf(now.res);
    expect(err).toMatchObject({ code: 'LIMIT_EXCEEDED', reason: 'ACCOUNT_THROTTLED' });
    expect(err.params?.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.params?.retryAfterSeconds).toBeLessThanOrEqual(15);
    expect(err.params?.until).toEqual(expect.any(String));

    // …but once it has passed, the owner's correct password works (no 15-minute lock).
    t.clock.advance(16 * SECOND);
    const later = await signInViaApi(t, owner.email, TEST_PASSWORD, freshIp());
    expect(later.res.statusCode).toBe(200);
    expect(later.stage).toBe('signed_in');
  });

  it('each further wrong password doubles the back-off, up to the window (15 min)', async () => {
    const a = await withPassword();
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await wrong(a.email, ip, i);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const refused = await wrong(a.email, ip, 9);
      expect(errorOf(refused.res).reason).toBe('ACCOUNT_THROTTLED');
      const wait = errorOf(refused.res).params!.retryAfterSeconds as number;
      waits.push(wait);
      t.clock.advance(wait * SECOND + 1);
      expect((await wrong(a.email, ip, i)).res.statusCode).toBe(401); // checked again, and wrong
    }
    expect(waits).toEqual([15, 30, 60, 120, 240, 480, 900, 900]);
  });

  it('with MFA on, the correct password still reaches the second factor while the account backs off', async () => {
    const owner = await withPassword();
    await enrolMfa(owner.email);
    const attacker = freshIp();
    for (let i = 0; i < 8; i++) await wrong(owner.email, attacker, i);
    // A wrong password is refused as throttled…
    const again = await wrong(owner.email, attacker, 99);
    expect(errorOf(again.res).reason).toBe('ACCOUNT_THROTTLED');
    // …while the owner's correct password leads to the MFA step at once.
    const mine = await signInViaApi(t, owner.email, TEST_PASSWORD, freshIp());
    expect(mine.res.statusCode).toBe(200);
    expect(mine.stage).toBe('mfa_required');
  });

  it('mistakes on one account from an address do not lock another account from that address', async () => {
    const shared = freshIp(); // e.g. everyone behind one proxy
    const a = await withPassword();
    const b = await withPassword();
    for (let i = 0; i < 6; i++) await wrong(a.email, shared, i);
    const other = await signInViaApi(t, b.email, TEST_PASSWORD, shared);
    expect(other.res.statusCode).toBe(200);
    // And the one that was mistyped says it is the account that is backing off, not the address.
    expect(errorOf((await wrong(a.email, shared)).res).reason).toBe('ACCOUNT_THROTTLED');
  });

  it("a success clears the account's counter and that address's counter for that account only", async () => {
    const ip = freshIp();
    const a = await withPassword();
    for (let i = 0; i < 4; i++) await wrong(a.email, ip, i);
    for (let i = 0; i < 3; i++) await wrong(uniqueEmail('other'), ip, i);
    const [before] = await t.db
      .select()
      .from(signInThrottles)
      .where(eq(signInThrottles.key, `ip:${ip}`));
    expect(before!.failures).toBe(7);

    expect((await signInViaApi(t, a.email, TEST_PASSWORD, ip)).res.statusCode).toBe(200);
    expect(await throttleRows(a.email)).toEqual([]);
    // The address keeps the failures it made on other accounts: signing in to one's own account
    // does not wipe the record of guessing at others.
    const [after] = await t.db
      .select()
      .from(signInThrottles)
      .where(eq(signInThrottles.key, `ip:${ip}`));
    expect(after!.failures).toBe(3);
  });
});

describe('sign-in throttling per address', () => {
  it('allows 100 failures in 15 minutes from one address, then backs off (said to be the address)', async () => {
    const ip = freshIp();
    for (let i = 0; i < 100; i++) {
      const r = await signInViaApi(t, uniqueEmail(`probe${i}`), 'Wrong-Password-1', ip);
      expect(r.res.statusCode).toBe(401);
    }
    const owner = await withPassword();
    const refused = await signInViaApi(t, owner.email, TEST_PASSWORD, ip);
    expect(refused.res.statusCode).toBe(429);
    expect(errorOf(refused.res)).toMatchObject({ code: 'LIMIT_EXCEEDED', reason: 'ADDRESS_THROTTLED' });
    const first = errorOf(refused.res).params!.retryAfterSeconds as number;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(5);

    // A back-off, not a lock: after the wait one more try is judged; another failure doubles it.
    t.clock.advance(first * SECOND + 1);
    expect((await signInViaApi(t, uniqueEmail('probe'), 'Wrong-Password-1', ip)).res.statusCode).toBe(401);
    const second = errorOf((await signInViaApi(t, owner.email, TEST_PASSWORD, ip)).res);
    expect(second.reason).toBe('ADDRESS_THROTTLED');
    expect(second.params!.retryAfterSeconds).toBe(first * 2);

    // Other addresses are not concerned.
    expect((await signInViaApi(t, owner.email, TEST_PASSWORD, freshIp())).res.statusCode).toBe(200);
  });
});

describe('administrator unlock', () => {
  it("an administrator clears an account's sign-in back-off; audited", async () => {
    const admin = await t.createAccount({ roles: ['admin'] });
    const as = await t.signInAs(admin);
    const owner = await withPassword();
    const attacker = freshIp();
    for (let i = 0; i < 10; i++) await wrong(owner.email, attacker, i);
    expect(errorOf((await signInViaApi(t, owner.email, TEST_PASSWORD)).res).reason).toBe('ACCOUNT_THROTTLED');

    const res = await t.as(as, { method: 'POST', url: `/api/accounts/${owner.id}/sign-in-unlock` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(await throttleRows(owner.email)).toEqual([]);
    expect((await signInViaApi(t, owner.email, TEST_PASSWORD)).res.statusCode).toBe(200);

    const [audit] = await t.auditRows({ action: 'account.sign_in_unlocked', targetId: owner.id });
    expect(audit).toMatchObject({ actorAccountId: admin.id, targetType: 'account' });

    const missing = await t.as(as, {
      method: 'POST',
      url: '/api/accounts/01930000-0000-7000-8000-000000000000/sign-in-unlock',
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('proxy warning', () => {
  it('logs one warning when X-Forwarded-For arrives while TRUST_PROXY is off', async () => {
    const warn = vi.spyOn(t.app.log, 'warn');
    try {
      for (let i = 0; i < 3; i++) {
        await t.as(null, {
          method: 'GET',
          url: '/api/health',
          headers: { 'x-forwarded-for': '203.0.113.7' },
        });
      }
      const proxyWarnings = warn.mock.calls.filter((c) => JSON.stringify(c).includes('TRUST_PROXY'));
      expect(proxyWarnings).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('does not warn when TRUST_PROXY is on', async () => {
    const trusted = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const warn = vi.spyOn(trusted.app.log, 'warn');
      await trusted.as(null, {
        method: 'GET',
        url: '/api/health',
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      expect(warn.mock.calls.filter((c) => JSON.stringify(c).includes('TRUST_PROXY'))).toEqual([]);
      warn.mockRestore();
    } finally {
      await trusted.close();
    }
  });
});
