import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accounts } from '../../db/schema/index.ts';
import { createTestApp, signInViaApi, TEST_PASSWORD, type TestApp } from '../../../test/helpers.ts';

// Issue #8 item 13: the security policy says management roles use MFA; the default must say so too,
// in demo mode as well, where only the seeded demo accounts are exempt (decision 022).
let plain: TestApp;
let demo: TestApp;
beforeAll(async () => {
  [plain, demo] = await Promise.all([createTestApp(), createTestApp({ env: { DEMO: 'true' } })]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), demo?.close()]);
});

const stageOf = async (t: TestApp, email: string) => (await signInViaApi(t, email, TEST_PASSWORD)).stage;

describe('MFA required by default for management roles', () => {
  it('a fresh (non-demo) install requires MFA enrolment of pmo, admin and agency staff; a learner signs straight in', async () => {
    for (const role of ['admin', 'pmo', 'agency'] as const) {
      const a = await plain.createAccount({ roles: [role], password: TEST_PASSWORD });
      expect(await stageOf(plain, a.email)).toBe('mfa_enrolment_required');
    }
    const learner = await plain.createAccount({ roles: ['learner'], password: TEST_PASSWORD });
    expect(await stageOf(plain, learner.email)).toBe('signed_in');
  });

  it('in demo mode the default still names admin, pmo and agency, and staff accounts must enrol', async () => {
    const admin = await demo.createAccount({ roles: ['admin'] });
    const s = await demo.signInAs(admin);
    const settings = (await demo.as(s, { method: 'GET', url: '/api/settings' })).json() as {
      key: string;
      value: unknown;
    }[];
    expect(settings.find((r) => r.key === 'auth.mfaRequiredRoles')?.value).toEqual([
      'admin',
      'pmo',
      'agency',
    ]);
    for (const role of ['admin', 'pmo', 'agency'] as const) {
      const a = await demo.createAccount({ roles: [role], password: TEST_PASSWORD });
      expect(await stageOf(demo, a.email)).toBe('mfa_enrolment_required');
    }
  });

  it('demo accounts in demo mode are exempt (and /me says MFA is not required of them)', async () => {
    for (const role of ['admin', 'pmo', 'agency'] as const) {
      const a = await demo.createAccount({ roles: [role], password: TEST_PASSWORD });
      await demo.db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, a.id));
      const { stage, session } = await signInViaApi(demo, a.email, TEST_PASSWORD);
      expect(stage).toBe('signed_in');
      const me = (await demo.as(session, { method: 'GET', url: '/api/auth/me' })).json() as {
        account: { mfaRequired: boolean };
      };
      expect(me.account.mfaRequired).toBe(false);
    }
  });

  it('a demo account outside demo mode is not exempt', async () => {
    const a = await plain.createAccount({ roles: ['pmo'], password: TEST_PASSWORD });
    await plain.db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, a.id));
    expect(await stageOf(plain, a.email)).toBe('mfa_enrolment_required');
  });
});
