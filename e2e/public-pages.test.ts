// Issue #2 §5–6: every public page follows the Taiwan government conventions (skip link first,
// 導盲磚 accesskeys U/C/Z, a site map reachable from the footer) and shows demo mode.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zhCommon from '../apps/web/src/locales/zh-TW/common.json' with { type: 'json' };
import zhPublic from '../apps/web/src/locales/zh-TW/public.json' with { type: 'json' };
import zhAdmin from '../apps/web/src/locales/zh-TW/admin.json' with { type: 'json' };
import { DEMO_PASSWORD, demoEmail, expectAccessible, launchBrowser, newContext } from './helpers.ts';

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

  // #8 item 15: what works is described and linked; only what has no route is called 即將推出.
  it('the home page links the working features and calls only the unbuilt ones coming soon', async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await page.goto('/');
    const main = page.getByRole('main');
    await main.getByTestId('live-features').waitFor();
    const hrefs = await main.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const to of [
      '/kpi',
      '/kpi/reports',
      '/kpi/targets',
      '/people',
      '/enterprises',
      '/imports',
      '/programme',
    ])
      expect(hrefs, to).toContain(to);
    const soon = zhCommon.comingSoon;
    const kpi = main.getByTestId('chain-kpi');
    await expect(kpi.innerText()).resolves.not.toContain(soon);
    await expect(kpi.innerText()).resolves.toContain(zhPublic.home.statusNow);
    for (const step of ['demand', 'training', 'ipas', 'jobs'])
      await expect(main.getByTestId(`chain-${step}`).innerText(), step).resolves.toContain(soon);
    await expect(main.getByTestId('live-features').innerText()).resolves.not.toContain(soon);
    await expect(main.getByText(soon, { exact: true }).count()).resolves.toBe(4);
    await expectAccessible(page);
    await context.close();
  });

  it('the programme office dashboard links KPIs, registries, imports and reports and calls none of them coming soon', async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    for (const [role, planned] of [
      ['pmo', 0],
      ['agency', 4],
    ] as const) {
      await page.goto('/sign-in');
      await page.getByLabel('電子郵件').fill(demoEmail(role));
      await page.getByLabel('密碼').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登入', exact: true }).click();
      await page.waitForURL(/\/dashboard/);
      const main = page.getByRole('main');
      await main.getByRole('heading', { level: 1, name: zhAdmin.dashboard.title }).waitFor();
      await main.getByText(zhAdmin.dashboard.availableNow).first().waitFor();
      const hrefs = await main.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const to of role === 'pmo'
        ? ['/kpi', '/kpi/reports', '/kpi/targets', '/people', '/enterprises', '/imports']
        : ['/kpi', '/people', '/enterprises', '/imports'])
        expect(hrefs, `${role} ${to}`).toContain(to);
      await expect(main.getByText(zhCommon.comingSoon, { exact: true }).count(), role).resolves.toBe(planned);
      await expectAccessible(page);
      await page.context().clearCookies();
    }
    await context.close();
  });
});
