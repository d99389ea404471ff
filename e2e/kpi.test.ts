import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function signIn(page: Page, role: string) {
  await page.goto('/sign-in');
  await page.getByLabel('電子郵件').fill(demoEmail(role));
  await page.getByLabel('密碼', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  await page.waitForURL('**/dashboard');
}

const year = new Date().getFullYear();

describe('programme office: targets, dashboard, drill-down, English, export', () => {
  it('sets a target, sees it against the actual, drills down to the records and exports', async () => {
    const context = await newContext(browser, 'desktop', { acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'pmo');

    // 目標值設定: the whole-programme target of K26 for this year.
    await page
      .getByRole('navigation', { name: '功能選單' })
      .getByRole('link', { name: '目標值設定' })
      .click();
    await page.getByRole('heading', { name: '績效指標目標值設定' }).waitFor();
    const k26 = page.getByRole('region', { name: /K26/ });
    await k26.getByLabel('全計畫目標值').fill('480');
    await k26.getByRole('button', { name: '儲存目標值' }).click();
    await page.getByText('K26 的目標值已儲存').waitFor();
    await expectAccessible(page);

    // The dashboard shows the new target beside the actual computed from the demo records.
    await page
      .getByRole('navigation', { name: '功能選單' })
      .getByRole('link', { name: '績效指標', exact: true })
      .click();
    await page.getByRole('heading', { name: '績效指標儀表板' }).waitFor();
    const row = page.getByRole('row', { name: /K26/ });
    await expect(row.innerText()).resolves.toContain('480');
    await expect(page.getByRole('row', { name: /K05/ }).innerText()).resolves.toContain('尚未量測');
    await screenshot(page, 'kpi-dashboard-desktop');
    await expectAccessible(page);

    // Open K26, narrow to one county from the map's table, and see only its records.
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: /K26 平台登錄人數/ }).waitFor();
    const county = page.getByRole('region', { name: '縣市' });
    await county.getByText('以表格檢視數值').click();
    await county.getByRole('button', { name: '只看高雄市' }).click();
    await page.getByRole('group', { name: '圖表篩選條件' }).getByText('高雄市').waitFor();
    expect(new URL(page.url()).searchParams.get('county')).toBe('64000');
    const records = page.getByRole('region', { name: '背後的紀錄' });
    await records.getByRole('row').nth(1).waitFor();
    const counties = await records.locator('tbody tr td:nth-child(4)').allInnerTexts();
    expect(counties.length).toBeGreaterThan(0);
    expect(new Set(counties)).toEqual(new Set(['高雄市']));
    await screenshot(page, 'kpi-detail-desktop');
    await expectAccessible(page);

    // In English, and the XLSX of what is on screen (its filters named as on screen).
    await page.getByTestId('language-switch').click();
    try {
      await page.getByRole('heading', { name: /K26 People recorded on the platform/ }).waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Export Excel' }).first().click(),
      ]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile((await download.path())!);
      expect(wb.worksheets.map((w) => w.name)).toContain('County');
      const overview = wb.getWorksheet('Overview')!;
      const k26Row = (overview.getSheetValues() as unknown[][]).find((r) => r?.[1] === 'K26')!;
      expect(k26Row[2]).toBe('People recorded on the platform');
      expect(String(overview.getCell('A2').value)).toContain('County: Kaohsiung City');
      await expectAccessible(page);
    } finally {
      // The choice is kept on the account: back to Chinese for the journeys after this one, pass or fail.
      if ((await page.locator('html').getAttribute('lang')) === 'en') {
        await page.getByTestId('language-switch').click();
        await page.getByRole('heading', { name: /K26 平台登錄人數/ }).waitFor();
      }
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('unknown-bucket-pick: 「只看未填」 in a breakdown’s table narrows to the records without that value', async () => {
    // Demo people all have a gender and county: one without either, recorded now.
    const api = await demoApi('pmo');
    await api.post('/api/people', { name: '未填性別測' });
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'pmo');
    await page.goto(`/kpi/K26?year=${year}`);
    await page.getByRole('heading', { name: /K26 平台登錄人數/ }).waitFor();
    const gender = page.getByRole('region', { name: '性別' });
    await gender.getByText('以表格檢視數值').click();
    await gender.getByRole('button', { name: '只看未填' }).click();
    await page.getByRole('group', { name: '圖表篩選條件' }).getByText('性別：未填').waitFor();
    expect(new URL(page.url()).searchParams.get('gender')).toBe('unknown');
    const records = page.getByRole('region', { name: '背後的紀錄' });
    await records.getByRole('row', { name: /未填性別測/ }).waitFor();
    const genders = await records.locator('tbody tr td:nth-child(6)').allInnerTexts();
    expect(new Set(genders)).toEqual(new Set(['未填']));
    // The gender chart now holds only the unknown bucket; the county one also offers its own.
    await expect(gender.locator('tbody tr').allTextContents()).resolves.toEqual([
      expect.stringContaining('未填'),
    ]);
    const county = page.getByRole('region', { name: '縣市' });
    await county.getByText('以表格檢視數值').click();
    await county.getByRole('button', { name: '只看未填' }).click();
    await page.getByRole('group', { name: '圖表篩選條件' }).getByText('縣市：未填').waitFor();
    expect(new URL(page.url()).searchParams.get('county')).toBe('unknown');
    await records.getByRole('row', { name: /未填性別測/ }).waitFor();
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works at phone width', async () => {
    const context = await newContext(browser, 'phone');
    const page = await context.newPage();
    await signIn(page, 'pmo');
    await page.goto(`/kpi?year=${year}`);
    await page.getByRole('heading', { name: '績效指標儀表板' }).waitFor();
    await page.getByRole('row', { name: /K26/ }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await screenshot(page, 'kpi-dashboard-phone');
    await expectAccessible(page);
    await page.goto(`/kpi/K27?year=${year}`);
    await page.getByRole('heading', { name: /K27/ }).waitFor();
    await page.getByRole('region', { name: '企業規模' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await expectAccessible(page);
    await context.close();
  });

  it('lets an agency clerk read the dashboard but not the reports', async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, 'agency');
    await page.goto(`/kpi?year=${year}`);
    await page.getByRole('row', { name: /K26/ }).waitFor();
    await expect(
      page.getByRole('navigation', { name: '功能選單' }).getByRole('link', { name: '季報提報' }).count(),
    ).resolves.toBe(0);
    await context.close();
  });
});
