// Issue #8 item 4: a grant of a personal-data role waits for a second administrator. The first
// administrator asks for the programme office for a new account; the account holds nothing yet;
// the same administrator sees its own request without an approve button; a second administrator
// approves it in 帳號管理, and the grant is in effect. axe-core checks the page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zhAdmin from '../apps/web/src/locales/zh-TW/admin.json' with { type: 'json' };
import zhAuth from '../apps/web/src/locales/zh-TW/auth.json' with { type: 'json' };
import zhCommon from '../apps/web/src/locales/zh-TW/common.json' with { type: 'json' };
import {
  DEMO_PASSWORD,
  demoApi,
  demoEmail,
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
} from './helpers.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel(zhAuth.fields.email, { exact: true }).fill(email);
  await page.getByLabel(zhAuth.fields.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: zhAuth.signIn.submit, exact: true }).click();
  await page.waitForURL('**/dashboard');
}

describe('grants that need a second administrator (issue #8)', () => {
  it('waits for the second administrator, who approves it in 帳號管理', async () => {
    const admin = await demoApi('admin');
    const email = `grantee-${Date.now().toString(36)}@example.tw`;
    const account = await admin.post<{ id: string }>('/api/accounts', {
      email,
      displayName: '待核准帳號',
      locale: 'zh-TW',
    });
    const request = await admin.post<{ status: string }>(`/api/accounts/${account.id}/grants`, {
      role: 'pmo',
      scopeKind: 'global',
    });
    expect(request.status).toBe('pending');
    const before = await admin.get<{ roles: string[] }>(`/api/accounts/${account.id}`);
    expect(before.roles).toEqual([]);

    const roleName = zhCommon.roles.pmo;
    const approveName = zhAdmin.grantRequests.approveLabel
      .replace('{{email}}', email)
      .replace('{{role}}', roleName);

    // The requester sees its own request, without an approve button.
    const first = await newContext(browser, 'desktop');
    const fp = await first.newPage();
    await signIn(fp, demoEmail('admin'));
    await fp.goto('/admin/accounts');
    const mine = fp.getByTestId('grant-requests').getByRole('row').filter({ hasText: email });
    await mine.waitFor();
    expect(await mine.getByRole('button', { name: approveName }).count()).toBe(0);
    await first.close();

    // The second administrator approves.
    const second = await newContext(browser, 'desktop');
    const sp = await second.newPage();
    await signIn(sp, demoEmail('admin2'));
    await sp.goto('/admin/accounts');
    await sp.getByRole('heading', { level: 2, name: zhAdmin.grantRequests.title }).waitFor();
    const row = sp.getByTestId('grant-requests').getByRole('row').filter({ hasText: email });
    await row.waitFor();
    await expectAccessible(sp);
    await screenshot(sp, 'grant-requests-desktop');
    await row.getByRole('button', { name: approveName }).click();
    await sp.getByText(zhAdmin.grantRequests.approved).waitFor();
    await row.waitFor({ state: 'detached' });
    await second.close();

    const after = await admin.get<{ roles: string[] }>(`/api/accounts/${account.id}`);
    expect(after.roles).toEqual(['pmo']);
  }, 180_000);
});
