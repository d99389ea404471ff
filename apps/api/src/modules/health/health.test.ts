import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('GET /api/health', () => {
  it('reports the database mode and the schema version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.database.mode).toBe(inject('pgMode'));
    expect(body.database.schemaVersion).toBe('0000_core');
    expect(body.database.migrationsApplied).toBeGreaterThanOrEqual(1);
    expect(body.database.serverVersion).toMatch(/^\d+/);
    expect(body.demo).toBe(false);
  });
});
