import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteOptions } from 'fastify';
import { ACCESS_MATRIX, CALLERS, OPEN_DURING_SIGN_IN, type Caller } from '../test/access-matrix.ts';
import {
  createTestApp,
  errorOf,
  SIGN_UP_CONSENTS,
  TEST_PASSWORD,
  uniqueEmail,
  type TestAccount,
  type TestApp,
} from '../test/helpers.ts';
import { eq } from 'drizzle-orm';
import { isValidUbn } from '@dtp/contracts';
import {
  enterprisePeople,
  enterprises,
  grantRequests,
  importFiles,
  importJobs,
  ipasItems,
  kpiReports,
  measureAgencies,
  measures,
  personalDataRequests,
  personClaims,
  persons,
} from './db/schema/index.ts';
import { encryptBytes } from './lib/crypto.ts';
import { multipart } from '../test/import-files.ts';
import { newId } from './lib/ids.ts';
import { enqueueEmail } from './modules/outbox/index.ts';

/**
 * Calls every route as every caller with a well-formed request, so that the only reason for a
 * 401/403 is the access check, and compares the outcome with the reviewed matrix.
 */
type Fixtures = {
  t: TestApp;
  /** The agency of the `agency` caller and the enterprise of the `enterprise` caller: resources
   * in their scope belong here, so `agency_other`/`enterprise_other` can be checked for not_found. */
  agencyA: string;
  enterpriseA: string;
  target: TestAccount;
  signInTarget: TestAccount;
  mailId: string;
  /** Two pending grant requests (for `target`, asked by `signInTarget`): one to approve, one to reject. */
  grantRequestIds: [string, string];
  /** A person brought in by agency A and working for enterprise A; enterprise A itself. */
  personA: string;
  assignmentId: string;
  /** An import job of agency A. */
  importId: string;
};
type Req = { method: string; url: string; payload?: unknown; headers?: Record<string, string> };

const uniqueCode = () => `M-${newId().slice(-12).toUpperCase()}`;
let serial = 10;
/** A random 統一編號 that passes the checksum. */
function randomUbn(): string {
  for (;;) {
    const u = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    if (isValidUbn(u)) return u;
  }
}

/** An import job of agency A in the given state, with its (encrypted) file and no rows. */
async function importJob(f: Fixtures, status: 'preview' | 'failed'): Promise<string> {
  const id = newId();
  await f.t.db.insert(importJobs).values({
    id,
    kind: 'people',
    status,
    fileName: 'people.csv',
    format: 'csv',
    fileSize: 6,
    agencyId: f.agencyA,
    createdBy: f.target.id,
  });
  const enc = encryptBytes(f.t.keys, Buffer.from('姓名\r\n'));
  await f.t.db.insert(importFiles).values({ jobId: id, keyId: enc.keyId, content: enc.value });
  return id;
}

/**
 * A well-formed request per route: valid params and body, so "allowed" means the access check
 * passed. A builder may be async and make the rows it needs (through `f.t`), inside scope A.
 */
