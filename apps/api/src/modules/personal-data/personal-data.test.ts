import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { accounts, enterprisePeople, enterprises, persons } from '../../db/schema/index.ts';
import { formatDate } from '@dtp/contracts';
import { newId } from '../../lib/ids.ts';
import {
  createTestApp,
  errorOf,
  signInViaApi,
  TEST_PASSWORD,
  type TestAccount,
  type TestApp,
  type TestSession,
} from '../../../test/helpers.ts';

const DAY = 86_400_000;
let t: TestApp;
let pmoAccount: TestAccount;
let agencyA: TestSession;

beforeAll(async () => {
  t = await createTestApp();
  pmoAccount = await t.createAccount({ roles: ['pmo'] });
  agencyA = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency' }] }));
});
afterAll(async () => t?.close());

/** Sessions expire when the clock moves: sign in afresh for each call. */
const as = async (who: TestAccount, method: string, url: string, payload?: unknown) =>
  t.as(await t.signInAs(who), { method, url, ...(payload === undefined ? {} : { payload }) });
const pmo = (method: string, url: string, payload?: unknown) => as(pmoAccount, method, url, payload);

async function learner(
  displayName = '何學員',
  locale: 'zh-TW' | 'en' = 'zh-TW',
  calendar: 'roc' | 'gregorian' = 'roc',
) {
  const account = await t.createAccount({
    roles: ['learner'],
    displayName,
    locale,
    calendar,
    password: TEST_PASSWORD,
  });
  const person = (await as(account, 'GET', '/api/me/person')).json().person as { id: string };
  return { account, personId: person.id };
}

