// Issue #2 §7: the platform-core journey in a real browser, at desktop and phone width.
// A newcomer signs up and verifies the e-mail through its own mail (我的郵件; the admin's mail
// viewer withholds the link, decision 020); then a
// programme-office account turns on TOTP, signs in again with a code, switches to English and
// finds its own sign-in in the audit log. axe-core runs on every page visited.
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zhAdmin from '../apps/web/src/locales/zh-TW/admin.json' with { type: 'json' };
import zhAuth from '../apps/web/src/locales/zh-TW/auth.json' with { type: 'json' };
import zhCommon from '../apps/web/src/locales/zh-TW/common.json' with { type: 'json' };
import enAdmin from '../apps/web/src/locales/en/admin.json' with { type: 'json' };
import enCommon from '../apps/web/src/locales/en/common.json' with { type: 'json' };
import {
  ApiClient,
  DEMO_PASSWORD,
  demoApi,
  demoEmail,
  expectAccessible,
  launchBrowser,
  linkIn,
  ownMail,
  newContext,
  screenshot,
} from './helpers.ts';

type Size = 'desktop' | 'phone';
const VIEWPORT: Record<Size, { width: number; height: number }> = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};
const common = { 'zh-TW': zhCommon, en: enCommon };
const admin = { 'zh-TW': zhAdmin, en: enAdmin };
type Lang = keyof typeof common;

/** A TOTP code for `secret`, `stepsAhead` 30-second steps from now (the server accepts ±1 step). */
/** A journey step that waits longer than this has failed: report where, well before the test's timeout. */
const STEP_MS = 30_000;

const totp = (secret: string, stepsAhead = 0) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The page has rendered: its one <h1> reads `title` and nothing says 載入中 (or Loading) any more;
 * then a short wait for requests in flight, which a busy machine may not finish in time.
 */
async function expectTitle(page: Page, title: string | RegExp) {
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page
    .getByText(new RegExp(`^(${zhCommon.loading}|${enCommon.loading})$`))
    .first()
    .waitFor({ state: 'detached' });
  await page.waitForLoadState('networkidle', { timeout: 3_000 }).catch(() => undefined);
}

/** Checks the page with axe-core and saves a screenshot; `visited` collects the pages checked. */
async function look(page: Page, size: Size, name: string, visited: string[]) {
  await expectAccessible(page);
  await screenshot(page, `core-${size}-${name}`);
  visited.push(new URL(page.url()).pathname);
}

/**
 * Follows a navigation item: the side or header navigation at desktop width, the menu drawer
 * (behind the burger button) at phone width.
 */
async function navigate(page: Page, size: Size, lang: Lang, label: string) {
  const c = common[lang];
  if (size === 'phone') {
    await page.getByRole('button', { name: c.nav.openMenu }).click();
    const drawer = page.getByRole('dialog', { name: c.nav.menuTitle });
    await drawer.getByRole('link', { name: label, exact: true }).click();
    await drawer.waitFor({ state: 'hidden' });
  } else {
    const nav = page.getByRole('navigation', { name: c.nav.app });
    const header = page.getByRole('navigation', { name: c.nav.main });
    const inApp = nav.getByRole('link', { name: label, exact: true });
    await ((await inApp.count()) ? inApp : header.getByRole('link', { name: label, exact: true })).click();
  }
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel(zhAuth.fields.email, { exact: true }).fill(email);
  await page.getByLabel(zhAuth.fields.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: zhAuth.signIn.submit, exact: true }).click();
}

/**
 * A programme-office account: it signs up, reads its verification mail in 我的郵件 with its
 * password (no SMTP in the tests), and is verified; the administrator grants it the programme
 * office, which waits until a second administrator approves (decision 020).
 */
async function newPmo(email: string, password: string): Promise<void> {
  const visitor = new ApiClient();
  await visitor.post('/api/auth/sign-up', {
    email,
    password,
    displayName: '計畫辦公室（手機測試）',
    locale: 'zh-TW',
    noticeVersion: 1,
    consents: { programme_administration: true },
  });
  const token = linkIn(await ownMail(email, password, 'verify_email'), '/verify-email').searchParams.get(
    'token',
  );
  await visitor.post('/api/auth/verify-email', { token });
  const account = (
    await (
      await demoApi('admin')
    ).get<{ items: { id: string }[] }>(`/api/accounts?q=${encodeURIComponent(email)}`)
  ).items[0]!;
  const request = await (
    await demoApi('admin')
  ).post<{ id: string; status: string }>(`/api/accounts/${account.id}/grants`, {
    role: 'pmo',
    scopeKind: 'global',
  });
  expect(request.status).toBe('pending');
  await (await demoApi('admin2')).post(`/api/grant-requests/${request.id}/approve`);
}

