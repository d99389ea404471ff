import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../test/helpers.ts';

/**
 * Issue #8 item 18: responses carrying personal data had no `Cache-Control: no-store`, so a
 * shared or browser cache could keep them. Every /api response says no-store (errors too).
 */
let t: TestApp;
let pmo: TestSession;
let learner: TestSession;

beforeAll(async () => {
  t = await createTestApp();
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
  learner = await t.signInAs(await t.createAccount({ roles: ['learner'] }));
});
afterAll(async () => t?.close());

describe('Cache-Control on API responses', () => {
  it('every /api response, personal data or not, success or error, is no-store', async () => {
    const person = await t.as(pmo, { method: 'POST', url: '/api/people', payload: { name: '快取測試' } });
    expect(person.statusCode).toBe(201);
    const calls: [TestSession | null, string, string][] = [
      [pmo, 'GET', '/api/people?limit=5'],
      [pmo, 'GET', `/api/people/${person.json().id}`],
      [pmo, 'GET', '/api/auth/me'],
      [learner, 'GET', '/api/me/person'],
      [pmo, 'GET', '/api/audit?limit=5'],
      [pmo, 'GET', '/api/programme'],
      [null, 'GET', '/api/reference/counties'],
      [null, 'GET', '/api/health'],
      [null, 'GET', '/api/people'], // 401
      [learner, 'GET', '/api/people'], // 403
      [pmo, 'GET', '/api/no-such-route'], // 404
    ];
    for (const [session, method, url] of calls) {
      const res = await t.as(session, { method, url });
      expect(res.headers['cache-control'], `${method} ${url} (${res.statusCode})`).toBe('no-store');
    }
  });
});
