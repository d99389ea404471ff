import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { serverText } from '../../lib/i18n.ts';
import {
  createTestApp,
  errorOf,
  freshIp,
  SIGN_UP_CONSENTS,
  TEST_PASSWORD,
  tokenFromMail,
  uniqueEmail,
  type TestApp,
  type TestSession,
} from '../../../test/helpers.ts';
import { backoffSeconds, createOutboxService, enqueueEmail, renderEmail } from './index.ts';
import { claimDue, markSent } from './outbox.repository.ts';

let t: TestApp;
let s: TestSession;
beforeAll(async () => {
  t = await createTestApp();
  s = await t.signInAs(await t.createAccount({ roles: ['admin'] }));
});
afterAll(async () => t?.close());

const enqueue = (to = uniqueEmail('mail'), locale: 'zh-TW' | 'en' = 'zh-TW') =>
  enqueueEmail(t.db, {
    to,
    locale,
    template: 'password_changed',
    params: { name: '王小明', at: '2026-01-01T00:00:00Z', url: 'http://localhost:3000/secret-link' },
  });
const rowsOf = (ids: string[]) => t.db.select().from(outbox).where(inArray(outbox.id, ids));
/** Nothing else due: messages of earlier tests are delivered first. */
const drain = async () => {
  while ((await t.app.services.outbox.deliverDue(100)) > 0);
};

describe('outbox', () => {
  it('renders in the recipient language and keeps the link only in the body', async () => {
    const to = uniqueEmail('render');
    const id = await enqueue(to, 'en');
    const [row] = await rowsOf([id]);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, locale: 'en', toAddress: to });
    expect(row!.params).toEqual({ name: '王小明', at: '2026-01-01T00:00:00Z' });
    expect(row!.bodyText).toContain('http://localhost:3000/secret-link');
    const zh = renderEmail('zh-TW', 'password_changed', { name: 'x', url: 'u' });
    expect(row!.subject).not.toBe(zh.subject);
    // HTML escapes what it interpolates.
    const html = renderEmail('en', 'verify_email', { name: '<b>', url: 'http://x/?a=1&b="2"' }).html;
    expect(html).toContain('http://x/?a=1&amp;b=&quot;2&quot;');
  });

  it('without SMTP, deliverDue marks messages captured', async () => {
    await drain();
    const ids = [await enqueue(), await enqueue()];
    expect(await t.app.services.outbox.deliverDue()).toBe(2);
    const rows = await rowsOf(ids);
    for (const r of rows) {
      expect(r.status).toBe('captured');
      expect(r.attempts).toBe(1);
      expect(r.sentAt).not.toBeNull();
      expect(r.lockedUntil).toBeNull();
    }
    expect(await t.app.services.outbox.deliverDue()).toBe(0);
  });

  it('two concurrent deliverDue calls never claim the same message', async () => {
    await drain();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await enqueue());
    const counts = await Promise.all([
      t.app.services.outbox.deliverDue(20),
      t.app.services.outbox.deliverDue(20),
      t.app.services.outbox.deliverDue(20),
    ]);
    const rest = await t.app.services.outbox.deliverDue(100);
    expect(counts.reduce((a, b) => a + b, 0) + rest).toBe(30);
    for (const r of await rowsOf(ids)) {
      expect(r.status).toBe('captured');
      expect(r.attempts).toBe(1);
    }
  });

  it('a claim holds its rows: a second claimer skips them without waiting (SKIP LOCKED)', async () => {
    await drain();
    const ids = [await enqueue(), await enqueue(), await enqueue()];
    await t.db.transaction(async (tx) => {
      const first = await claimDue(tx, 2, 120);
      expect(first).toHaveLength(2);
      // Another connection, while the first transaction still holds its rows.
      const second = await claimDue(t.db, 10, 120);
      expect(second.map((m) => m.id)).toEqual(ids.filter((id) => !first.some((m) => m.id === id)));
    });
    // A lapsed lease is claimed again.
    await t.db
      .update(outbox)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(outbox.id, ids[0]!));
    const again = await claimDue(t.db, 10, 120);
    expect(again.map((m) => m.id)).toEqual([ids[0]]);
    expect(again[0]!.attempts).toBe(2);
  });

  it('backs off exponentially, capped at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(backoffSeconds)).toEqual([
      30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
    expect(backoffSeconds(0)).toBe(30);
  });

  it('on SMTP failure records the error and retries later; gives up after the last attempt', async () => {
    await drain();
    const failing = createOutboxService({
      config: { ...t.config, smtpUrl: 'smtp://127.0.0.1:1' },
      database: t.database,
      keys: t.keys,
      now: t.clock.now,
    });
    const id = await enqueue();
    expect(await failing.deliverDue()).toBe(1);
    const [row] = (
      await t.db.execute<{ status: string; attempts: number; last_error: string; wait: number }>(
        sql`select status, attempts, last_error, extract(epoch from next_attempt_at - now())::int as wait from outbox where id = ${id}`,
      )
    ).rows;
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(row!.wait).toBeGreaterThan(25);
    expect(row!.wait).toBeLessThanOrEqual(30);
    // Not due yet.
    expect(await failing.deliverDue()).toBe(0);

    // The last allowed attempt fails: the message is dead.
    await t.db
      .update(outbox)
      .set({ attempts: 7, nextAttemptAt: sql`now()` })
      .where(eq(outbox.id, id));
    expect(await failing.deliverDue()).toBe(1);
    const [dead] = await rowsOf([id]);
    expect(dead).toMatchObject({ status: 'dead', attempts: 8 });
    expect(await failing.deliverDue()).toBe(0);
  });
});