const REQUESTS: Record<string, (f: Fixtures) => Req | Promise<Req>> = {
  'GET /api/openapi.json': () => ({ method: 'GET', url: '/api/openapi.json' }),
  'GET /api/health': () => ({ method: 'GET', url: '/api/health' }),
  'POST /api/auth/sign-up': () => ({
    method: 'POST',
    url: '/api/auth/sign-up',
    payload: {
      email: uniqueEmail('signup'),
      password: TEST_PASSWORD,
      displayName: '新使用者',
      ...SIGN_UP_CONSENTS,
    },
  }),
  'POST /api/auth/verify-email': () => ({
    method: 'POST',
    url: '/api/auth/verify-email',
    payload: { token: 'x'.repeat(43) },
  }),
  'POST /api/auth/resend-verification': () => ({
    method: 'POST',
    url: '/api/auth/resend-verification',
    payload: { email: uniqueEmail('nobody') },
  }),
  'POST /api/auth/sign-in': (f) => ({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email: f.signInTarget.email, password: TEST_PASSWORD },
  }),
  'POST /api/auth/password/forgot': () => ({
    method: 'POST',
    url: '/api/auth/password/forgot',
    payload: { email: uniqueEmail('nobody') },
  }),
  'POST /api/auth/password/reset': () => ({
    method: 'POST',
    url: '/api/auth/password/reset',
    payload: { token: 'y'.repeat(43), password: TEST_PASSWORD },
  }),
  'POST /api/auth/sign-out': () => ({ method: 'POST', url: '/api/auth/sign-out' }),
  'GET /api/auth/me': () => ({ method: 'GET', url: '/api/auth/me' }),
  'PATCH /api/auth/me': () => ({ method: 'PATCH', url: '/api/auth/me', payload: { calendar: 'gregorian' } }),
  'GET /api/auth/sessions': () => ({ method: 'GET', url: '/api/auth/sessions' }),
  'DELETE /api/auth/sessions/:id': () => ({ method: 'DELETE', url: `/api/auth/sessions/${newId()}` }),
  'POST /api/auth/password/change': () => ({
    method: 'POST',
    url: '/api/auth/password/change',
    payload: { currentPassword: 'not-the-password', newPassword: TEST_PASSWORD },
  }),
  'POST /api/auth/mfa/verify': () => ({
    method: 'POST',
    url: '/api/auth/mfa/verify',
    payload: { code: '123456' },
  }),
  'POST /api/auth/mfa/enrolment': () => ({ method: 'POST', url: '/api/auth/mfa/enrolment' }),
  'POST /api/auth/mfa/enrolment/confirm': () => ({
    method: 'POST',
    url: '/api/auth/mfa/enrolment/confirm',
    payload: { code: '123456' },
  }),
  'POST /api/auth/mfa/disable': () => ({
    method: 'POST',
    url: '/api/auth/mfa/disable',
    payload: { code: '123456' },
  }),
  'POST /api/auth/mfa/recovery-codes': () => ({
    method: 'POST',
    url: '/api/auth/mfa/recovery-codes',
    payload: { code: '123456' },
  }),
  'GET /api/accounts': () => ({ method: 'GET', url: '/api/accounts?limit=5' }),
  'POST /api/accounts': () => ({
    method: 'POST',
    url: '/api/accounts',
    payload: { email: uniqueEmail('invited'), displayName: '受邀者' },
  }),
  'GET /api/accounts/:id': (f) => ({ method: 'GET', url: `/api/accounts/${f.target.id}` }),
  'PATCH /api/accounts/:id': (f) => ({
    method: 'PATCH',
    url: `/api/accounts/${f.target.id}`,
    payload: { displayName: '改名' },
  }),
  'POST /api/accounts/:id/grants': (f) => ({
    method: 'POST',
    url: `/api/accounts/${f.target.id}/grants`,
    payload: { role: 'expert', scopeKind: 'self' },
  }),
  'DELETE /api/accounts/:id/grants/:grantId': (f) => ({
    method: 'DELETE',
    url: `/api/accounts/${f.target.id}/grants/${f.target.grants[0]!.id}`,
  }),
  'POST /api/accounts/:id/sign-in-unlock': (f) => ({
    method: 'POST',
    url: `/api/accounts/${f.target.id}/sign-in-unlock`,
  }),
  'GET /api/agencies': () => ({ method: 'GET', url: '/api/agencies' }),
  'POST /api/agencies': () => ({
    method: 'POST',
    url: '/api/agencies',
    payload: { code: uniqueCode(), name: { 'zh-TW': '新單位' } },
  }),
  'GET /api/settings': () => ({ method: 'GET', url: '/api/settings' }),
  'PUT /api/settings/:key': () => ({
    method: 'PUT',
    url: '/api/settings/auth.signInLockout',
    payload: { value: { maxFailures: 5, lockMinutes: 15 } },
  }),
  'GET /api/audit': () => ({ method: 'GET', url: '/api/audit?limit=5' }),
  'GET /api/mail': () => ({ method: 'GET', url: '/api/mail?limit=5' }),
  'GET /api/mail/:id': (f) => ({ method: 'GET', url: `/api/mail/${f.mailId}` }),
  'GET /api/mail/mine': () => ({ method: 'GET', url: '/api/mail/mine' }),
  // A verified account: past the access check, the service sends it to sign in (no failure counted).
  'POST /api/mail/mine': (f) => ({
    method: 'POST',
    url: '/api/mail/mine',
    payload: { email: f.signInTarget.email, password: TEST_PASSWORD },
  }),
  'GET /api/grant-requests': () => ({ method: 'GET', url: '/api/grant-requests' }),
  'POST /api/grant-requests/:id/approve': (f) => ({
    method: 'POST',
    url: `/api/grant-requests/${f.grantRequestIds[0]}/approve`,
  }),
  'POST /api/grant-requests/:id/reject': (f) => ({
    method: 'POST',
    url: `/api/grant-requests/${f.grantRequestIds[1]}/reject`,
  }),
  'GET /api/reference/counties': () => ({ method: 'GET', url: '/api/reference/counties' }),
  'PATCH /api/reference/counties/:code': () => ({
    method: 'PATCH',
    url: '/api/reference/counties/63000',
    payload: { nameEn: 'Taipei City' },
  }),
  'GET /api/reference/industries': () => ({ method: 'GET', url: '/api/reference/industries?level=section' }),
  'PATCH /api/reference/industries/:code': () => ({
    method: 'PATCH',
    url: '/api/reference/industries/2611',
    payload: { tags: ['semiconductor_core'] },
  }),
  'GET /api/reference/ipas-items': () => ({ method: 'GET', url: '/api/reference/ipas-items' }),
  'PATCH /api/reference/ipas-items/:id': async (f) => {
    const [item] = await f.t.db.select({ id: ipasItems.id }).from(ipasItems).limit(1);
    return { method: 'PATCH', url: `/api/reference/ipas-items/${item!.id}`, payload: { notes: '備註' } };
  },
  'GET /api/programme': () => ({ method: 'GET', url: '/api/programme' }),
  'PATCH /api/programme': () => ({ method: 'PATCH', url: '/api/programme', payload: { endYear: 2030 } }),
  'POST /api/programme/measures': () => ({
    method: 'POST',
    url: '/api/programme/measures',
    payload: {
      subProgrammeCode: '3',
      code: `3.${++serial}`,
      name: { 'zh-TW': '測試措施' },
      description: { 'zh-TW': '說明' },
    },
  }),
  'PATCH /api/programme/measures/:code': () => ({
    method: 'PATCH',
    url: '/api/programme/measures/1.1',
    payload: { description: { 'zh-TW': '說明' } },
  }),
  'POST /api/programme/measures/:code/agencies': (f) => ({
    method: 'POST',
    url: '/api/programme/measures/1.2/agencies',
    payload: { agencyId: f.agencyA, validFrom: '2026-01-01' },
  }),
  'PATCH /api/programme/assignments/:id': (f) => ({
    method: 'PATCH',
    url: `/api/programme/assignments/${f.assignmentId}`,
    payload: { validTo: '2030-12-31' },
  }),
  'GET /api/kpis': () => ({ method: 'GET', url: '/api/kpis' }),
  'POST /api/kpis': () => ({
    method: 'POST',
    url: '/api/kpis',
    payload: {
      code: `K${100 + ++serial}`,
      name: { 'zh-TW': '測試指標' },
      definition: { 'zh-TW': '定義' },
      unit: 'persons',
      kind: 'count',
      benefit: 'all',
      sourceModule: 'registry',
      measureCodes: ['3.2'],
    },
  }),
  'PATCH /api/kpis/:code': () => ({ method: 'PATCH', url: '/api/kpis/K26', payload: { active: true } }),
  'GET /api/kpi-targets': () => ({ method: 'GET', url: '/api/kpi-targets?year=2026' }),
  'PUT /api/kpis/:code/targets': () => ({
    method: 'PUT',
    url: '/api/kpis/K01/targets',
    payload: { year: 2026, measureCode: '1.1', target: 100 },
  }),
  'GET /api/people': () => ({ method: 'GET', url: '/api/people?limit=5' }),
  'GET /api/people/export': () => ({ method: 'GET', url: '/api/people/export?format=csv' }),
  'POST /api/people': () => ({ method: 'POST', url: '/api/people', payload: { name: '測試人員' } }),
  'GET /api/people/:id': (f) => ({ method: 'GET', url: `/api/people/${f.personA}` }),
  'PATCH /api/people/:id': (f) => ({
    method: 'PATCH',
    url: `/api/people/${f.personA}`,
    payload: { phone: '0912345678' },
  }),
  'POST /api/people/:id/national-id/reveal': (f) => ({
    method: 'POST',
    url: `/api/people/${f.personA}/national-id/reveal`,
  }),
  'GET /api/enterprises': () => ({ method: 'GET', url: '/api/enterprises?limit=5' }),
  'GET /api/enterprises/export': () => ({ method: 'GET', url: '/api/enterprises/export?format=csv' }),
  'POST /api/enterprises': () => ({
    method: 'POST',
    url: '/api/enterprises',
    payload: { ubn: randomUbn(), name: '測試公司' },
  }),
  'GET /api/enterprises/:id': (f) => ({ method: 'GET', url: `/api/enterprises/${f.enterpriseA}` }),
  'PATCH /api/enterprises/:id': (f) => ({
    method: 'PATCH',
    url: `/api/enterprises/${f.enterpriseA}`,
    payload: { regularEmployees: 50 },
  }),
  'POST /api/enterprises/:id/people': (f) => ({
    method: 'POST',
    url: `/api/enterprises/${f.enterpriseA}/people`,
    payload: { personId: f.personA, relation: 'dt_team', validFrom: '2026-01-01' },
  }),
  'GET /api/kpi-metrics': () => ({ method: 'GET', url: '/api/kpi-metrics' }),
  'GET /api/kpi-overview': () => ({ method: 'GET', url: '/api/kpi-overview?year=2026' }),
  'GET /api/kpi-overview/export': () => ({
    method: 'GET',
    url: '/api/kpi-overview/export?year=2026&format=xlsx&kpiCode=K26',
  }),
  'GET /api/kpis/:code/breakdown': () => ({
    method: 'GET',
    url: '/api/kpis/K26/breakdown?year=2026&by=county',
  }),
  'GET /api/kpis/:code/records': () => ({ method: 'GET', url: '/api/kpis/K26/records?year=2026&limit=5' }),
  'POST /api/kpi-reports': () => ({
    method: 'POST',
    url: '/api/kpi-reports',
    payload: { year: 2025, quarter: ((++serial % 4) + 1) as number, reason: '測試' },
  }),
  'GET /api/kpi-reports': () => ({ method: 'GET', url: '/api/kpi-reports' }),
  'GET /api/kpi-reports/:id': async (f) => ({ method: 'GET', url: `/api/kpi-reports/${await aReport(f)}` }),
  'GET /api/kpi-reports/:id/records': async (f) => ({
    method: 'GET',
    url: `/api/kpi-reports/${await aReport(f)}/records?kpiCode=K26`,
  }),
  'GET /api/kpi-reports/:id/export': async (f) => ({
    method: 'GET',
    url: `/api/kpi-reports/${await aReport(f)}/export?format=xlsx`,
  }),
  'PATCH /api/enterprises/:id/people/:linkId': async (f) => {
    const linkId = newId();
    await f.t.db.insert(enterprisePeople).values({
      id: linkId,
      enterpriseId: f.enterpriseA,
      personId: f.personA,
      relation: 'employee',
      validFrom: '2025-01-01',
    });
    return {
      method: 'PATCH',
      url: `/api/enterprises/${f.enterpriseA}/people/${linkId}`,
      payload: { validTo: '2026-06-30' },
    };
  },
  'GET /api/me/person': () => ({ method: 'GET', url: '/api/me/person' }),
  'PATCH /api/me/person': () => ({
    method: 'PATCH',
    url: '/api/me/person',
    payload: { phone: '0912345678' },
  }),
  'GET /api/me/person/claims': () => ({ method: 'GET', url: '/api/me/person/claims' }),
  'POST /api/me/person/claims': () => ({
    method: 'POST',
    url: '/api/me/person/claims',
    payload: { basis: 'national_id', nationalId: 'A123456789' },
  }),
  'POST /api/me/person/claim-invitations/accept': () => ({
    method: 'POST',
    url: '/api/me/person/claim-invitations/accept',
    payload: { token: 'z'.repeat(43) },
  }),
  'GET /api/person-claims': () => ({ method: 'GET', url: '/api/person-claims?status=pending' }),
  'POST /api/person-claims/:id/decision': async (f) => {
    // A fresh pending claim on person A (agency A's record) for every call.
    const claimant = await f.t.createAccount({ roles: ['learner'] });
    const id = newId();
    await f.t.db
      .insert(personClaims)
      .values({ id, accountId: claimant.id, personId: f.personA, basis: 'email' });
    return { method: 'POST', url: `/api/person-claims/${id}/decision`, payload: { decision: 'reject' } };
  },
  'POST /api/people/:id/claim-invitations': (f) => ({
    method: 'POST',
    url: `/api/people/${f.personA}/claim-invitations`,
    payload: { email: uniqueEmail('claim') },
  }),
  'GET /api/people/duplicates': () => ({ method: 'GET', url: '/api/people/duplicates' }),
  'POST /api/people/merge': async (f) => {
    const [a, b] = [newId(), newId()];
    await f.t.db.insert(persons).values([
      { id: a, name: '重複甲', sourceAgencyId: f.agencyA },
      { id: b, name: '重複甲', sourceAgencyId: f.agencyA },
    ]);
    return { method: 'POST', url: '/api/people/merge', payload: { survivorId: a, mergedId: b } };
  },
  'GET /api/privacy-notice': () => ({ method: 'GET', url: '/api/privacy-notice' }),
  'GET /api/me/consents': () => ({ method: 'GET', url: '/api/me/consents' }),
  'PUT /api/me/consents': () => ({
    method: 'PUT',
    url: '/api/me/consents',
    payload: { noticeVersion: 1, consents: { statistics: true } },
  }),
  'GET /api/people/:id/consents': (f) => ({ method: 'GET', url: `/api/people/${f.personA}/consents` }),
  'PUT /api/people/:id/consents': (f) => ({
    method: 'PUT',
    url: `/api/people/${f.personA}/consents`,
    payload: { noticeVersion: 1, consents: { programme_administration: true } },
  }),
  'GET /api/me/personal-data': () => ({ method: 'GET', url: '/api/me/personal-data' }),
  'GET /api/me/personal-data/download': () => ({ method: 'GET', url: '/api/me/personal-data/download' }),
  'GET /api/me/personal-data-requests': () => ({ method: 'GET', url: '/api/me/personal-data-requests' }),
  'POST /api/me/personal-data-requests': () => ({
    method: 'POST',
    url: '/api/me/personal-data-requests',
    payload: { type: 'access' },
  }),
  'GET /api/personal-data-requests': () => ({
    method: 'GET',
    url: '/api/personal-data-requests?status=open',
  }),
  'GET /api/personal-data-requests/:id': async (f) => ({
    method: 'GET',
    url: `/api/personal-data-requests/${await freshRequest(f)}`,
  }),
  'POST /api/personal-data-requests/:id/extension': async (f) => ({
    method: 'POST',
    url: `/api/personal-data-requests/${await freshRequest(f)}/extension`,
    payload: { reason: '需調閱紙本資料' },
  }),
  'POST /api/personal-data-requests/:id/decision': async (f) => ({
    method: 'POST',
    url: `/api/personal-data-requests/${await freshRequest(f)}/decision`,
    payload: { decision: 'granted' },
  }),
  'GET /api/imports/kinds/:kind': () => ({ method: 'GET', url: '/api/imports/kinds/people' }),
  'POST /api/imports': () => ({
    method: 'POST',
    url: '/api/imports?kind=people',
    ...multipart('people.csv', Buffer.from('姓名\r\n測試\r\n')),
  }),
  'GET /api/imports': () => ({ method: 'GET', url: '/api/imports?limit=5' }),
  'GET /api/imports/:id': (f) => ({ method: 'GET', url: `/api/imports/${f.importId}` }),
  'GET /api/imports/:id/rows': (f) => ({ method: 'GET', url: `/api/imports/${f.importId}/rows` }),
  'GET /api/imports/:id/problems': (f) => ({ method: 'GET', url: `/api/imports/${f.importId}/problems` }),
  'GET /api/imports/:id/problems/export': (f) => ({
    method: 'GET',
    url: `/api/imports/${f.importId}/problems/export?format=csv`,
  }),
  'POST /api/imports/:id/commit': async (f) => ({
    method: 'POST',
    url: `/api/imports/${await importJob(f, 'preview')}/commit`,
    payload: { onMatch: 'skip' },
  }),
  'POST /api/imports/:id/retry': async (f) => ({
    method: 'POST',
    url: `/api/imports/${await importJob(f, 'failed')}/retry`,
  }),
  'DELETE /api/imports/:id': async (f) => ({
    method: 'DELETE',
    url: `/api/imports/${await importJob(f, 'preview')}`,
  }),
};