describe('the §8 notice and consent by purpose', () => {
  it('is public, versioned, in both languages, with required and optional purposes', async () => {
    const res = await t.as(null, { method: 'GET', url: '/api/privacy-notice' });
    expect(res.statusCode).toBe(200);
    const n = res.json();
    expect(n.version).toBe(1);
    expect(n.sections.map((s: { key: string }) => s.key)).toEqual([
      'organisation',
      'purposes',
      'categories',
      'period',
      'area',
      'recipients',
      'manner',
      'rights',
      'optional',
    ]);
    for (const s of n.sections) expect(s.body['zh-TW'] && s.body.en).toBeTruthy();
    expect(
      n.purposes.filter((p: { required: boolean }) => p.required).map((p: { code: string }) => p.code),
    ).toEqual(['programme_administration']);
  });

  it('lets the person change optional consents (audited) but never refuse the required one', async () => {
    const { account, personId } = await learner();
    const before = (await as(account, 'GET', '/api/me/consents')).json();
    expect(before.items.find((i: { purpose: string }) => i.purpose === 'statistics')).toMatchObject({
      granted: false,
      recordedAt: null,
    });
    const res = await as(account, 'PUT', '/api/me/consents', {
      noticeVersion: 1,
      consents: { statistics: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.find((i: { purpose: string }) => i.purpose === 'statistics')).toMatchObject({
      granted: true,
      noticeVersion: 1,
      source: 'self',
    });
    const [audit] = await t.auditRows({ action: 'consent.update', targetId: personId });
    expect(audit!.after).toMatchObject({ statistics: true, noticeVersion: 1, source: 'self' });

    const refuse = await as(account, 'PUT', '/api/me/consents', {
      noticeVersion: 1,
      consents: { programme_administration: false },
    });
    expect(refuse.statusCode).toBe(400);
    expect(errorOf(refuse)).toMatchObject({
      reason: 'CONSENT_REQUIRED',
      fields: [{ field: 'consents.programme_administration', issue: 'required' }],
    });
    const unknown = await as(account, 'PUT', '/api/me/consents', {
      noticeVersion: 1,
      consents: { spam: true },
    });
    expect(errorOf(unknown).fields).toEqual([{ field: 'consents.spam', issue: 'unknown' }]);
    const badVersion = await as(account, 'PUT', '/api/me/consents', { noticeVersion: 0, consents: {} });
    expect(errorOf(badVersion).fields).toEqual([expect.objectContaining({ field: 'noticeVersion' })]);
  });

  it('records the consents staff collect with the notice, inside the agency only', async () => {
    const p = (
      await t.as(agencyA, { method: 'POST', url: '/api/people', payload: { name: '紙本收集' } })
    ).json();
    const res = await t.as(agencyA, {
      method: 'PUT',
      url: `/api/people/${p.id}/consents`,
      payload: { noticeVersion: 1, consents: { programme_administration: true, class_notices: true } },
    });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .items.filter((i: { granted: boolean }) => i.granted)
        .map((i: { purpose: string }) => i.purpose),
    ).toEqual(['programme_administration', 'class_notices']);
    const [audit] = await t.auditRows({ action: 'consent.update', targetId: p.id });
    expect(audit!.after).toMatchObject({ source: 'staff' });
    const other = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency' }] }));
    expect((await t.as(other, { method: 'GET', url: `/api/people/${p.id}/consents` })).statusCode).toBe(404);
  });
});

describe('view and download', () => {
  it('gathers every provider section and downloads it as a JSON attachment, audited', async () => {
    const { account, personId } = await learner('蕭下載');
    await as(account, 'POST', '/api/me/personal-data-requests', { type: 'access' });
    const view = await as(account, 'GET', '/api/me/personal-data');
    expect(view.statusCode).toBe(200);
    const data = view.json();
    expect(data).toMatchObject({ format: 'dtp-personal-data/1', personId, accountId: account.id });
    expect(Object.keys(data.sections).sort()).toEqual([
      'account',
      'activity',
      'consentsAndRequests',
      'emails',
      'person',
    ]);
    expect(data.sections.account).toMatchObject({ email: account.email, displayName: '蕭下載' });
    expect(data.sections.person.record).toMatchObject({ id: personId, name: '蕭下載' });
    expect(data.sections.consentsAndRequests.requests).toEqual([expect.objectContaining({ type: 'access' })]);
    expect(data.sections.activity.map((a: { action: string }) => a.action)).toContain(
      'personal_data_request.create',
    );
    expect(await t.auditRows({ action: 'personal_data.export', targetId: personId })).toEqual([]);

    const dl = await as(account, 'GET', '/api/me/personal-data/download');
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(
      /^attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(dl.json().personId).toBe(personId);
    expect(await t.auditRows({ action: 'personal_data.export', targetId: personId })).toHaveLength(1);
  });
});

describe('rights requests', () => {
  it('e-mails a reader who chose 民國 the dates in the ROC calendar (issue #8 item 17)', async () => {
    const { account } = await learner('民國讀者', 'zh-TW', 'roc');
    const req = (await as(account, 'POST', '/api/me/personal-data-requests', { type: 'access' })).json();
    const ext = await pmo('POST', `/api/personal-data-requests/${req.id}/extension`, {
      reason: '需調閱紙本檔案',
    });
    expect(ext.statusCode).toBe(200);
    const mail = (await t.outboxRows(account.email)).find(
      (m) => m.template === 'personal_data_request_extended',
    )!;
    const roc = (iso: string) => {
      const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
      return `民國${y - 1911}年${m}月${d}日`;
    };
    expect(mail.bodyText).toContain(roc(req.receivedOn));
    expect(mail.bodyText).toContain(roc(ext.json().dueOn));
    expect(mail.bodyText).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('runs the whole flow with §13 deadlines in Asia/Taipei calendar days under a moving clock', async () => {
    const { account, personId } = await learner('杜請求', 'en', 'gregorian');
    const noDetails = await as(account, 'POST', '/api/me/personal-data-requests', { type: 'correction' });
    expect(noDetails.statusCode).toBe(400);
    expect(errorOf(noDetails).fields).toEqual([{ field: 'details', issue: 'required' }]);
    const badType = await as(account, 'POST', '/api/me/personal-data-requests', { type: 'everything' });
    expect(errorOf(badType).fields).toEqual([expect.objectContaining({ field: 'type' })]);

    const access = (await as(account, 'POST', '/api/me/personal-data-requests', { type: 'access' })).json();
    const corr = await as(account, 'POST', '/api/me/personal-data-requests', {
      type: 'correction',
      details: '出生日期應為 1991-02-03',
    });
    expect(corr.statusCode).toBe(201);
    const correction = corr.json();
    expect(access).toMatchObject({ status: 'open', daysLeft: 15, overdue: false, extended: false });
    expect(correction).toMatchObject({ daysLeft: 30, personName: '杜請求' });
    const [audit] = await t.auditRows({ action: 'personal_data_request.create', targetId: correction.id });
    expect(audit!.after).toMatchObject({ personId, type: 'correction' });

    // The queue: soonest deadline first, filtered by type and status.
    const queue = (
      await pmo('GET', `/api/personal-data-requests?status=open&type=correction&limit=200`)
    ).json();
    expect(queue.items.map((r: { id: string }) => r.id)).toContain(correction.id);
    expect(queue.items.every((r: { type: string }) => r.type === 'correction')).toBe(true);
    const badFilter = await pmo('GET', '/api/personal-data-requests?overdue=maybe');
    expect(errorOf(badFilter).fields).toEqual([expect.objectContaining({ field: 'querystring.overdue' })]);

    t.clock.advance(10 * DAY);
    try {
      expect((await pmo('GET', `/api/personal-data-requests/${access.id}`)).json().daysLeft).toBe(5);

      // Extended once, by the same period, with the reason e-mailed in the person's language.
      const noReason = await pmo('POST', `/api/personal-data-requests/${access.id}/extension`, {
        reason: '',
      });
      expect(errorOf(noReason).fields).toEqual([expect.objectContaining({ field: 'reason' })]);
      const ext = await pmo('POST', `/api/personal-data-requests/${access.id}/extension`, {
        reason: 'paper files must be retrieved',
      });
      expect(ext.statusCode).toBe(200);
      expect(ext.json()).toMatchObject({
        daysLeft: 20,
        extended: true,
        extensionReason: 'paper files must be retrieved',
      });
      const mails = await t.outboxRows(account.email);
      const extMail = mails.find((m) => m.template === 'personal_data_request_extended')!;
      expect(extMail.locale).toBe('en');
      expect(extMail.bodyText).toContain('access to or a copy of your data');
      // A Gregorian reader in English: 5 February 2026.
      expect(extMail.bodyText).toContain(formatDate(ext.json().dueOn, 'gregorian', 'en', 'long'));
      const twice = await pmo('POST', `/api/personal-data-requests/${access.id}/extension`, {
        reason: 'again',
      });
      expect(errorOf(twice).reason).toBe('REQUEST_ALREADY_EXTENDED');
      expect(await t.auditRows({ action: 'personal_data_request.extend', targetId: access.id })).toHaveLength(
        1,
      );

      t.clock.advance(25 * DAY); // day 35: the correction (due day 30) is overdue, the access one (day 30) too
      const overdue = (await pmo('GET', '/api/personal-data-requests?overdue=true&limit=200')).json();
      const late = overdue.items.find((r: { id: string }) => r.id === correction.id);
      expect(late).toMatchObject({ overdue: true, daysLeft: -5 });
      const notLate = (await pmo('GET', '/api/personal-data-requests?overdue=false&limit=200')).json();
      expect(notLate.items.map((r: { id: string }) => r.id)).not.toContain(correction.id);

      // A refusal names its legal ground; the person is told.
      const noGround = await pmo('POST', `/api/personal-data-requests/${correction.id}/decision`, {
        decision: 'refused',
      });
      expect(errorOf(noGround).fields).toEqual([{ field: 'legalReason', issue: 'required' }]);
      const decided = await pmo('POST', `/api/personal-data-requests/${correction.id}/decision`, {
        decision: 'refused',
        legalReason: 'data_accurate',
        note: 'checked against the ID card',
      });
      expect(decided.statusCode).toBe(200);
      expect(decided.json()).toMatchObject({
        status: 'decided',
        decision: 'refused',
        legalReason: 'data_accurate',
        daysLeft: null,
        overdue: false,
      });
      const decidedMail = (await t.outboxRows(account.email)).find(
        (m) => m.template === 'personal_data_request_decided',
      )!;
      expect(decidedMail.bodyText).toContain('refused');
      expect(decidedMail.bodyText).toContain('the data was checked and is correct');
      const again = await pmo('POST', `/api/personal-data-requests/${correction.id}/decision`, {
        decision: 'granted',
      });
      expect(errorOf(again).reason).toBe('REQUEST_DECIDED');
      const [decAudit] = await t.auditRows({
        action: 'personal_data_request.decide',
        targetId: correction.id,
      });
      expect(decAudit!.after).toMatchObject({ decision: 'refused', legalReason: 'data_accurate' });

      const mine = (await as(account, 'GET', '/api/me/personal-data-requests')).json();
      expect(mine.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual(
        expect.arrayContaining([
          [correction.id, 'decided'],
          [access.id, 'open'],
        ]),
      );
    } finally {
      t.clock.reset();
    }
  });

  it('counts Taipei calendar days: a request at 23:30 loses a day at midnight', async () => {
    const { account } = await learner();
    const now = Date.now();
    // The next 23:30 in Taipei is 15:30 UTC.
    const next = new Date(now);
    next.setUTCHours(15, 30, 0, 0);
    if (next.getTime() <= now) next.setTime(next.getTime() + DAY);
    t.clock.advance(next.getTime() - now);
    try {
      const r = (await as(account, 'POST', '/api/me/personal-data-requests', { type: 'deletion' })).json();
      expect(r.daysLeft).toBe(30);
      t.clock.advance(3_600_000); // 00:30 the next day in Taipei
      expect((await pmo('GET', `/api/personal-data-requests/${r.id}`)).json().daysLeft).toBe(29);
    } finally {
      t.clock.reset();
    }
  });

  it('anonymises on a granted deletion: identity removed, account closed, kept records still point at the person', async () => {
    const { account, personId } = await learner('袁刪除');
    await as(account, 'PATCH', '/api/me/person', {
      birthDate: '1992-07-08',
      countyCode: '63000',
      gender: 'male',
    });
    await t.db
      .update(persons)
      .set({ nationalIdHash: 'h', nationalIdMasked: 'A12345****' })
      .where(eq(persons.id, personId));
    const ent = newId();
    await t.db.insert(enterprises).values({ id: ent, ubn: '04595257', name: '保存公司' });
    await t.db
      .insert(enterprisePeople)
      .values({ id: newId(), enterpriseId: ent, personId, relation: 'employee', validFrom: '2025-01-01' });
    const r = (await as(account, 'POST', '/api/me/personal-data-requests', { type: 'deletion' })).json();

    const res = await pmo('POST', `/api/personal-data-requests/${r.id}/decision`, { decision: 'granted' });
    expect(res.statusCode).toBe(200);
    const [p] = await t.db.select().from(persons).where(eq(persons.id, personId));
    expect(p).toMatchObject({
      name: '已匿名',
      email: null,
      phone: null,
      birthDate: null,
      birthYear: 1992,
      countyCode: '63000',
      gender: 'male',
      nationalIdHash: null,
      nationalIdMasked: null,
      accountId: null,
    });
    expect(p!.anonymisedAt).not.toBeNull();
    const [a] = await t.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(a).toMatchObject({ status: 'disabled', displayName: '已匿名', passwordHash: null });
    expect(a!.email).not.toContain(account.email);
    expect((await signInViaApi(t, account.email, TEST_PASSWORD)).res.statusCode).toBe(401);
    const links = await t.db.select().from(enterprisePeople).where(eq(enterprisePeople.personId, personId));
    expect(links).toHaveLength(1);
    // The decision e-mail went out before the address was removed; delivered mail is blanked.
    const mail = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from outbox where template = 'personal_data_request_decided' and to_address = ${account.email}`,
    );
    expect(mail.rows[0]!.n).toBe(1);
    const [audit] = await t.auditRows({ action: 'person.anonymise', targetId: personId });
    expect(audit!.after).toMatchObject({ sections: ['account', 'person', 'emails'] });
    // The record cannot be changed any more.
    const edit = await pmo('PATCH', `/api/people/${personId}`, { phone: '0900000000' });
    expect(edit.statusCode).toBe(412);
  });

  it('withdraws every optional consent when a stop of use is granted', async () => {
    const { account } = await learner();
    await as(account, 'PUT', '/api/me/consents', {
      noticeVersion: 1,
      consents: { statistics: true, enterprise_matching: true },
    });
    const r = (await as(account, 'POST', '/api/me/personal-data-requests', { type: 'stop' })).json();
    await pmo('POST', `/api/personal-data-requests/${r.id}/decision`, { decision: 'granted' });
    const c = (await as(account, 'GET', '/api/me/consents')).json();
    expect(
      Object.fromEntries(c.items.map((i: { purpose: string; granted: boolean }) => [i.purpose, i.granted])),
    ).toMatchObject({ statistics: false, enterprise_matching: false, class_notices: false });
  });
});
