import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  errorOf,
  type TestApp,
  type TestSession,
  type TestAccount,
} from '../../../test/helpers.ts';

let t: TestApp;
let admin: TestAccount;
let s: TestSession;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAccount({ roles: ['admin'] });
  s = await t.signInAs(admin);
});
afterAll(async () => t?.close());

describe('settings', () => {
  it('lists every setting with its default until one is stored', async () => {
    const res = await t.as(s, { method: 'GET', url: '/api/settings' });
    expect(res.statusCode).toBe(200);
    const byKey = Object.fromEntries((res.json() as { key: string }[]).map((r) => [r.key, r]));
    expect(byKey['auth.mfaRequiredRoles']).toEqual({
      key: 'auth.mfaRequiredRoles',
      value: ['admin', 'pmo', 'agency'],
      updatedAt: null,
    });
    expect(byKey['auth.signInLockout']).toEqual({
      key: 'auth.signInLockout',
      value: { maxFailures: 5, lockMinutes: 15 },
      updatedAt: null,
    });
  });

  it('updates a setting, audited with before and after in the same transaction', async () => {
    const res = await t.as(s, {
      method: 'PUT',
      url: '/api/settings/auth.signInLockout',
      payload: { value: { maxFailures: 8, lockMinutes: 30 } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      key: 'auth.signInLockout',
      value: { maxFailures: 8, lockMinutes: 30 },
    });
    const [audit] = await t.auditRows({ action: 'setting.update', targetId: 'auth.signInLockout' });
    expect(audit).toMatchObject({
      actorAccountId: admin.id,
      grantId: admin.grants[0]!.id,
      targetType: 'setting',
      before: { maxFailures: 5, lockMinutes: 15 },
      after: { maxFailures: 8, lockMinutes: 30 },
    });
    const list = (await t.as(s, { method: 'GET', url: '/api/settings' })).json() as {
      key: string;
      value: unknown;
      updatedAt: string | null;
    }[];
    const row = list.find((r) => r.key === 'auth.signInLockout')!;
    expect(row.value).toEqual({ maxFailures: 8, lockMinutes: 30 });
    expect(row.updatedAt).not.toBeNull();

    // A second change records the first as its `before`.
    await t.as(s, {
      method: 'PUT',
      url: '/api/settings/auth.signInLockout',
      payload: { value: { maxFailures: 5, lockMinutes: 15 } },
    });
    const rows = await t.auditRows({ action: 'setting.update', targetId: 'auth.signInLockout' });
    expect(rows.at(-1)!.before).toEqual({ maxFailures: 8, lockMinutes: 30 });
  });

  it('names the bad parts of a value', async () => {
    const res = await t.as(s, {
      method: 'PUT',
      url: '/api/settings/auth.signInLockout',
      payload: { value: { maxFailures: 0, lockMinutes: 'ten' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toEqual(
      expect.arrayContaining([
        { field: 'value.maxFailures', issue: 'too_small', params: { min: 1 } },
        expect.objectContaining({ field: 'value.lockMinutes', issue: 'invalid_type' }),
      ]),
    );
    const roles = await t.as(s, {
      method: 'PUT',
      url: '/api/settings/auth.mfaRequiredRoles',
      payload: { value: ['pmo', 'king'] },
    });
    expect(errorOf(roles).fields).toEqual([
      expect.objectContaining({ field: 'value.1', issue: 'invalid_value' }),
    ]);
    // Nothing was stored or audited.
    expect(await t.auditRows({ action: 'setting.update', targetId: 'auth.mfaRequiredRoles' })).toEqual([]);
  });

  it('answers 404 for an unknown key', async () => {
    const res = await t.as(s, { method: 'PUT', url: '/api/settings/no.such.key', payload: { value: 1 } });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
    // A key longer than Fastify's maxParamLength (100) is refused by the router before validation.
    const long = await t.as(s, {
      method: 'PUT',
      url: `/api/settings/${'k'.repeat(101)}`,
      payload: { value: 1 },
    });
    expect(long.statusCode).toBe(414);
  });
});