/** A frozen report row for the report routes (made directly: submitting is tested in kpi.test.ts). */
async function aReport(f: Fixtures): Promise<string> {
  const id = newId();
  await f.t.db.insert(kpiReports).values({
    id,
    year: 2024,
    quarter: 1,
    version: ++serial,
    periodEnd: '2024-03-31',
    figures: [],
  });
  return id;
}

/** An open access request of person A, made for one call. */
async function freshRequest(f: Fixtures): Promise<string> {
  const id = newId();
  await f.t.db.insert(personalDataRequests).values({
    id,
    personId: f.personA,
    type: 'access',
    receivedOn: '2026-03-01',
    dueOn: '2026-03-16',
  });
  return id;
}

/**
 * Whether a response came from past the access check: not a 401/403 the guard gives (no reason,
 * or an unfinished sign-in), and no server error. A service may still answer 401 for its own
 * reason (a wrong MFA code), which means access was granted.
 */
function passedAccess(status: number, body: { code: string; reason?: string } | undefined): boolean {
  if (status >= 500) return false;
  if (status === 401)
    return !!body?.reason && !['MFA_REQUIRED', 'MFA_ENROLMENT_REQUIRED'].includes(body.reason);
  return status !== 403;
}

const routes = new Set<string>();
const onRoute = (r: RouteOptions) => {
  if (r.url.startsWith('/api/docs')) return; // swagger-ui's public static assets
  for (const m of [r.method].flat()) if (m !== 'HEAD') routes.add(`${m} ${r.url}`);
};

