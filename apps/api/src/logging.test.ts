import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/helpers.ts';
import { redactUrl } from './app.ts';

/**
 * Issue #8 item 8: searching people by ID wrote it in the request log in clear
 * (`"url":"/api/people?q=A123456789"`). Query-string values are redacted in the log except an
 * allow-list of harmless keys.
 */
let t: TestApp;
let logged = '';
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logged += chunk.toString();
    done();
  },
});

beforeAll(async () => {
  t = await createTestApp({ logStream: sink, env: { LOG_LEVEL: 'info' } });
});
afterAll(async () => t?.close());

describe('the request log', () => {
  it('does not carry a national ID searched for, nor other query values; harmless keys stay', async () => {
    const pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
    const id = 'A123456789';
    logged = '';
    const res = await t.as(pmo, { method: 'GET', url: `/api/people?q=${id}&limit=5&sort=name` });
    expect(res.statusCode).toBe(200);
    await t.as(pmo, { method: 'GET', url: `/api/people?q=${encodeURIComponent('王小明')}&limit=5` });
    expect(logged).toContain('"url":"/api/people?q=[redacted]&limit=5&sort=name"');
    expect(logged).not.toContain(id);
    expect(logged).not.toContain('王小明');
    expect(logged).not.toContain(encodeURIComponent('王小明'));
  });

  it('redacts every value outside the allow-list, however it is spelt', () => {
    expect(redactUrl('/api/people?q=A123456789')).toBe('/api/people?q=[redacted]');
    expect(redactUrl('/api/people?Q=A123456789&limit=5')).toBe('/api/people?Q=[redacted]&limit=5');
    expect(redactUrl('/api/people?q')).toBe('/api/people?q');
    expect(redactUrl('/api/x?cursor=abc&format=csv&year=2026')).toBe(
      '/api/x?cursor=[redacted]&format=csv&year=2026',
    );
    expect(redactUrl('/api/x?limit=A123456789')).toBe('/api/x?limit=[redacted]');
    expect(redactUrl('/api/people')).toBe('/api/people');
  });
});
