import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../../db/migrate.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};

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
    expect(body.database.schemaVersion).toBe(journal.entries.at(-1)!.tag);
    expect(body.database.migrationsApplied).toBe(journal.entries.length);
    expect(body.database.serverVersion).toMatch(/^\d+/);
    expect(body.demo).toBe(false);
  });
});
