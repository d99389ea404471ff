import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  errorOf,
  freshIp,
  SIGN_UP_CONSENTS,
  signInViaApi,
  TEST_PASSWORD,
  tokenFromMail,
  uniqueEmail,
  type TestApp,
} from '../../../test/helpers.ts';
import { PUBLISHED_DEMO_PASSWORD } from '../../config.ts';

/**
 * Issue #8 item 7: the README publishes the demo password. Outside demo mode it opens nothing: a
 * sign-in with it fails like a wrong password, and no password can be set to it.
 */
let t: TestApp; // demo off (as createTestApp makes it)
let demo: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  demo = await createTestApp({ env: { DEMO: 'true' } });
});
afterAll(async () => {
  await t?.close();
  await demo?.close();
});

describe('the published demo password outside demo mode', () => {
  it('is the README one', () => {
    expect(PUBLISHED_DEMO_PASSWORD).toBe('Demo-Password-2026');
    expect(t.config.demo).toBe(false);
  });

  it('signs nobody in (an account left with it answers as a wrong password); in demo mode it does', async () => {
    const a = await t.createAccount({ roles: ['admin'], password: PUBLISHED_DEMO_PASSWORD });
    const { res } = await signInViaApi(t, a.email, PUBLISHED_DEMO_PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(errorOf(res)).toMatchObject({ code: 'UNAUTHORIZED', reason: 'INVALID_CREDENTIALS' });

    const d = await demo.createAccount({ roles: ['learner'], password: PUBLISHED_DEMO_PASSWORD });
    expect((await signInViaApi(demo, d.email, PUBLISHED_DEMO_PASSWORD)).res.statusCode).toBe(200);
  });

  it('cannot be chosen at sign-up, reset or change', async () => {
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload: payload as object, headers, remoteAddress: freshIp() });
    const signUp = await post('/api/auth/sign-up', {
      email: uniqueEmail('demo'),
      password: PUBLISHED_DEMO_PASSWORD,
      displayName: '示範',
      ...SIGN_UP_CONSENTS,
    });
    expect(signUp.statusCode).toBe(400);
    expect(errorOf(signUp)).toMatchObject({
      reason: 'WEAK_PASSWORD',
      fields: [{ field: 'password', issue: 'demo_password' }],
    });

    const a = await t.createAccount({ password: TEST_PASSWORD });
    await post('/api/auth/password/forgot', { email: a.email });
    const token = await tokenFromMail(t, a.email, '/reset-password');
    const reset = await post('/api/auth/password/reset', { token, password: PUBLISHED_DEMO_PASSWORD });
    expect(errorOf(reset)).toMatchObject({ fields: [{ field: 'password', issue: 'demo_password' }] });

    const session = await t.signInAs(a);
    const change = await t.as(session, {
      method: 'POST',
      url: '/api/auth/password/change',
      payload: { currentPassword: TEST_PASSWORD, newPassword: PUBLISHED_DEMO_PASSWORD },
    });
    expect(errorOf(change)).toMatchObject({ fields: [{ field: 'newPassword', issue: 'demo_password' }] });
    // The old password still works: nothing was changed.
    expect((await signInViaApi(t, a.email, TEST_PASSWORD)).res.statusCode).toBe(200);
  });
});
