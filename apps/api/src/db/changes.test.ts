import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../test/helpers.ts';
import { ChangeCache, type ChangeFeed } from './changes.ts';
import { statementEffect } from './client.ts';

/** Caches kept by the change feed (decision 014): never a value a committed write has made wrong. */
describe('statementEffect', () => {
  it('tells reads, single-table writes, transaction control and anything else apart', () => {
    expect(statementEffect('select * from "persons" where id = $1')).toBe('read');
    expect(statementEffect('  SELECT 1')).toBe('read');
    expect(statementEffect('select id from persons for update')).toBe('read');
    expect(statementEffect('rollback to savepoint sp1')).toBe('read');
    expect(statementEffect('insert into "persons" ("id") values ($1)')).toEqual({ table: 'persons' });
    expect(statementEffect('update "auth_sessions" set "last_seen_at" = $1')).toEqual({
      table: 'auth_sessions',
    });
    expect(statementEffect('DELETE FROM public.grants WHERE id = $1')).toEqual({ table: 'grants' });
    expect(statementEffect('begin')).toBe('begin');
    expect(statementEffect('begin isolation level serializable')).toBe('begin');
    expect(statementEffect('commit')).toBe('commit');
    expect(statementEffect('rollback')).toBe('rollback');
    expect(
      statementEffect('with moved as (update persons set name = $1 returning id) select * from moved'),
    ).toBe('unknown');
    expect(statementEffect('truncate persons')).toBe('unknown');
  });
});

describe('ChangeCache', () => {
  /** A feed whose versions the test moves by hand (the cache's own logic, without a server). */
  const handFeed = () => {
    let v = 1;
    let listening = true;
    const feed: ChangeFeed & { bump(): void; deaf(on: boolean): void } = {
      version: () => (listening ? v : null),
      changed: () => void v++,
      get listening() {
        return listening;
      },
      start: async () => {},
      stop: async () => {},
      bump: () => void v++,
      deaf: (on) => void (listening = !on),
    };
    return feed;
  };

  it('keeps a value until its tables change, and never keeps one read while they changed', async () => {
    const feed = handFeed();
    const cache = new ChangeCache<number>(feed);
    let reads = 0;
    const load = async () => ++reads;
    expect(await cache.get('k', ['t'], load)).toBe(1);
    expect(await cache.get('k', ['t'], load)).toBe(1);
    feed.bump();
    expect(await cache.get('k', ['t'], load)).toBe(2);
    // A change lands while the value is being read: it is returned, not kept.
    feed.bump();
    expect(await cache.get('k', ['t'], async () => (feed.bump(), ++reads))).toBe(3);
    expect(await cache.get('k', ['t'], load)).toBe(4);
    expect(await cache.get('k', ['t'], load)).toBe(4);
  });

  it('reads every time while the feed is not listening, and forgets the oldest past its size', async () => {
    const feed = handFeed();
    const cache = new ChangeCache<number>(feed, 2);
    let reads = 0;
    const load = async () => ++reads;
    feed.deaf(true);
    expect(await cache.get('k', ['t'], load)).toBe(1);
    expect(await cache.get('k', ['t'], load)).toBe(2);
    feed.deaf(false);
    await cache.get('a', ['t'], load); // 3
    await cache.get('b', ['t'], load); // 4
    await cache.get('c', ['t'], load); // 5: 'a' goes
    expect(await cache.get('b', ['t'], load)).toBe(4);
    expect(await cache.get('a', ['t'], load)).toBe(6);
  });
});

describe('the change feed against a real server', () => {
  let t: TestApp;
  let pmo: TestSession;
  /** Another process's connection: its writes reach this app only by NOTIFY. */
  let other: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
    other = new pg.Client({ connectionString: t.database.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await t?.close();
  });

  const total = async () => {
    const res = await t.as(pmo, { method: 'GET', url: '/api/people?limit=1' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().total as number;
  };
  const until = async (what: () => Promise<boolean>) => {
    const deadline = Date.now() + 5000;
    while (!(await what())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const addPerson = (name: string) => sql`insert into persons (id, name) values (gen_random_uuid(), ${name})`;

  it('a write this process commits is seen by its very next read', async () => {
    expect(t.database.changes.listening).toBe(true);
    const before = await total();
    expect(await total()).toBe(before); // now cached
    await t.db.execute(addPerson('本程序新增'));
    expect(await total()).toBe(before + 1);
    await t.db.transaction(async (tx) => {
      await tx.execute(addPerson('交易內新增一'));
      await tx.execute(addPerson('交易內新增二'));
    });
    expect(await total()).toBe(before + 3);
    // A rolled-back write changes nothing, and the total stays right.
    await t.db
      .transaction(async (tx) => {
        await tx.execute(addPerson('復原'));
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await total()).toBe(before + 3);
  });

  it("another process's write reaches the cache by NOTIFY when it commits", async () => {
    const before = await total();
    await other.query('begin');
    await other.query(`insert into persons (id, name) values (gen_random_uuid(), '他處新增')`);
    expect(await total()).toBe(before); // not committed: not visible, and nothing to hear
    await other.query('commit');
    await until(async () => (await total()) === before + 1);
  });

  it('a session revoked elsewhere stops working; one revoked here stops at once', async () => {
    const a = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
    const b = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
    const me = (s: TestSession) => t.as(s, { method: 'GET', url: '/api/auth/me' });
    expect((await me(a)).statusCode).toBe(200);
    expect((await me(b)).statusCode).toBe(200);
    await other.query(`update auth_sessions set revoked_at = now() where id = $1`, [a.sessionId]);
    await until(async () => (await me(a)).statusCode === 401);
    await t.db.execute(sql`update auth_sessions set revoked_at = now() where id = ${b.sessionId}`);
    expect((await me(b)).statusCode).toBe(401);
  });

  it('reads the database while the listener is down, and trusts nothing heard before it returns', async () => {
    const before = await total();
    await other.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'digital-talent-platform:changes' and datname = current_database()`,
    );
    await until(async () => !t.database.changes.listening);
    await other.query(`insert into persons (id, name) values (gen_random_uuid(), '斷線時新增')`);
    expect(await total()).toBe(before + 1); // straight from the database
    await until(async () => t.database.changes.listening);
    expect(await total()).toBe(before + 1);
    await other.query(`insert into persons (id, name) values (gen_random_uuid(), '重新連上後新增')`);
    await until(async () => (await total()) === before + 2);
  });
});

describe('CHANGE_FEED=false', () => {
  it('never listens, so every total comes from the database', async () => {
    const t = await createTestApp({ env: { CHANGE_FEED: 'false' } });
    const other = new pg.Client({ connectionString: t.database.url });
    await other.connect();
    try {
      expect(t.database.changes.listening).toBe(false);
      const pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
      const total = async () => (await t.as(pmo, { method: 'GET', url: '/api/people?limit=1' })).json().total;
      const before = await total();
      await other.query(`insert into persons (id, name) values (gen_random_uuid(), '無快取')`);
      expect(await total()).toBe(before + 1);
    } finally {
      await other.end();
      await t.close();
    }
  });
});