describe('mail viewer', () => {
  it('lists messages newest first with filters and paging, and shows one with its bodies', async () => {
    const to = uniqueEmail('viewer');
    const ids = [await enqueue(to), await enqueue(to), await enqueue(to)];
    const res = await t.as(s, { method: 'GET', url: `/api/mail?to=${encodeURIComponent(to)}&limit=2` });
    expect(res.statusCode).toBe(200);
    const p1 = res.json();
    expect(p1.total).toBe(3);
    expect(p1.items.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    expect(p1.items[0]).toMatchObject({ toAddress: to, template: 'password_changed', status: 'pending' });
    expect(p1.items[0]).not.toHaveProperty('bodyText');
    const p2 = (
      await t.as(s, {
        method: 'GET',
        url: `/api/mail?to=${encodeURIComponent(to)}&limit=2&cursor=${p1.nextCursor}`,
      })
    ).json();
    expect(p2.items.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
    expect(p2.nextCursor).toBeNull();

    await drain();
    const captured = (
      await t.as(s, { method: 'GET', url: `/api/mail?to=${encodeURIComponent(to)}&status=captured` })
    ).json();
    expect(captured.total).toBe(3);

    const one = await t.as(s, { method: 'GET', url: `/api/mail/${ids[0]}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: ids[0], status: 'captured' });
    expect(one.json().bodyText).toContain('secret-link');
    expect(one.json().bodyHtml).toContain('<html');
  });

  it('names bad query fields; an unknown message is not found', async () => {
    const bad = await t.as(s, { method: 'GET', url: '/api/mail?status=lost&limit=0' });
    expect(bad.statusCode).toBe(400);
    expect(
      errorOf(bad)
        .fields!.map((f) => f.field)
        .sort(),
    ).toEqual(['querystring.limit', 'querystring.status']);
    expect((await t.as(s, { method: 'GET', url: `/api/mail/${newId()}` })).statusCode).toBe(404);
    const badId = await t.as(s, { method: 'GET', url: '/api/mail/abc' });
    expect(errorOf(badId).fields).toEqual([expect.objectContaining({ field: 'params.id' })]);
  });
});

describe('secret links are for the recipient only (issue #8)', () => {
  const forgot = (email: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/password/forgot',
      payload: { email },
      remoteAddress: freshIp(),
    });
  const mailbox = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/mail/mine',
      payload: { email, password },
      remoteAddress: freshIp(),
    });

  it('the administrator reads a reset mail in the mail viewer without its live link', async () => {
    const pmo = await t.createAccount({ roles: ['pmo'], password: TEST_PASSWORD });
    expect((await forgot(pmo.email)).statusCode).toBe(200);
    const token = await tokenFromMail(t, pmo.email, '/reset-password');
    for (const pass of ['pending', 'captured']) {
      if (pass === 'captured') await drain();
      const list = (
        await t.as(s, { method: 'GET', url: `/api/mail?to=${encodeURIComponent(pmo.email)}` })
      ).json();
      const one = (await t.as(s, { method: 'GET', url: `/api/mail/${list.items[0].id}` })).json();
      expect(one.template).toBe('reset_password');
      for (const body of [one.bodyText, one.bodyHtml]) {
        expect(body).not.toContain(token);
        expect(body).not.toContain(encodeURIComponent(token));
        expect(body).not.toMatch(/reset-password\?token=/);
      }
      expect(one.bodyText).toContain(serverText('zh-TW', 'email.linkWithheld', {}));
    }
  });

  it('no column of any table holds a reset token in clear once the mail is delivered', async () => {
    const a = await t.createAccount({ password: TEST_PASSWORD });
    await forgot(a.email);
    const token = await tokenFromMail(t, a.email, '/reset-password');
    await drain();
    const tables = (
      await t.db.execute<{ name: string }>(
        sql`select quote_ident(table_name) as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      )
    ).rows.map((r) => r.name);
    expect(tables).toContain('outbox');
    const holding: string[] = [];
    for (const name of tables) {
      const r = await t.db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${sql.raw(name)} x where strpos(x::text, ${token}) > 0 or strpos(x::text, ${encodeURIComponent(token)}) > 0`,
      );
      if (r.rows[0]!.n > 0) holding.push(name);
    }
    expect(holding).toEqual([]);
  });

  it('the signed-in recipient reads its own mail with the live link; others see none of it', async () => {
    const a = await t.createAccount({ password: TEST_PASSWORD });
    const other = await t.signInAs(await t.createAccount());
    await forgot(a.email);
    await drain();
    const token = await tokenFromMail(t, a.email, '/reset-password');
    const mine = await t.as(await t.signInAs(a), { method: 'GET', url: '/api/mail/mine' });
    expect(mine.statusCode).toBe(200);
    const [mail] = mine.json().items;
    expect(mail).toMatchObject({ toAddress: a.email, template: 'reset_password', status: 'captured' });
    expect(mail.bodyText).toContain(`/reset-password?token=${encodeURIComponent(token)}`);
    expect(mail.bodyHtml).toContain(encodeURIComponent(token));
    const theirs = (await t.as(other, { method: 'GET', url: '/api/mail/mine' })).json();
    expect(JSON.stringify(theirs)).not.toContain(token);
    expect((await t.app.inject({ method: 'GET', url: '/api/mail/mine' })).statusCode).toBe(401);
  });

  it('a newcomer not yet verified reads its mail with its password; a wrong one counts as a failed sign-in', async () => {
    const email = uniqueEmail('newcomer');
    const password = 'Newcomer-Password-2026';
    const signUp = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: { email, password, displayName: '新朋友', locale: 'zh-TW', ...SIGN_UP_CONSENTS },
      remoteAddress: freshIp(),
    });
    expect(signUp.statusCode).toBe(201);
    await drain();
    const token = await tokenFromMail(t, email, '/verify-email');
    const ok = await mailbox(email.toUpperCase(), password);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items[0].bodyText).toContain(`/verify-email?token=${encodeURIComponent(token)}`);

    const wrong = await mailbox(email, 'Wrong-Password-2026');
    expect(wrong.statusCode).toBe(401);
    expect(errorOf(wrong).reason).toBe('INVALID_CREDENTIALS');
    expect(JSON.stringify(wrong.json())).not.toContain(token);
    const [failed] = await t.auditRows({ action: 'auth.sign_in_failed' });
    expect(failed).toBeDefined();
    const unknown = await mailbox(uniqueEmail('ghost'), password);
    expect(errorOf(unknown).reason).toBe('INVALID_CREDENTIALS');
    const bad = await mailbox('not-an-email', '');
    expect(bad.statusCode).toBe(400);
    expect(
      errorOf(bad)
        .fields!.map((f) => f.field)
        .sort(),
    ).toEqual(['email', 'password']);
  });

  it('with SMTP the password mailbox is closed (the mail goes out instead)', async () => {
    const smtp = await createTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
    try {
      const a = await smtp.createAccount({ password: TEST_PASSWORD });
      const res = await smtp.app.inject({
        method: 'POST',
        url: '/api/mail/mine',
        payload: { email: a.email, password: TEST_PASSWORD },
      });
      expect(errorOf(res).reason).toBe('MAILBOX_UNAVAILABLE');
    } finally {
      await smtp.close();
    }
  });

  it('a captured link is erased after a week; the recipient then reads the placeholder', async () => {
    const a = await t.createAccount({ password: TEST_PASSWORD });
    await forgot(a.email);
    await drain();
    const [row] = await t.outboxRows(a.email);
    expect(row!.secretEnc).toBeTruthy();
    await t.db
      .update(outbox)
      .set({ sentAt: sql`now() - interval '8 days'` })
      .where(eq(outbox.id, row!.id));
    await drain();
    const [after] = await t.outboxRows(a.email);
    expect(after).toMatchObject({ secretEnc: null, secretKeyId: null });
    const [mail] = (await t.as(await t.signInAs(a), { method: 'GET', url: '/api/mail/mine' })).json().items;
    expect(mail.bodyText).not.toMatch(/token=/);
  });
});

describe('a secret link handed to SMTP', () => {
  it('is erased from the row when the message is sent', async () => {
    const a = await t.createAccount({ password: TEST_PASSWORD });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/password/forgot',
      payload: { email: a.email },
      remoteAddress: freshIp(),
    });
    const [row] = await t.outboxRows(a.email);
    expect(row!.secretEnc).toBeTruthy();
    await markSent(t.db, row!.id, 'sent');
    const [sent] = await t.outboxRows(a.email);
    expect(sent).toMatchObject({ status: 'sent', secretEnc: null, secretKeyId: null });
  });
});
