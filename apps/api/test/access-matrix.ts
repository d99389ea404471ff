/**
 * THE ACCESS MATRIX: who may call which route, reviewed by people, kept apart from the routes'
 * own `config.access` declarations so that a change to either one fails the matrix test until both
 * agree. Every API route is listed (swagger-ui's static `/api/docs*` routes excepted).
 *
 * Columns (the caller):
 * - anonymous: no session;
 * - admin, pmo: global grants;
 * - agency: staff of agency A; agency_other: staff of agency B (another agency);
 * - consultant, learner, expert: `self` grants;
 * - enterprise: representative of enterprise E; enterprise_other: of another enterprise;
 * - no_grant: signed in (e-mail verified, MFA done), holding no grant at all.
 *
 * Outcomes: `allowed` (the access check passes), `unauthorized` (401), `forbidden` (403),
 * `not_found` (404: the resource is outside the caller's scope).
 */
export const CALLERS = [
  'anonymous',
  'admin',
  'pmo',
  'agency',
  'agency_other',
  'consultant',
  'enterprise',
  'enterprise_other',
  'learner',
  'expert',
  'no_grant',
] as const;
export type Caller = (typeof CALLERS)[number];
export type Outcome = 'allowed' | 'unauthorized' | 'forbidden' | 'not_found';
export type MatrixRow = Record<Caller, Outcome>;

/** Everyone, signed in or not. */
const anyone = (): MatrixRow => row(() => 'allowed');
/** Any signed-in account, whatever its grants. */
const signedIn = (): MatrixRow => row((c) => (c === 'anonymous' ? 'unauthorized' : 'allowed'));
/** Only the listed callers; other signed-in callers are forbidden, anonymous callers unauthorized. */
const only = (...allowed: Caller[]): MatrixRow =>
  row((c) => (c === 'anonymous' ? 'unauthorized' : allowed.includes(c) ? 'allowed' : 'forbidden'));

/** Allowed for the first callers, 404 for the second (their role may call, the record is out of scope). */
function scoped(allowed: Caller[], outOfScope: Caller[]): MatrixRow {
  return row((c) =>
    c === 'anonymous'
      ? 'unauthorized'
      : allowed.includes(c)
        ? 'allowed'
        : outOfScope.includes(c)
          ? 'not_found'
          : 'forbidden',
  );
}

function row(f: (c: Caller) => Outcome): MatrixRow {
  return Object.fromEntries(CALLERS.map((c) => [c, f(c)])) as MatrixRow;
}

