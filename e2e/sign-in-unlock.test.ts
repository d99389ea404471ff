import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zhAdmin from '../apps/web/src/locales/zh-TW/admin.json' with { type: 'json' };
import {
  ApiClient,
  ApiError,
  DEMO_PASSWORD,
  demoApi,
  demoEmail,
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
} from './helpers.ts';

// Issue #8 item 6: an administrator clears an account's sign-in back-off from the account page.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The reason of a refused sign-in (a wrong password is always refused). */
async function refusal(email: string): Promise<string> {
  try {
    await new ApiClient().signIn(email, 'Wrong-Password-123');
  } catch (e) {
    if (e instanceof ApiError) return (e.body as { error: { reason: string } }).error.reason;
    throw e;
  }
  throw new Error('a wrong password was accepted');
}

describe('administrator: clear sign-in limits', () => {
  it('clears the back-off of an account that someone kept failing to sign in to', async () => {
    const admin = await demoApi('admin');
    const email = `unlock-${Date.now().toString(36)}@example.tw`;
    const account = await admin.post<{ id: string }>('/api/accounts', {
      email,
      displayName: '解除限制測試',
      locale: 'zh-TW',
    });
    for (let i = 0; i < 5; i++) expect(await refusal(email)).toBe('INVALID_CREDENTIALS');
    expect(await refusal(email)).toBe('ACCOUNT_THROTTLED');

    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/sign-in');
    await page.getByLabel('電子郵件').fill(demoEmail('admin'));
    await page.getByLabel('密碼', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登入', exact: true }).click();
    await page.waitForURL('**/dashboard');
    await page.goto(`/admin/accounts/${account.id}`);
    await page.getByRole('button', { name: zhAdmin.accountDetail.unlock }).click();
    await page.getByText(zhAdmin.accountDetail.unlocked).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'account-sign-in-unlocked');
    // Judged again at once: the password is checked (and wrong), no longer a wait.
    expect(await refusal(email)).toBe('INVALID_CREDENTIALS');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
