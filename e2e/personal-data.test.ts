import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  demoApi,
  demoEmail,
  expectAccessible,
  launchBrowser,
  newContext,
  openNav,
  screenshot,
} from './helpers.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, role: string) {
  await page.goto('/sign-in');
  await page.getByLabel('電子郵件').fill(demoEmail(role));
  await page.getByLabel('密碼').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  await page.waitForURL(/\/dashboard/);
}

/** The signed-in navigation: the side bar on a desktop, the menu drawer on a phone. */
type Export = {
  format: string;
  accountId: string;
  personId: string;
  sections: {
    account: { email: string };
    person: { record: { id: string; name: string } };
    consentsAndRequests: { requests: { type: string; details: string | null }[] };
  };
};

describe('personal data (個資法)', () => {
  for (const size of ['desktop', 'phone'] as const) {
    it(`a learner downloads their data and files a correction; the PMO sees it with its deadline (${size})`, async () => {
      const details = `姓名應更正（${size}）`;
      const learnerCtx = await newContext(browser, size, { acceptDownloads: true });
      const page = await learnerCtx.newPage();
      await signIn(page, 'learner');
      await openNav(page, size, '我的個人資料');
      await page.getByRole('heading', { level: 1, name: '我的個人資料' }).waitFor();
      await page.getByRole('heading', { name: '下載我的資料' }).waitFor();
      await expectAccessible(page);
      await screenshot(page, `personal-data-mine-${size}`);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: '下載 JSON 檔' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.json$/);
      const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as Export;
      expect(data.format).toBe('dtp-personal-data/1');
      expect(data.sections.account.email).toBe('learner@demo.example');
      expect(data.sections.person.record).toMatchObject({ id: data.personId, name: '學員（示範）' });

      // A correction request needs its details: the field says so first.
      const requestForm = page.getByRole('form', { name: '提出新請求' });
      await requestForm.getByLabel('請求類別').selectOption('correction');
      await requestForm.getByRole('button', { name: '送出請求' }).click();
      await requestForm.getByText('此欄位為必填。').waitFor();
      await requestForm.getByLabel('說明').fill(details);
      await requestForm.getByRole('button', { name: '送出請求' }).click();
      const mine = page.getByTestId('my-requests');
      await mine.getByText(details).waitFor();
      await expect(mine.getByRole('row').filter({ hasText: details }).innerText()).resolves.toContain(
        '剩 30 天',
      );
      // The confirmation toast fades in and out (axe would measure it mid-animation): close it first.
      const toast = page.locator('.mantine-Notification-root');
      await toast.getByRole('button', { name: '關閉' }).click();
      await toast.waitFor({ state: 'detached' });
      await expectAccessible(page);
      await learnerCtx.close();

      const pmoCtx = await newContext(browser, size);
      const pmo = await pmoCtx.newPage();
      await signIn(pmo, 'pmo');
      await openNav(pmo, size, '個資請求');
      await pmo.getByRole('heading', { level: 1, name: '個資請求' }).waitFor();
      const queue = pmo.getByTestId('request-queue');
      await queue.waitFor();
      // Same due date: the newest request (time-ordered ids) is the last of its day.
      const row = queue
        .getByRole('row')
        .filter({ hasText: '學員（示範）' })
        .filter({ hasText: '補充或更正' })
        .last();
      await expect(row.getByTestId('days-left').innerText()).resolves.toBe('剩 30 天');
      await expectAccessible(pmo);
      await screenshot(pmo, `personal-data-queue-${size}`);
      await row.getByRole('button', { name: /處理/ }).click();
      const dialog = pmo.getByRole('dialog');
      await dialog.getByText(details).waitFor();
      await expectAccessible(pmo);
      await screenshot(pmo, `personal-data-request-${size}`);
      await pmoCtx.close();
    });
  }

  it('the programme office reaches claim confirmations and duplicates, accessible', async () => {
    const ctx = await newContext(browser, 'desktop');
    const page = await ctx.newPage();
    await signIn(page, 'pmo');
    await openNav(page, 'desktop', '認領確認');
    await page.getByRole('heading', { level: 1, name: '認領確認' }).waitFor();
    await page.getByRole('heading', { name: '寄送認領邀請' }).waitFor();
    await expectAccessible(page);
    await openNav(page, 'desktop', '重複資料合併');
    await page.getByRole('heading', { level: 1, name: '重複資料合併' }).waitFor();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page);
    await ctx.close();
  });

  it('the duplicates page writes a 民國 birth date unpadded: 75/11/16, not 075/11/16 (issue #8 item 17)', async () => {
    const name = `重複民國${Math.floor(Math.random() * 1e6)}`;
    const api = await demoApi('pmo');
    for (let i = 0; i < 2; i++) await api.post('/api/people', { name, birthDate: '1986-11-16' });
    const ctx = await newContext(browser, 'desktop');
    const page = await ctx.newPage();
    await signIn(page, 'pmo');
    await page.goto('/admin/people-duplicates');
    const pair = page.getByRole('article', { name: `${name} / ${name}` });
    await pair.waitFor();
    const text = await pair.innerText();
    expect(text).toContain('75/11/16');
    expect(text).not.toContain('075/11/16');
    await ctx.close();
  });

  it('a staff account’s 我的個人資料 shows its account, makes no person record, accessible (#8 item 14)', async () => {
    const ctx = await newContext(browser, 'desktop');
    const page = await ctx.newPage();
    await signIn(page, 'agency');
    await openNav(page, 'desktop', '我的個人資料');
    await page.getByRole('heading', { level: 1, name: '我的個人資料' }).waitFor();
    const account = page.getByRole('region', { name: '帳號資料' });
    await account.getByText('agency@demo.example').waitFor();
    await page.getByRole('heading', { name: '下載我的資料' }).waitFor();
    await expect(page.getByRole('heading', { name: '基本資料' }).count()).resolves.toBe(0);
    await page.waitForLoadState('networkidle');
    await expectAccessible(page);
    const agencyApi = await demoApi('agency');
    await expect(agencyApi.get('/api/me/person')).resolves.toEqual({ person: null, claimableByEmail: false });
    await ctx.close();
  });

  it('the merge dialog shows every value translated, never a raw code (employed → 受僱)', async () => {
    // Two records with the same e-mail, differing in every field that holds a code.
    const pmoApi = await demoApi('pmo');
    const email = `dup-${Date.now()}@example.com`;
    await pmoApi.post('/api/people', {
      name: '合併甲',
      email,
      birthDate: '1990-05-03',
      gender: 'female',
      nationality: 'TW',
      countyCode: '63000',
      education: 'master',
      employmentStatus: 'employed',
      preferredLocale: 'zh-TW',
    });
    await pmoApi.post('/api/people', {
      name: '合併乙',
      email,
      birthDate: '1991-06-04',
      gender: 'male',
      nationality: 'JP',
      countyCode: '64000',
      education: 'bachelor',
      employmentStatus: 'self_employed',
      preferredLocale: 'en',
    });
    const ctx = await newContext(browser, 'desktop');
    const page = await ctx.newPage();
    await signIn(page, 'pmo');
    await page.goto('/admin/people-duplicates');
    await page.getByRole('heading', { level: 1, name: '重複資料合併' }).waitFor();
    await page.getByRole('article', { name: '合併甲 / 合併乙' }).getByRole('button').click();
    const dialog = page.getByRole('dialog');
    const fields = dialog.getByRole('table');
    await fields.waitFor();
    const text = await fields.innerText();
    for (const shown of ['受僱', '自營', '女', '男', '碩士', '大學', '臺北市', '高雄市', '日本', 'English'])
      expect(text).toContain(shown);
    for (const raw of [
      'employed',
      'self_employed',
      'female',
      'male',
      'master',
      'bachelor',
      '63000',
      '64000',
      'JP',
      'zh-TW',
      '1990-05-03',
    ])
      expect(text).not.toContain(raw);
    await expectAccessible(page);
    await ctx.close();
  });
});