let t: TestApp;
let fixtures: Fixtures;
const callers = {} as Record<Exclude<Caller, 'anonymous'>, TestAccount>;

beforeAll(async () => {
  t = await createTestApp({ onRoute });
  const agencyA = await t.createAgency();
  const agencyB = await t.createAgency();
  const enterpriseA = newId();
  const enterpriseB = newId();
  const make = (grants: Parameters<TestApp['createAccount']>[0]) => t.createAccount(grants);
  callers.admin = await make({ roles: ['admin'] });
  callers.pmo = await make({ roles: ['pmo'] });
  callers.agency = await make({ grants: [{ role: 'agency', scopeId: agencyA.id }] });
  callers.agency_other = await make({ grants: [{ role: 'agency', scopeId: agencyB.id }] });
  callers.consultant = await make({ roles: ['consultant'] });
  callers.enterprise = await make({ grants: [{ role: 'enterprise', scopeId: enterpriseA }] });
  callers.enterprise_other = await make({ grants: [{ role: 'enterprise', scopeId: enterpriseB }] });
  callers.learner = await make({ roles: ['learner'] });
  callers.expert = await make({ roles: ['expert'] });
  callers.no_grant = await make({});
  const target = await make({ roles: ['learner'] });
  const signInTarget = await make({ roles: ['learner'], password: TEST_PASSWORD });
  const mailId = await enqueueEmail(t.db, {
    to: target.email,
    accountId: target.id,
    locale: 'zh-TW',
    template: 'password_changed',
    params: { name: target.displayName, at: new Date().toISOString(), url: 'http://localhost:3000' },
  });
  // Enterprise A (brought in by agency A) and a person of agency A who works there.
  await t.db
    .insert(enterprises)
    .values({ id: enterpriseA, ubn: randomUbn(), name: '甲公司', sourceAgencyId: agencyA.id });
  const personA = newId();
  await t.db
    .insert(persons)
    .values({ id: personA, name: '甲員工', sourceAgencyId: agencyA.id, employerEnterpriseId: enterpriseA });
  const [measure] = await t.db.select({ id: measures.id }).from(measures).where(eq(measures.code, '1.1'));
  const assignmentId = newId();
  await t.db
    .insert(measureAgencies)
    .values({ id: assignmentId, measureId: measure!.id, agencyId: agencyA.id, validFrom: '2026-01-01' });
  // The KPI the PATCH row edits.
  await t.as(await t.signInAs(callers.pmo), {
    method: 'POST',
    url: '/api/kpis',
    payload: {
      code: 'K26',
      name: { 'zh-TW': '平台註冊人數' },
      definition: { 'zh-TW': '定義' },
      unit: 'persons',
      kind: 'count',
      benefit: 'all',
      sourceModule: 'registry',
      measureCodes: ['3.2'],
    },
  });
  const grantRequestIds: [string, string] = [newId(), newId()];
  for (const [i, role] of (['expert', 'consultant'] as const).entries()) {
    await t.db.insert(grantRequests).values({
      id: grantRequestIds[i]!,
      accountId: target.id,
      role,
      scopeKind: 'self',
      requestedBy: signInTarget.id,
    });
  }
  fixtures = {
    t,
    agencyA: agencyA.id,
    enterpriseA,
    target,
    signInTarget,
    mailId,
    grantRequestIds,
    personA,
    assignmentId,
    importId: '',
  };
  fixtures.importId = await importJob(fixtures, 'preview');
});
afterAll(async () => t?.close());

