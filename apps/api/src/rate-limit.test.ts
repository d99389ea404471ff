import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteOptions } from 'fastify';
import { createTestApp, errorOf, freshIp, uniqueEmail, type TestApp } from '../test/helpers.ts';
import { loadConfig } from './config.ts';

/**
 * The flood guard (decision 026): a per-address, per-minute request limit on the sign-in family of
 * routes and on every public route, in front of the sign-in back-off in PostgreSQL (decision 021).
 * The test harness raises the limits for the rest of the suite; this file asks for the defaults.
 */
describe('rate limit (flood guard)', () => {
  let t: TestApp;
  const routes: RouteOptions[] = [];
  beforeAll(async () => {
    const defaults = loadConfig({ DATA_DIR: '/tmp/unused', DEMO: 'false' });
    t = await createTestApp({
      env: {
        RATE_LIMIT_AUTH_PER_MINUTE: String(defaults.rateLimitAuthPerMinute),
        RATE_LIMIT_PUBLIC_PER_MINUTE: String(defaults.rateLimitPublicPerMinute),
      },
      onRoute: (r) => routes.push(r),
    });
  });
  afterAll(async () => t?.close());

  it('defaults to 30 a minute for the sign-in family and 300 for other public routes, in every environment', () => {
    for (const NODE_ENV of ['production', 'development', 'test']) {
      const c = loadConfig({ NODE_ENV, DEMO: 'true' });
      expect(c.rateLimitAuthPerMinute).toBe(30);
      expect(c.rateLimitPublicPerMinute).toBe(300);
    }
  });

  it('refuses the 31st sign-in attempt in a minute from one address with 429, Retry-After and RATE_LIMITED; another address is unaffected', async () => {
    const ip = freshIp();
    const attempt = (from: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: uniqueEmail('flood'), password: 'Wrong-Password-123' },
        remoteAddress: from,
      });
    for (let i = 0; i < 30; i++) expect((await attempt(ip)).statusCode).toBe(401);
    const refused = await attempt(ip);
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const err = errorOf(refused);
    expect(err).toMatchObject({ code: 'LIMIT_EXCEEDED', reason: 'RATE_LIMITED' });
    expect(err.params?.retryAfterSeconds).toBe(retryAfter);
    expect(err.requestId).toBeTruthy();
    // Another client is not held back by this one's flood.
    expect((await attempt(freshIp())).statusCode).toBe(401);
  });

  it('limits sign-up, password reset (request and confirm), resend verification and opening an unverified mailbox at 30 a minute', async () => {
    const cases: { url: string; payload: Record<string, never> }[] = [
      { url: '/api/auth/sign-up', payload: {} },
      { url: '/api/auth/password/forgot', payload: {} },
      { url: '/api/auth/password/reset', payload: {} },
      { url: '/api/auth/resend-verification', payload: {} },
      { url: '/api/mail/mine', payload: {} },
    ];
    for (const c of cases) {
      const ip = freshIp();
      for (let i = 0; i < 30; i++) {
        const res = await t.app.inject({ method: 'POST', url: c.url, payload: c.payload, remoteAddress: ip });
        expect(res.statusCode, c.url).not.toBe(429);
      }
      const refused = await t.app.inject({
        method: 'POST',
        url: c.url,
        payload: c.payload,
        remoteAddress: ip,
      });
      expect(refused.statusCode, c.url).toBe(429);
      expect(errorOf(refused).reason, c.url).toBe('RATE_LIMITED');
    }
  });

  it('refuses a public read route over its 300 a minute', async () => {
    const ip = freshIp();
    for (let i = 0; i < 300; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/health', remoteAddress: ip });
      expect(res.statusCode).toBe(200);
    }
    const refused = await t.app.inject({ method: 'GET', url: '/api/health', remoteAddress: ip });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(errorOf(refused)).toMatchObject({ code: 'LIMIT_EXCEEDED', reason: 'RATE_LIMITED' });
  });

  it('does not limit a signed-in route', async () => {
    const account = await t.createAccount();
    const session = await t.signInAs(account);
    const ip = freshIp();
    for (let i = 0; i < 350; i++) {
      const res = await t.as(session, { method: 'GET', url: '/api/auth/sessions', remoteAddress: ip });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('guards every route declared public, and no other', () => {
    const api = routes.filter((r) => r.url.startsWith('/api/') && r.config?.access);
    expect(api.length).toBeGreaterThan(20);
    for (const r of api) {
      const limited = (r.config as { rateLimit?: unknown }).rateLimit;
      if (r.config!.access === 'public') expect(limited, `${r.method} ${r.url}`).toBeTruthy();
      else expect(limited, `${r.method} ${r.url}`).toBeUndefined();
    }
  });
});
