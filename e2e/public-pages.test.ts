// Issue #2 §5–6: every public page follows the Taiwan government conventions (skip link first,
// 導盲磚 accesskeys U/C/Z, a site map reachable from the footer) and shows demo mode.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zhCommon from '../apps/web/src/locales/zh-TW/common.json' with { type: 'json' };
import zhPublic from '../apps/web/src/locales/zh-TW/public.json' with { type: 'json' };
import { expectAccessible, launchBrowser, newContext } from './helpers.ts';

const PAGES = [
  '/',
  '/sitemap',
  '/privacy',
  '/security',
  '/accessibility',
  '/sign-in',
  '/sign-up',
  '/forgot-password',
  '/no-such-page',
];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('public pages', () => {
  it('each has the skip link first, the U/C/Z accesskeys, the demo banner and a site-map link', async () => {
    const context = await newContext(browser, 'desktop');
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expect(page.getByTestId('demo-banner').innerText(), path).resolves.toBe(zhCommon.demoBanner);
      // The first Tab lands on the skip link, which moves focus to the main content.
      await page.keyboard.press('Tab');
      await expect(page.locator(':focus').innerText(), path).resolves.toBe(zhCommon.skipToContent);
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator(':focus').getAttribute('id'), { message: path })
        .toBe('main-content');
      // 導盲磚: U in the header, C at the start of the content, Z in the footer, each titled.
      await expect(page.locator('[accesskey]').count(), path).resolves.toBe(3);
      for (const [where, key, title] of [
        ['header', 'U', zhCommon.accesskey.top],
        ['main', 'C', zhCommon.accesskey.center],
        ['footer', 'Z', zhCommon.accesskey.bottom],
      ] as const) {
        const anchor = page.locator(`${where} [accesskey="${key}"]`);
        await expect(anchor.getAttribute('title'), `${path} ${key}`).resolves.toBe(title);
      }
      const footer = page.getByRole('navigation', { name: zhCommon.nav.footer });
      await expect(footer.getByRole('link', { name: zhCommon.nav.siteMap }).count(), path).resolves.toBe(1);
    }
    // The site map explains the accesskeys and links every public page.
    await page.goto('/sitemap');
    await page.getByText(zhPublic.siteMap.keys.u).waitFor();
    for (const name of [zhPublic.siteMap.pages.privacy, zhPublic.siteMap.pages.signUp]) {
      await expect(page.getByRole('main').getByRole('link', { name }).count()).resolves.toBe(1);
    }
    await expectAccessible(page);
    await context.close();
  });
});