describe('access matrix', () => {
  it('lists every registered route, and only those', () => {
    const registered = [...routes].sort();
    expect(registered.length).toBeGreaterThan(0);
    const missing = registered.filter((r) => !(r in ACCESS_MATRIX));
    const unknown = Object.keys(ACCESS_MATRIX).filter((r) => !routes.has(r));
    expect(missing, 'routes missing from test/access-matrix.ts').toEqual([]);
    expect(unknown, 'matrix rows naming no registered route').toEqual([]);
    expect(Object.keys(REQUESTS).sort(), 'a well-formed request for every route').toEqual(registered);
  });

  it('gives every caller of every route the outcome in the matrix', async () => {
    const mismatches: string[] = [];
    for (const [route, expected] of Object.entries(ACCESS_MATRIX)) {
      const make = REQUESTS[route];
      if (!make) continue; // reported by the test above
      for (const caller of CALLERS) {
        const req = await make(fixtures);
        const session = caller === 'anonymous' ? null : await t.signInAs(callers[caller]);
        const res = await t.as(session, req);
        const want = expected[caller];
        const body = res.statusCode >= 400 ? errorOf(res) : undefined;
        let ok: boolean;
        if (want === 'unauthorized') ok = res.statusCode === 401 && body?.code === 'UNAUTHORIZED';
        else if (want === 'forbidden')
          ok = res.statusCode === 403 && body?.code === 'FORBIDDEN' && !body.reason;
        else if (want === 'not_found') ok = res.statusCode === 404 && body?.code === 'NOT_FOUND';
        else ok = passedAccess(res.statusCode, body);
        if (!ok) {
          mismatches.push(
            `${route} as ${caller}: expected ${want}, got ${res.statusCode} ${body ? `${body.code}${body.reason ? `/${body.reason}` : ''}` : ''}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lets a session with its sign-in unfinished reach only the public routes and OPEN_DURING_SIGN_IN', async () => {
    const mismatches: string[] = [];
    const stages = [
      { stage: 'mfa_required' as const, reason: 'MFA_REQUIRED', who: callers.admin },
      { stage: 'mfa_enrolment_required' as const, reason: 'MFA_ENROLMENT_REQUIRED', who: callers.pmo },
    ];
    for (const [route, expected] of Object.entries(ACCESS_MATRIX)) {
      const make = REQUESTS[route];
      if (!make) continue;
      for (const { stage, reason, who } of stages) {
        const open = expected.anonymous === 'allowed' || OPEN_DURING_SIGN_IN[stage].includes(route);
        const session = await t.signInAs(who, { stage });
        const res = await t.as(session, await make(fixtures));
        const body = res.statusCode >= 400 ? errorOf(res) : undefined;
        const ok = open
          ? passedAccess(res.statusCode, body)
          : res.statusCode === 401 && body?.reason === reason;
        if (!ok)
          mismatches.push(
            `${route} at ${stage}: got ${res.statusCode} ${body?.code ?? ''}/${body?.reason ?? ''}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    for (const route of Object.values(OPEN_DURING_SIGN_IN).flat())
      expect(ACCESS_MATRIX).toHaveProperty([route]);
  });
});
