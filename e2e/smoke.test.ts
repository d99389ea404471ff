import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  demoApi,
  expectAccessible,
  launchBrowser,
  latestMail,
  linkIn,
  ownMail,
  newContext,
  screenshot,
} from './helpers.ts';

const WEB_INDEX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/web/dist/index.html');
const hasWeb = fs.existsSync(WEB_INDEX);

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('smoke', () => {
  it('reports health: embedded PostgreSQL, demo mode, migrated schema', async () => {
    const r = await fetch(`${baseUrl()}/api/health`);
    expect(r.status).toBe(200);
    const health = (await r.json()) as {
      status: string;
      demo: boolean;
      database: { mode: string; schemaVersion: string | null; migrationsApplied: number };
    };
    expect(health).toMatchObject({ status: 'ok', demo: true, database: { mode: 'embedded' } });
    expect(health.database.schemaVersion).toBeTruthy();
    expect(health.database.migrationsApplied).toBeGreaterThan(0);
  });

  it('signs in a demo admin through the API and reads the mail viewer', async () => {
    const admin = await demoApi('admin');
    const me = await admin.get<{ account: { email: string }; stage: string }>('/api/auth/me');
    expect(me).toMatchObject({ stage: 'signed_in', account: { email: 'admin@demo.example' } });
    // A sign-up sends a verification mail whose link points at this server (PUBLIC_URL).
    const email = `smoke-${Date.now()}@example.tw`;
    const signUp = await fetch(`${baseUrl()}/api/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email,
        password: 'Smoke-Test-Password-2026',
        displayName: '煙霧測試',
        locale: 'zh-TW',
        noticeVersion: 1,
        consents: { programme_administration: true },
      }),
    });
    expect(signUp.status, await signUp.clone().text()).toBe(201);
    // The mail viewer withholds the link (decision 020); the newcomer reads it in its own mail.
    const mail = await latestMail(admin, email);
    expect(mail.bodyText).not.toMatch(/verify-email\?token=/);
    const link = linkIn(await ownMail(email, 'Smoke-Test-Password-2026', 'verify_email'), '/verify-email');
    expect(link.origin).toBe(baseUrl());
    expect(link.searchParams.get('token')).toBeTruthy();
  });

  it('renders the API reference at /api/docs', async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/api/docs');
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 30_000 });
    await expect(page.locator('.swagger-ui .info .title').innerText()).resolves.toContain('數位人才發展平台');
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(5);
    await screenshot(page, 'api-docs-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it.skipIf(!hasWeb)('serves the web app at / in zh-TW, accessible at desktop and phone sizes', async () => {
    for (const size of ['desktop', 'phone'] as const) {
      const context = await newContext(browser, size);
      const page = await context.newPage();
      const response = await page.goto('/');
      expect(response?.status()).toBe(200);
      // Traditional Chinese for Taiwan; the web app writes it as zh-Hant-TW (BCP 47 with the script).
      expect(await page.locator('html').getAttribute('lang')).toMatch(/^zh-(Hant-)?TW$/);
      await page.waitForLoadState('networkidle');
      await page.locator('main, [role="main"]').first().waitFor({ timeout: 15_000 });
      await screenshot(page, `home-${size}`);
      await expectAccessible(page);
      // Deep links fall back to the SPA's index.html.
      const deep = await page.goto('/no-such-page-for-smoke');
      expect(deep?.status()).toBe(200);
      await context.close();
    }
  });
});