async function journey(size: Size): Promise<string[]> {
  const visited: string[] = [];
  const stamp = `${size}-${Date.now().toString(36)}`;
  const newcomer = { email: `newcomer-${stamp}@example.tw`, password: `Newcomer-Password-${stamp}` };
  const options = { viewport: VIEWPORT[size] };

  // 1. A newcomer signs up.
  const visitor = await newContext(browser, size, options);
  visitor.setDefaultTimeout(STEP_MS);
  const np = await visitor.newPage();
  const pageErrors: string[] = [];
  np.on('pageerror', (e) => pageErrors.push(e.message));
  await np.goto('/');
  await expectTitle(np, zhCommon.siteName);
  await expect(np.getByTestId('demo-banner').innerText()).resolves.toBe(zhCommon.demoBanner);
  await look(np, size, '01-home', visited);
  await navigate(np, size, 'zh-TW', zhCommon.nav.signUp);
  await expectTitle(np, zhAuth.signUp.title);
  // Submitting the empty form names each missing field.
  await np.getByRole('button', { name: zhAuth.signUp.submit }).click();
  await expect(np.getByLabel(zhAuth.fields.displayName).getAttribute('aria-invalid')).resolves.toBe('true');
  await look(np, size, '02-sign-up-errors', visited);
  await np.getByLabel(zhAuth.fields.displayName).fill('新朋友');
  await np.getByLabel(zhAuth.fields.email).fill(newcomer.email);
  await np.getByLabel(zhAuth.fields.password, { exact: true }).fill(newcomer.password);
  await np.getByLabel(zhAuth.notice.consent).check();
  await np.getByRole('button', { name: zhAuth.signUp.submit }).click();
  await expectTitle(np, zhAuth.signUp.checkTitle);
  await look(np, size, '03-check-mail', visited);

  // 2. The system administrator sees the verification mail in 管理 → 郵件檢視, its link withheld.
  const adminCtx = await newContext(browser, size, options);
  adminCtx.setDefaultTimeout(STEP_MS);
  const ap = await adminCtx.newPage();
  await ap.goto('/sign-in');
  await expectTitle(ap, zhAuth.signIn.title);
  await look(ap, size, '04-sign-in', visited);
  await signIn(ap, demoEmail('admin'), DEMO_PASSWORD);
  await ap.waitForURL('**/dashboard');
  await expectTitle(ap, /./);
  await look(ap, size, '05-admin-dashboard', visited);
  await navigate(ap, size, 'zh-TW', zhCommon.nav.mail);
  await expectTitle(ap, zhAdmin.mail.title);
  const row = ap.getByRole('row').filter({ hasText: newcomer.email });
  await row.waitFor();
  await look(ap, size, '06-mail-list', visited);
  await row.getByRole('link').click();
  await ap.waitForURL('**/admin/mail/*');
  await ap.getByTestId('mail-text').waitFor();
  await expect(ap.getByTestId('mail-text').innerText()).resolves.not.toContain('token=');
  expect(await ap.getByTestId('mail-link').count()).toBe(0);
  await look(ap, size, '07-mail-detail', visited);
  await adminCtx.close();

  // 3. The newcomer opens its own mail (我的郵件) with its password, follows the link, signs in.
  await np.getByRole('link', { name: zhAuth.mailbox.demoHintLink }).click();
  await expectTitle(np, zhAuth.mailbox.title);
  await np.getByLabel(zhAuth.fields.email, { exact: true }).fill(newcomer.email);
  await np.getByLabel(zhAuth.fields.password, { exact: true }).fill(newcomer.password);
  await np.getByRole('button', { name: zhAuth.mailbox.submit }).click();
  await np.getByTestId('mailbox-link').first().waitFor();
  await look(np, size, '07b-my-mail', visited);
  const href = await np.getByTestId('mailbox-link').first().getAttribute('href');
  expect(href).toMatch(/\/verify-email\?token=/);
  await np.goto(href!);
  await expectTitle(np, zhAuth.verify.title);
  await np.getByText(zhAuth.verify.success).waitFor();
  await look(np, size, '08-verified', visited);
  await np.getByRole('link', { name: zhAuth.verify.toSignIn }).click();
  await expectTitle(np, zhAuth.signIn.title);
  await signIn(np, newcomer.email, newcomer.password);
  await np.waitForURL('**/dashboard');
  await expectTitle(np, /./);
  await expect(np.getByText('新朋友').first().isVisible()).resolves.toBe(true);
  await look(np, size, '09-newcomer-dashboard', visited);
  expect(pageErrors).toEqual([]);
  await visitor.close();

  // 4. A programme-office account (not a demo account) must set up TOTP at its first sign-in:
  //    MFA is required of programme-office staff by default, in demo mode too (issue #8 item 13).
  const pmo = { email: `pmo-${stamp}@example.tw`, password: `Pmo-Password-${stamp}` };
  await newPmo(pmo.email, pmo.password);
  const pmoCtx = await newContext(browser, size, options);
  pmoCtx.setDefaultTimeout(STEP_MS);
  const pp = await pmoCtx.newPage();
  const pmoErrors: string[] = [];
  pp.on('pageerror', (e) => pmoErrors.push(e.message));
  await pp.goto('/sign-in');
  await signIn(pp, pmo.email, pmo.password);
  await pp.waitForURL('**/sign-in/mfa');
  await expectTitle(pp, zhAuth.mfa.enrolTitle);
  await pp.getByText(zhAuth.mfa.enrolRequired).waitFor();
  await look(pp, size, '10-mfa-required', visited);
  await pp.getByRole('button', { name: zhAuth.mfa.enrolStart }).click();
  const secret = (await pp.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await pp.getByRole('img', { name: zhAuth.mfa.qrAlt }).waitFor();
  await look(pp, size, '11-mfa-enrol', visited);
  await pp.getByLabel(zhAuth.mfa.codeLabel).fill(totp(secret));
  await pp.getByRole('button', { name: zhAuth.mfa.enrolConfirm }).click();
  await pp.getByTestId('recovery-codes').waitFor();
  expect(await pp.getByTestId('recovery-codes').getByRole('listitem').count()).toBeGreaterThanOrEqual(8);
  await look(pp, size, '12-recovery-codes', visited);
  await pp.getByRole('button', { name: zhAuth.recovery.done }).click();
  await pp.waitForURL('**/dashboard');
  // The account page says MFA is on, and required for the role.
  await navigate(pp, size, 'zh-TW', zhCommon.nav.account);
  await expectTitle(pp, zhAuth.account.title);
  await expect
    .poll(() => pp.getByTestId('mfa-status').innerText(), { timeout: 10_000 })
    .toBe(zhAuth.account.mfaOn);
  await pp.getByText(zhAuth.account.mfaRequired).waitFor();
  await look(pp, size, '12b-account', visited);

  // 5. Signs out, and in again answering a TOTP code (the next step: the enrolment used this one).
  await navigate(pp, size, 'zh-TW', zhCommon.nav.signOut);
  await expectTitle(pp, zhAuth.signOut.title);
  await pp.getByText(zhAuth.signOut.done).waitFor();
  await look(pp, size, '13-signed-out', visited);
  await pp.getByRole('link', { name: zhAuth.signOut.signInAgain }).click();
  await expectTitle(pp, zhAuth.signIn.title);
  await signIn(pp, pmo.email, pmo.password);
  await pp.waitForURL('**/sign-in/mfa');
  await expectTitle(pp, zhAuth.mfa.verifyTitle);
  await look(pp, size, '14-mfa-step', visited);
  await pp.getByLabel(zhAuth.mfa.verifyCodeLabel).fill(totp(secret, 1));
  await pp.getByRole('button', { name: zhAuth.mfa.verifySubmit }).click();
  await pp.waitForURL('**/dashboard');
  await expectTitle(pp, /./);

  // 6. Switches to English and finds its own sign-in in the audit log.
  await pp.getByTestId('language-switch').click();
  await expect.poll(() => pp.locator('html').getAttribute('lang')).toBe('en');
  await pp.getByText(enCommon.demoBanner).waitFor();
  await look(pp, size, '15-dashboard-en', visited);
  await navigate(pp, size, 'en', enCommon.nav.audit);
  await expectTitle(pp, enAdmin.audit.title);
  const mine = pp.getByRole('row').filter({ hasText: pmo.email });
  await mine.filter({ hasText: 'auth.mfa_verified' }).first().waitFor();
  await expect(mine.filter({ hasText: 'auth.sign_in' }).count()).resolves.toBeGreaterThanOrEqual(2);
  await look(pp, size, '16-audit-en', visited);
  // The row opens to show where the sign-in came from.
  const signInRow = mine.filter({ hasText: 'auth.mfa_verified' }).first();
  await signInRow.getByRole('button', { name: admin.en.audit.showChanges }).click();
  await pp
    .getByText(/IP: 127\.0\.0\.1/)
    .first()
    .waitFor();
  await screenshot(pp, `core-${size}-17-audit-detail`);
  // The language is kept on the account.
  const me = await pp.evaluate(async () => (await (await fetch('/api/auth/me')).json()) as unknown);
  expect(me).toMatchObject({ account: { email: pmo.email, locale: 'en', mfaEnabled: true } });
  expect(pmoErrors).toEqual([]);
  await pmoCtx.close();
  return visited;
}

describe('platform core journey (issue #2)', () => {
  for (const size of ['desktop', 'phone'] as const) {
    it(`signs up, verifies by its own mail, signs in with MFA, English, audit log — ${size}`, async () => {
      const visited = await journey(size);
      expect(visited.length).toBeGreaterThanOrEqual(16);
    }, 300_000); // about 50 s on a quiet machine; far longer while other work shares its 2 cores
  }
});
