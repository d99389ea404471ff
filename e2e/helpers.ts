import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { inject } from 'vitest';
import { HttpClient } from '../apps/api/test/http-client.ts';

export { totpNow } from '../apps/api/src/lib/totp.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');
export const DEMO_PASSWORD = 'Demo-Password-2026';
export const demoEmail = (role: string) => `${role}@demo.example`;

/** The platform the global setup started. */
export const baseUrl = (): string => inject('baseUrl');

/** The system Chromium (Debian's `chromium`), headless, without the sandbox (CI runs as root). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'zh-TW' };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-TW',
};

/** A browser context at desktop or phone size, zh-TW, with relative `page.goto` paths on the platform. */
export function newContext(
  browser: Browser,
  size: 'desktop' | 'phone' = 'desktop',
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    ...(size === 'desktop' ? DESKTOP : PHONE),
    baseURL: baseUrl(),
    timezoneId: 'Asia/Taipei',
    ...options,
  });
}

/** axe-core against WCAG 2.1 A and AA; any serious or critical violation fails with a readable list. */
export async function expectAccessible(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  // Colours are judged at rest: a dialog fading in (or a drawer fading out) blends its text with
  // what is behind it, which axe would report as low contrast.
  await page.waitForFunction(() => {
    // A function, not a string: the platform's CSP forbids eval. Typed here since e2e has no DOM lib.
    type Doc = {
      getAnimations(): { playState: string; effect: { getTiming(): { iterations?: number } } | null }[];
    };
    const doc = (globalThis as unknown as { document: Doc }).document;
    return doc
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity);
  });
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  // axe cannot run inside a frame sandboxed without scripts (the mail viewer's HTML body), and
  // @axe-core/playwright 4.13 then waits forever instead of skipping it: leave such frames out.
  builder = builder.exclude('iframe[sandbox]:not([sandbox~="allow-scripts"])');
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const result = await builder.analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length === 0) return;
  const lines = bad.flatMap((v) => [
    `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes
      .slice(0, 5)
      .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`),
    ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []),
  ]);
  throw new Error(`Accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
}

/** A full-page PNG in test-results/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export { ApiError } from '../apps/api/test/http-client.ts';

/** The API client of the platform the global setup started, with the demo password by default. */
export class ApiClient extends HttpClient {
  constructor(base = baseUrl()) {
    super(base);
  }
  override signIn(email: string, password = DEMO_PASSWORD): Promise<{ stage: string }> {
    return super.signIn(email, password);
  }
}

/** An API client signed in as a demo account (the admin by default). */
export async function demoApi(role = 'admin'): Promise<ApiClient> {
  const api = new ApiClient();
  await api.signIn(demoEmail(role));
  return api;
}

type MailSummary = { id: string; toAddress: string; subject: string; template: string; createdAt: string };
type MailDetail = MailSummary & { bodyText: string; bodyHtml: string };

/**
 * The newest mail to `to` from the mail viewer (optionally of one template), waiting for it to appear.
 * `admin` is a client signed in as an administrator; secret links in it are withheld (decision 020).
 */
export async function latestMail(
  admin: ApiClient,
  to: string,
  opts: { template?: string; timeoutMs?: number } = {},
): Promise<MailDetail> {
  const until = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const page = await admin.get<{ items: MailSummary[] }>(`/api/mail?to=${encodeURIComponent(to)}&limit=50`);
    const found = page.items
      .filter((m) => !opts.template || m.template === opts.template)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (found) return admin.get<MailDetail>(`/api/mail/${found.id}`);
    if (Date.now() > until) throw new Error(`No mail to ${to}${opts.template ? ` (${opts.template})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The newest mail of one template in the recipient's own mailbox (我的郵件), opened without a
 * session by a not-yet-verified account's e-mail and password (decision 020), waiting for it.
 */
export async function ownMail(
  email: string,
  password: string,
  template: string,
  timeoutMs = 10_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const box = await new ApiClient().post<{ items: MailDetail[] }>('/api/mail/mine', { email, password });
    const found = box.items.find((m) => m.template === template);
    if (found) return found.bodyText;
    if (Date.now() > until) throw new Error(`No ${template} mail for ${email}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first link in a mail body that goes to `pathname` (e.g. `/verify-email`), as a URL. */
export function linkIn(bodyText: string, pathname: string): URL {
  for (const m of bodyText.matchAll(/https?:\/\/[^\s<>"')]+/g)) {
    const url = new URL(m[0]);
    if (url.pathname === pathname) return url;
  }
  throw new Error(`No ${pathname} link in:\n${bodyText}`);
}

/** Follows a link of the main navigation: the side menu on a desktop, the drawer on a phone. */
export async function openNav(page: Page, size: 'desktop' | 'phone', name: string): Promise<void> {
  if (size === 'phone') {
    await page.getByRole('button', { name: '開啟選單' }).click();
    await page.getByRole('dialog').getByRole('link', { name, exact: true }).click();
  } else {
    await page.getByRole('navigation', { name: '功能選單' }).getByRole('link', { name, exact: true }).click();
  }
}
