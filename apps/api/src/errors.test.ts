import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../test/helpers.ts';

/** The error contract at the edge: every failure is an ErrorBody; a 500 never shows a database message. */
let t: TestApp;
let s: TestSession;
beforeAll(async () => {
  t = await createTestApp();
  s = await t.signInAs(await t.createAccount({ roles: ['admin'] }));
});
afterAll(async () => t?.close());

describe('error responses', () => {
  it('a database failure answers 500 INTERNAL without the database message', async () => {
    await t.db.execute(sql`alter table agencies rename to agencies_gone`);
    try {
      const res = await t.as(s, { method: 'GET', url: '/api/agencies' });
      expect(res.statusCode).toBe(500);
      const error = errorOf(res);
      expect(error).toEqual({ code: 'INTERNAL', message: 'internal error', requestId: expect.any(String) });
      expect(res.body).not.toMatch(/agencies|relation|select|postgres|drizzle/i);
    } finally {
      await t.db.execute(sql`alter table agencies_gone rename to agencies`);
    }
    expect((await t.as(s, { method: 'GET', url: '/api/agencies' })).statusCode).toBe(200);
  });

  it('malformed JSON names the body as the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({
      code: 'VALIDATION',
      fields: [{ field: '(body)', issue: 'malformed' }],
    });
  });

  it('an unknown API route answers the NOT_FOUND body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('every response carries the security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the OpenAPI document with every operation named', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.length).toBeGreaterThan(20);
    expect(ops.filter((o) => !o.operationId)).toEqual([]);
  });
});
