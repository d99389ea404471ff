import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidUbn } from '@dtp/contracts';
import {
  DEMO_PASSWORD,
  demoApi,
  demoEmail,
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
} from './helpers.ts';

/**
 * The people and enterprise registry in the browser: the programme office searches, edits,
 * exports and links a successor; an enterprise representative sees only their own company.
 */
const TWO = '柯睿'; // a two-character name: shorter than a trigram
const DEMO_UBN = '83456785';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  // People to find: the two-character name, a longer one containing it, and one that does not.
  const pmo = await demoApi('pmo');
  for (const name of [TWO, `${TWO}安`, '睿柯'])
    await pmo.post('/api/people', { name, countyCode: '64000', gender: 'female' });
  // Another company, which the demo representative must not reach.
  for (;;) {
    const ubn = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    if (!isValidUbn(ubn)) continue;
    await pmo.post('/api/enterprises', { ubn, name: '別家測試股份有限公司' });
    break;
  }
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, role: string) {
  await page.goto('/sign-in');
  await page.getByLabel('電子郵件').fill(demoEmail(role));
  await page.getByLabel('密碼', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await page.waitForURL(/\/dashboard/);
}

/** The people list, searched by the two-character name. */
async function searchPeople(page: Page) {
  await page.goto('/people');
  await page.getByRole('heading', { level: 1, name: '人員名冊' }).waitFor();
  await page.getByLabel('姓名、身分證號、電子郵件或電話').fill(TWO);
  await page.getByRole('search').getByRole('button', { name: '搜尋', exact: true }).click();
  await page.getByRole('link', { name: `${TWO}安` }).waitFor();
}

describe('registry', () => {
  it('programme office: two-character search, edit with a field error, XLSX export, successor link', async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'pmo');

    await searchPeople(page);
    const table = page.getByRole('region', { name: /人員名冊/ });
    await expect(table.getByRole('link', { name: TWO, exact: true }).count()).resolves.toBe(1);
    await expect(table.getByRole('link', { name: '睿柯' }).count()).resolves.toBe(0);
    await screenshot(page, 'registry-people-desktop');
    await expectAccessible(page);

    // Export what is on screen as XLSX, and read the download back.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '匯出 Excel（XLSX）' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^人員名單-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0]!.slice(0, 2)).toEqual(['姓名', '身分證統一編號／居留證號']);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([TWO, `${TWO}安`].sort());

    // Open the person and edit a field: a bad phone number is named at the field, then fixed.
    await table.getByRole('link', { name: TWO, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: TWO }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: '編輯資料' }).click();
    const phone = page.getByLabel('電話（選填）');
    await phone.fill('abc');
    await page.getByRole('button', { name: '儲存' }).click();
    await expect(phone.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByText('請輸入電話號碼，例如 0912345678 或 02-2345-6789。').waitFor();
    await screenshot(page, 'registry-person-edit-error-desktop');
    await expectAccessible(page);
    await phone.fill('0912-000-111');
    await page.getByRole('button', { name: '儲存' }).click();
    await page.getByRole('heading', { level: 2, name: '基本資料' }).waitFor();
    await page.getByRole('cell', { name: '0912-000-111' }).waitFor();

    // A 統一編號 failing its checksum is named at the field before anything is sent.
    await page.goto('/enterprises/new');
    await page.getByLabel('統一編號').fill('12345678');
    await page.getByLabel('企業名稱').fill('檢查碼測試公司');
    await page.getByRole('button', { name: '儲存' }).click();
    await page.getByText('統一編號檢查碼不正確，請再核對 8 位數字。').waitFor();
    await expect(page.getByLabel('統一編號').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page);

    // Open the demo enterprise by its 統一編號 and mark the person as its successor.
    await page.goto('/enterprises');
    await page.getByLabel('企業名稱或統一編號').fill(DEMO_UBN);
    await page.getByRole('search').getByRole('button', { name: '搜尋', exact: true }).click();
    await page.getByRole('link', { name: '示範數位製造股份有限公司' }).click();
    await page.getByRole('heading', { level: 1, name: '示範數位製造股份有限公司' }).waitFor();
    await page.getByText('enterprise@demo.example').waitFor(); // its representative
    await page.getByLabel('搜尋人員（姓名或身分證號）').fill(TWO);
    await page.getByRole('button', { name: '查詢' }).click();
    const person = page.getByLabel('人員', { exact: true });
    await person.selectOption({ label: TWO });
    await page.getByLabel('關係', { exact: true }).selectOption({ label: '接班人' });
    await page.getByRole('button', { name: '新增關係' }).click();
    const links = page.getByTestId('links-table');
    await links.getByRole('row', { name: new RegExp(`${TWO}.*接班人`) }).waitFor();
    await screenshot(page, 'registry-enterprise-desktop');
    await expectAccessible(page);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('programme office at phone width: list and person pages scroll, stay accessible', async () => {
    const context = await newContext(browser, 'phone');
    const page = await context.newPage();
    await signIn(page, 'pmo');
    await searchPeople(page);
    await screenshot(page, 'registry-people-phone');
    await expectAccessible(page);
    // The page itself never scrolls sideways; the table's own region does.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: TWO, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: TWO }).waitFor();
    await expectAccessible(page);
    await context.close();
  });

  for (const size of ['desktop', 'phone'] as const) {
    it(`an enterprise representative sees only their own company (${size})`, async () => {
      const pmo = await demoApi('pmo');
      const other = await pmo.get<{ items: { id: string; ubn: string }[] }>('/api/enterprises?limit=200');
      const context = await newContext(browser, size);
      const page = await context.newPage();
      await signIn(page, 'enterprise');
      await page.goto('/enterprises');
      await page.getByRole('link', { name: '示範數位製造股份有限公司' }).waitFor();
      const rows = page.getByRole('region', { name: '企業名冊' }).locator('tbody tr');
      await expect(rows.count()).resolves.toBe(1);
      await expect(page.getByTestId('list-count').innerText()).resolves.toContain('共 1 筆');
      await expectAccessible(page);
      await screenshot(page, `registry-enterprise-rep-${size}`);
      // The representative edits the profile but not the 統一編號: only staff change it.
      if (size === 'desktop') {
        await page.getByRole('link', { name: '示範數位製造股份有限公司' }).click();
        await page.getByRole('button', { name: '編輯資料' }).click();
        const form = page.getByRole('form', { name: '編輯企業資料' });
        await expect(form.getByLabel('統一編號').getAttribute('readonly')).resolves.not.toBeNull();
        await form.getByText('統一編號只能由計畫辦公室或執行單位變更').waitFor();
        await expectAccessible(page);
        await page.goto('/enterprises');
      }
      // Another company's page is not found, exactly like one that does not exist.
      const foreign = other.items.find((e) => e.ubn !== DEMO_UBN);
      if (foreign) {
        await page.goto(`/enterprises/${foreign.id}`);
        await page.getByRole('alert').getByText('找不到指定的資料。').waitFor();
        await expectAccessible(page);
      }
      await context.close();
    });
  }
});
