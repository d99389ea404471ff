import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { accounts } from '../../db/schema/index.ts';
import { hashPassword } from '../../lib/passwords.ts';
import {
  createTestApp,
  SIGN_UP_CONSENTS,
  TEST_PASSWORD,
  uniqueEmail,
  type TestApp,
} from '../../../test/helpers.ts';

// Issue #8 item 18: answers to requests made without signing in must not tell which e-mails have accounts.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const post = (url: string, payload: unknown) => t.as(null, { method: 'POST', url, payload });
const signUp = (email: string) =>
  post('/api/auth/sign-up', { email, password: TEST_PASSWORD, displayName: '王小明', ...SIGN_UP_CONSENTS });

/** What a caller can see of an answer: status, body and the headers that do not vary per request. */
const visible = (r: LightMyRequestResponse) => ({
  status: r.statusCode,
  body: r.body,
  contentType: r.headers['content-type'],
  contentLength: r.headers['content-length'],
  setCookie: r.headers['set-cookie'],
});

async function timed(f: () => Promise<LightMyRequestResponse>) {
  const start = performance.now();
  const res = await f();
  return { res, ms: performance.now() - start };
}

describe('sign-up with an e-mail that already has an account', () => {
  it('answers exactly as for a new e-mail, creates nothing, and e-mails the owner instead', async () => {
    const owner = await t.createAccount({ roles: ['learner'], locale: 'en' });
    const fresh = await timed(() => signUp(uniqueEmail('new')));
    const taken = await timed(() => signUp(owner.email.toUpperCase()));
    expect(visible(taken.res)).toEqual(visible(fresh.res));
    expect(taken.res.statusCode).toBe(201);
    // Similar timing: the taken e-mail pays for hashing the password too (the slow part of a new
    // sign-up). Judged against the hash itself (median of three, taken between the requests), since
    // a busy machine makes any one request's time vary more than the rest of the work costs.
    const hashMs: number[] = [];
    const takenMs: number[] = [taken.ms];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await hashPassword(TEST_PASSWORD);
      hashMs.push(performance.now() - start);
      if (i < 2) takenMs.push((await timed(() => signUp(owner.email))).ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    expect(median(takenMs)).toBeGreaterThan(median(hashMs) * 0.5);

    // Still one account for that address, unchanged.
    const rows = await t.db.select().from(accounts).where(eq(accounts.email, owner.email));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.passwordHash).toBeNull();

    // The owner is told, in their language, with a way to sign in or reset the password.
    const mails = await t.outboxRows(owner.email);
    expect(mails.map((m) => m.template)).toEqual(['sign_up_attempt', 'sign_up_attempt', 'sign_up_attempt']);
    expect(mails[0]!.subject).toMatch(/sign up/i);
    expect(mails[0]!.bodyText).toContain('http://localhost:3000/sign-in');
    expect(mails[0]!.bodyText).toMatch(/reset/i);
  });

  it("does not flood the owner's mailbox when repeated", async () => {
    const owner = await t.createAccount({ roles: ['learner'] });
    for (let i = 0; i < 6; i++) expect((await signUp(owner.email)).statusCode).toBe(201);
    expect((await t.outboxRows(owner.email)).length).toBeLessThanOrEqual(3);
  });
});

describe('other requests made without signing in', () => {
  it('password reset request: the same answer for a known and an unknown e-mail', async () => {
    const owner = await t.createAccount({ roles: ['learner'] });
    const known = await post('/api/auth/password/forgot', { email: owner.email });
    const unknown = await post('/api/auth/password/forgot', { email: uniqueEmail('ghost') });
    expect(visible(known)).toEqual(visible(unknown));
    expect(known.statusCode).toBe(200);
  });

  it('resend verification: the same answer for an unverified, a verified and an unknown e-mail', async () => {
    const unverified = await t.createAccount({ verified: false });
    const verified = await t.createAccount();
    const answers = await Promise.all(
      [unverified.email, verified.email, uniqueEmail('ghost')].map((email) =>
        post('/api/auth/resend-verification', { email }),
      ),
    );
    expect(answers.map(visible)).toEqual(Array(3).fill(visible(answers[0]!)));
  });
});
