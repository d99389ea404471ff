import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badNationalId, csv, encodeBig5, encodeGbk, nationalId } from '../apps/api/test/import-files.ts';
import {
  DEMO_PASSWORD,
  demoApi,
  expectAccessible,
  launchBrowser,
  newContext,
  openNav,
  screenshot,
} from './helpers.ts';

/**
 * An agency clerk imports a Big5 CSV of people (as Excel on a Traditional Chinese Windows saves
 * it): the first file has a wrong check digit and an unknown county, the clerk sees the row and
 * field, fixes the file, imports it, and the people are in the registry. Desktop and phone.
 */
let browser: Browser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-e2e-import-'));
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page) {
  await page.goto('/sign-in');
  await page.getByLabel('電子郵件').fill('agency@demo.example');
  await page.getByLabel('密碼').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await page.waitForURL(/\/dashboard/);
}

/** axe with the pointer parked away from the navigation (a hovered item is not what is measured). */
async function checkPage(page: Page) {
  await page.mouse.move(0, 0);
  await expectAccessible(page);
}

async function uploadFile(page: Page, file: string) {
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByText(path.basename(file), { exact: false }).first().isVisible()).resolves.toBe(true);
  await page.getByRole('button', { name: '上傳並檢查' }).click();
  await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
}

describe('import', () => {
  for (const size of ['desktop', 'phone'] as const) {
    it(`an agency clerk imports a Big5 CSV of people, fixing a row error first (${size})`, async () => {
      const base = (Date.now() % 1_000_000) * 10 + (size === 'phone' ? 5 : 0);
      const names = size === 'phone' ? ['手機甲', '手機乙', '手機丙'] : ['匯入陳', '匯入林', '匯入黃'];
      const ids = [nationalId(base + 1, 'K'), nationalId(base + 2, 'K', 2), nationalId(base + 3, 'K')];
      const header = ['姓名', '身分證字號', '電子郵件', '性別', '出生日期', '縣市'];
      const row = (i: number, id: string, county: string) => [
        names[i]!,
        id,
        `e2e-import-${base}-${i}@example.tw`,
        i % 2 ? '男' : '女',
        '84/4/1',
        county,
      ];
      const broken = path.join(dir, `名單-${size}-有誤.csv`);
      fs.writeFileSync(
        broken,
        encodeBig5(
          csv([
            header,
            row(0, ids[0]!, '台北市'),
            row(1, badNationalId(base + 2), '台北縣'),
            row(2, ids[2]!, '臺中市'),
          ]),
        ),
      );
      const fixed = path.join(dir, `名單-${size}.csv`);
      fs.writeFileSync(
        fixed,
        encodeBig5(
          csv([header, row(0, ids[0]!, '台北市'), row(1, ids[1]!, '新北市'), row(2, ids[2]!, '臺中市')]),
        ),
      );

      const context = await newContext(browser, size);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signIn(page);
      // Through the navigation: the side menu on a desktop, the drawer on a phone.
      await openNav(page, size, '匯入');
      await page.getByRole('heading', { name: '匯入人員與企業資料' }).waitFor();
      await checkPage(page);
      await screenshot(page, `import-start-${size}`);

      await uploadFile(page, broken);
      await page.getByText('有錯誤').first().waitFor({ timeout: 30_000 });
      const problems =
        size === 'phone'
          ? page.locator('.import-problem-list li')
          : page.getByTestId('import-problems').locator('tbody tr');
      await problems.first().waitFor();
      const texts = await problems.allInnerTexts();
      expect(texts.some((t) => t.includes('3') && t.includes('身分證字號') && t.includes('檢查碼錯誤'))).toBe(
        true,
      );
      expect(texts.some((t) => t.includes('縣市') && t.includes('不是臺灣的縣市名稱'))).toBe(true);
      await expect(page.getByText('Big5').first().isVisible()).resolves.toBe(true);
      await checkPage(page);
      await screenshot(page, `import-invalid-${size}`);

      await page.getByRole('link', { name: '上傳修正後的檔案' }).click();
      await page.getByRole('heading', { name: '匯入人員與企業資料' }).waitFor();
      await uploadFile(page, fixed);
      await page.getByTestId('import-preview').waitFor({ timeout: 30_000 });
      await page.getByTestId('import-preview').getByText(names[1]!).waitFor();
      expect(await page.getByTestId('import-count-new').innerText()).toBe('3');
      await checkPage(page);
      await screenshot(page, `import-preview-${size}`);

      await page.getByRole('button', { name: '匯入 3 列' }).click();
      await page.getByText('匯入完成：新增 3 筆').waitFor({ timeout: 30_000 });
      await checkPage(page);
      await screenshot(page, `import-done-${size}`);
      expect(errors).toEqual([]);
      await context.close();

      // The people are in the registry, stamped with the clerk's agency, the ID numbers masked.
      const api = await demoApi('agency');
      for (const [i, id] of ids.entries()) {
        const found = await api.get<{
          items: { name: string; nationalIdMasked: string; countyCode: string }[];
        }>(`/api/people?q=${id}`);
        expect(found.items).toHaveLength(1);
        expect(found.items[0]).toMatchObject({ name: names[i], nationalIdMasked: `${id.slice(0, 6)}****` });
      }
    });
  }
  it('a GBK file and a UTF-8 file with one Big5 row are refused, the problem and its row in words', async () => {
    const gbkFile = path.join(dir, '简体名单.csv');
    fs.writeFileSync(
      gbkFile,
      encodeGbk(
        csv([
          ['姓名', '电子邮件'],
          ['张伟', 'gbk@example.cn'],
          ['王秀英', ''],
          ['刘洋', ''],
        ]),
      ),
    );
    const mixed = path.join(dir, '混合名單.csv');
    fs.writeFileSync(
      mixed,
      Buffer.concat([
        Buffer.from(
          csv([
            ['姓名', '電子郵件'],
            ['王小明', ''],
            ['陳美玲', ''],
          ]),
          'utf8',
        ),
        encodeBig5('林志豪,\r\n'),
      ]),
    );
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page);
    for (const [file, words] of [
      [gbkFile, '簡體中文 GBK 編碼（第 1 列）'],
      [mixed, '第 4 列不是 UTF-8'],
    ] as const) {
      await page.goto('/imports');
      await page.getByRole('heading', { name: '匯入人員與企業資料' }).waitFor();
      await uploadFile(page, file);
      await page.getByText('有錯誤').first().waitFor({ timeout: 30_000 });
      const problems = page.getByTestId('import-problems').locator('tbody tr');
      await problems.first().waitFor();
      expect((await problems.allInnerTexts()).join('\n')).toContain(words);
      await checkPage(page);
    }
    await screenshot(page, 'import-encoding-refused');
    expect(errors).toEqual([]);
    await context.close();
  });
});