export const ACCESS_MATRIX: Record<string, MatrixRow> = {
  // Platform
  'GET /api/openapi.json': anyone(),
  'GET /api/health': anyone(),

  // Sign-up, sign-in and e-mailed links: reachable without a session
  'POST /api/auth/sign-up': anyone(),
  'POST /api/auth/verify-email': anyone(),
  'POST /api/auth/resend-verification': anyone(),
  'POST /api/auth/sign-in': anyone(),
  'POST /api/auth/password/forgot': anyone(),
  'POST /api/auth/password/reset': anyone(),

  // One's own session and account (no grant needed)
  'POST /api/auth/sign-out': signedIn(),
  'GET /api/auth/me': signedIn(),
  'PATCH /api/auth/me': signedIn(),
  'GET /api/auth/sessions': signedIn(),
  'DELETE /api/auth/sessions/:id': signedIn(),
  'POST /api/auth/password/change': signedIn(),
  'POST /api/auth/mfa/verify': signedIn(),
  'POST /api/auth/mfa/enrolment': signedIn(),
  'POST /api/auth/mfa/enrolment/confirm': signedIn(),
  'POST /api/auth/mfa/disable': signedIn(),
  'POST /api/auth/mfa/recovery-codes': signedIn(),

  // Administration of accounts and grants: administrators only
  'GET /api/accounts': only('admin'),
  'POST /api/accounts': only('admin'),
  'GET /api/accounts/:id': only('admin'),
  'PATCH /api/accounts/:id': only('admin'),
  'POST /api/accounts/:id/grants': only('admin'),
  'DELETE /api/accounts/:id/grants/:grantId': only('admin'),
  // Grants waiting for a second administrator (decision 020); the service refuses the requester
  'GET /api/grant-requests': only('admin'),
  'POST /api/grant-requests/:id/approve': only('admin'),
  'POST /api/grant-requests/:id/reject': only('admin'),
  'POST /api/accounts/:id/sign-in-unlock': only('admin'),

  // Agencies: every agency's staff sees the list; admin and PMO create them
  'GET /api/agencies': only('admin', 'pmo', 'agency', 'agency_other'),
  'POST /api/agencies': only('admin', 'pmo'),

  // Policy settings, audit log and the mail viewer
  'GET /api/settings': only('admin'),
  'PUT /api/settings/:key': only('admin'),
  'GET /api/audit': only('admin', 'pmo'),
  'GET /api/mail': only('admin'),
  'GET /api/mail/:id': only('admin'),
  // One's own mail with its links (decision 020); without a session, an unverified account's password
  'GET /api/mail/mine': signedIn(),
  'POST /api/mail/mine': anyone(),

  // Reference data: public to read (forms, open statistics); the programme office corrects it
  'GET /api/reference/counties': anyone(),
  'PATCH /api/reference/counties/:code': only('pmo'),
  'GET /api/reference/industries': anyone(),
  'PATCH /api/reference/industries/:code': only('pmo'),
  'GET /api/reference/ipas-items': anyone(),
  'PATCH /api/reference/ipas-items/:id': only('pmo'),

  // The programme's structure and KPI definitions are public; targets are for staff; the PMO edits
  'GET /api/programme': anyone(),
  'PATCH /api/programme': only('pmo'),
  'POST /api/programme/measures': only('pmo'),
  'PATCH /api/programme/measures/:code': only('pmo'),
  'POST /api/programme/measures/:code/agencies': only('pmo'),
  'PATCH /api/programme/assignments/:id': only('pmo'),
  'GET /api/kpis': anyone(),
  'POST /api/kpis': only('pmo'),
  'PATCH /api/kpis/:code': only('pmo'),
  'GET /api/kpi-targets': only('admin', 'pmo', 'agency', 'agency_other'),
  'PUT /api/kpis/:code/targets': only('pmo'),

  // People and enterprises: lists are filtered to the caller's scope; a record outside it is 404.
  // The fixtures belong to agency A and enterprise A.
  'GET /api/people': only('pmo', 'agency', 'agency_other', 'enterprise', 'enterprise_other'),
  'GET /api/people/export': only('pmo', 'agency', 'agency_other', 'enterprise', 'enterprise_other'),
  'POST /api/people': only('pmo', 'agency', 'agency_other'),
  'GET /api/people/:id': scoped(['pmo', 'agency', 'enterprise'], ['agency_other', 'enterprise_other']),
  'PATCH /api/people/:id': scoped(['pmo', 'agency'], ['agency_other']),
  'POST /api/people/:id/national-id/reveal': only('pmo'),
  'GET /api/enterprises': only('pmo', 'agency', 'agency_other', 'enterprise', 'enterprise_other'),
  'GET /api/enterprises/export': only('pmo', 'agency', 'agency_other', 'enterprise', 'enterprise_other'),
  'POST /api/enterprises': only('pmo', 'agency', 'agency_other'),
  'GET /api/enterprises/:id': scoped(['pmo', 'agency', 'enterprise'], ['agency_other', 'enterprise_other']),
  'PATCH /api/enterprises/:id': scoped(['pmo', 'agency', 'enterprise'], ['agency_other', 'enterprise_other']),
  'POST /api/enterprises/:id/people': scoped(['pmo', 'agency'], ['agency_other']),

  // KPI actuals: metric definitions are public; figures and drill-downs are for the programme office
  // and agency staff (theirs: facts their agency recorded); frozen quarterly reports are the PMO's.
  'GET /api/kpi-metrics': anyone(),
  'GET /api/kpi-overview': only('pmo', 'agency', 'agency_other'),
  'GET /api/kpi-overview/export': only('pmo', 'agency', 'agency_other'),
  'GET /api/kpis/:code/breakdown': only('pmo', 'agency', 'agency_other'),
  'GET /api/kpis/:code/records': only('pmo', 'agency', 'agency_other'),
  'POST /api/kpi-reports': only('pmo'),
  'GET /api/kpi-reports': only('pmo'),
  'GET /api/kpi-reports/:id': only('pmo'),
  'GET /api/kpi-reports/:id/records': only('pmo'),
  'GET /api/kpi-reports/:id/export': only('pmo'),
  'PATCH /api/enterprises/:id/people/:linkId': scoped(['pmo', 'agency'], ['agency_other']),
  // One identity per person: everyone signed in has their own record and may claim an existing one;
  // staff of the record's agency (or the PMO) decide claims and invite; only the PMO merges.
  'GET /api/me/person': signedIn(),
  'PATCH /api/me/person': signedIn(),
  'GET /api/me/person/claims': signedIn(),
  'POST /api/me/person/claims': signedIn(),
  'POST /api/me/person/claim-invitations/accept': signedIn(),
  'GET /api/person-claims': only('pmo', 'agency', 'agency_other'),
  'POST /api/person-claims/:id/decision': scoped(['pmo', 'agency'], ['agency_other']),
  'POST /api/people/:id/claim-invitations': scoped(['pmo', 'agency'], ['agency_other']),
  'GET /api/people/duplicates': only('pmo'),
  'POST /api/people/merge': only('pmo'),

  // Personal data (個資法): the notice is public; one's own data, consents and requests for everyone
  // signed in; staff record consents they collect; the PMO works the request queue.
  'GET /api/privacy-notice': anyone(),
  'GET /api/me/consents': signedIn(),
  'PUT /api/me/consents': signedIn(),
  'GET /api/people/:id/consents': scoped(['pmo', 'agency'], ['agency_other']),
  'PUT /api/people/:id/consents': scoped(['pmo', 'agency'], ['agency_other']),
  'GET /api/me/personal-data': signedIn(),
  'GET /api/me/personal-data/download': signedIn(),
  'GET /api/me/personal-data-requests': signedIn(),
  'POST /api/me/personal-data-requests': signedIn(),
  'GET /api/personal-data-requests': only('pmo'),
  'GET /api/personal-data-requests/:id': only('pmo'),
  'POST /api/personal-data-requests/:id/extension': only('pmo'),
  'POST /api/personal-data-requests/:id/decision': only('pmo'),
  // Imports of people and enterprises: agency staff for their agency, the programme office for all.
  // The fixture jobs belong to agency A.
  'GET /api/imports/kinds/:kind': only('pmo', 'agency', 'agency_other'),
  'POST /api/imports': only('pmo', 'agency', 'agency_other'),
  'GET /api/imports': only('pmo', 'agency', 'agency_other'),
  'GET /api/imports/:id': scoped(['pmo', 'agency'], ['agency_other']),
  'GET /api/imports/:id/rows': scoped(['pmo', 'agency'], ['agency_other']),
  'GET /api/imports/:id/problems': scoped(['pmo', 'agency'], ['agency_other']),
  'GET /api/imports/:id/problems/export': scoped(['pmo', 'agency'], ['agency_other']),
  'POST /api/imports/:id/commit': scoped(['pmo', 'agency'], ['agency_other']),
  'POST /api/imports/:id/retry': scoped(['pmo', 'agency'], ['agency_other']),
  'DELETE /api/imports/:id': scoped(['pmo', 'agency'], ['agency_other']),
};

/**
 * Routes a session may call while its sign-in is unfinished, besides the public ones: with a TOTP
 * code still due (`mfa_required`), or with an enrolment its roles require and it has not made
 * (`mfa_enrolment_required`). Every other route answers such a session 401 with reason
 * MFA_REQUIRED or MFA_ENROLMENT_REQUIRED.
 */
export const OPEN_DURING_SIGN_IN: Record<'mfa_required' | 'mfa_enrolment_required', readonly string[]> = {
  mfa_required: ['GET /api/auth/me', 'POST /api/auth/sign-out', 'POST /api/auth/mfa/verify'],
  mfa_enrolment_required: [
    'GET /api/auth/me',
    'POST /api/auth/sign-out',
    'POST /api/auth/mfa/verify',
    'POST /api/auth/mfa/enrolment',
    'POST /api/auth/mfa/enrolment/confirm',
  ],
};
