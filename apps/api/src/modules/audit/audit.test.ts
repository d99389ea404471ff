import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { newId } from '../../lib/ids.ts';
import { auditLog } from '../../db/schema/index.ts';
import {
  createTestApp,
  errorOf,
  SIGN_UP_CONSENTS,
  type TestApp,
  type TestSession,
} from '../../../test/helpers.ts';

let t: TestApp;
let s: TestSession;
let adminId: string;
beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.createAccount({ roles: ['admin'] });
  adminId = admin.id;
  s = await t.signInAs(admin);
});
afterAll(async () => t?.close());

type Entry = { id: string; at: string; action: string; targetId: string | null; actorEmail: string | null };
const list = async (query: string) => {
  const res = await t.as(s, { method: 'GET', url: `/api/audit?${query}` });
  expect(res.statusCode).toBe(200);
  return res.json() as { items: Entry[]; nextCursor: string | null; total: number; totalCapped: boolean };
};

/** Audit rows written directly, at chosen instants. */
async function seed(target: string, ats: string[], action = 'test.event') {
  const ids: string[] = [];
  for (const at of ats) {
    const id = newId();
    ids.push(id);
    await t.db.insert(auditLog).values({
      id,
      at: new Date(at),
      action,
      targetType: 'test',
      targetId: target,
      actorAccountId: adminId,
    });
  }
  return ids;
}

describe('audit log', () => {
  it('filters by action prefix, target and actor, with the actor e-mail joined', async () => {
    const target = newId();
    await seed(target, ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'], 'test.alpha');
    await seed(target, ['2026-01-03T00:00:00Z'], 'test.beta');
    const all = await list(`targetId=${target}`);
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.action)).toEqual(['test.beta', 'test.alpha', 'test.alpha']);
    expect(all.items[0]!.actorEmail).toMatch(/@example\.com$/);
    expect((await list(`targetId=${target}&action=test.al`)).total).toBe(2);
    expect((await list(`targetId=${target}&targetType=test&actorAccountId=${adminId}`)).total).toBe(3);
    expect((await list(`targetId=${target}&actorAccountId=${newId()}`)).total).toBe(0);
    // LIKE wildcards in the action filter are literal.
    expect((await list(`targetId=${target}&action=test._lpha`)).total).toBe(0);
  });

  it('filters by Asia/Taipei calendar days', async () => {
    const target = newId();
    // 2026-02-01 in Taipei runs from 2026-01-31T16:00Z to 2026-02-01T16:00Z.
    await seed(target, [
      '2026-01-31T15:59:59Z',
      '2026-01-31T16:00:00Z',
      '2026-02-01T15:59:59Z',
      '2026-02-01T16:00:00Z',
    ]);
    const day = await list(`targetId=${target}&from=2026-02-01&to=2026-02-01`);
    expect(day.items.map((i) => i.at)).toEqual([
      '2026-02-01T15:59:59.000000Z',
      '2026-01-31T16:00:00.000000Z',
    ]);
  });

  it('pages with a keyset cursor, newest first, each row once, even with equal instants', async () => {
    const target = newId();
    const same = '2026-03-01T00:00:00Z';
    const ids = await seed(target, [same, same, same, '2026-03-02T00:00:00Z', '2026-02-28T00:00:00Z']);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`targetId=${target}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(5);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect(seen[0]).toBe(ids[3]);
    expect(seen.at(-1)).toBe(ids[4]);
    // Equal instants come in descending id order.
    expect(seen.slice(1, 4)).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('names bad query fields and a bad cursor', async () => {
    const res = await t.as(s, {
      method: 'GET',
      url: '/api/audit?from=2026-13-01&limit=500&actorAccountId=me',
    });
    expect(res.statusCode).toBe(400);
    expect(
      errorOf(res)
        .fields!.map((f) => f.field)
        .sort(),
    ).toEqual(['querystring.actorAccountId', 'querystring.from', 'querystring.limit']);
    const bad = await t.as(s, { method: 'GET', url: '/api/audit?cursor=abc' });
    expect(errorOf(bad).fields).toEqual([{ field: 'cursor', issue: 'invalid_format' }]);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE raise', async () => {
    const [id] = await seed(newId(), ['2026-04-01T00:00:00Z']);
    await expect(t.db.execute(sql`update audit_log set action = 'x' where id = ${id}`)).rejects.toMatchObject(
      {
        cause: expect.objectContaining({ message: expect.stringContaining('append-only') }),
      },
    );
    await expect(t.db.execute(sql`delete from audit_log where id = ${id}`)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringContaining('append-only') }),
    });
    await expect(t.db.execute(sql`truncate audit_log`)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringContaining('append-only') }),
    });
    const [row] = (
      await t.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where id = ${id}`)
    ).rows;
    expect(row!.n).toBe(1);
  });

  it('keeps personal data masked and secrets out of every row written through the API', async () => {
    const email = `masked.${Date.now()}@example.com`;
    await t.as(s, { method: 'POST', url: '/api/accounts', payload: { email, displayName: '李大華' } });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: {
        email: `x${email}`,
        password: 'Secret-Password-12345',
        displayName: 'Jane Doe',
        ...SIGN_UP_CONSENTS,
      },
    });
    const rows = await t.auditRows();
    const text = JSON.stringify(rows);
    expect(text).not.toContain(email);
    expect(text).not.toContain('李大華');
    expect(text).not.toContain('Jane Doe');
    expect(text).not.toContain('Secret-Password-12345');
    expect(text).not.toMatch(/\$argon2/);
    expect(text).toContain('m***@example.com');
    expect(text).toContain('李○華');
    expect(text).toContain('J*** D**');
  });

  it('is written in the same transaction as the change: when it fails, the change is undone', async () => {
    const a = await t.createAccount({ roles: ['learner'], displayName: '原名' });
    const session = await t.signInAs(a);
    await t.db.execute(sql`
      create function refuse_update_self() returns trigger language plpgsql as $$
      begin
        if new.action = 'account.update_self' then raise exception 'audit refused'; end if;
        return new;
      end $$`);
    await t.db.execute(sql`
      create trigger refuse_update_self before insert on audit_log
      for each row execute function refuse_update_self()`);
    try {
      const res = await t.as(session, {
        method: 'PATCH',
        url: '/api/auth/me',
        payload: { displayName: '新名' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('audit refused');
    } finally {
      await t.db.execute(sql`drop trigger refuse_update_self on audit_log`);
      await t.db.execute(sql`drop function refuse_update_self()`);
    }
    const me = await t.as(session, { method: 'GET', url: '/api/auth/me' });
    expect(me.json().account.displayName).toBe('原名');
  });
});
