import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
} from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { queryClient } from '../lib/query-client';
import { meQueryOptions } from '../lib/session';
import { AppLayout, OpenLayout, RootLayout } from '../components/root-layout';
import { ErrorPage, NotFoundPage } from '../components/status-page';
import { RequireRole } from '../components/require-role';
import { HomePage } from '../features/public/components/home-page';
import { SiteMapPage } from '../features/public/components/site-map-page';
import { PrivacyPage } from '../features/public/components/privacy-page';
import { SecurityPage } from '../features/public/components/security-page';
import { AccessibilityPage } from '../features/public/components/accessibility-page';
import { SignInPage } from '../features/auth/components/sign-in-page';
import { MfaStepPage } from '../features/auth/components/mfa-step-page';
import { SignUpPage } from '../features/auth/components/sign-up-page';
import { VerifyEmailPage } from '../features/auth/components/verify-email-page';
import { ForgotPasswordPage } from '../features/auth/components/forgot-password-page';
import { ResetPasswordPage } from '../features/auth/components/reset-password-page';
import { SignOutPage } from '../features/auth/components/sign-out-page';
import { AccountPage } from '../features/auth/components/account-page';
import { DashboardPage } from '../features/dashboard/components/dashboard-page';
import { AccountsListPage } from '../features/accounts/components/accounts-list-page';
import { AccountDetailPage } from '../features/accounts/components/account-detail-page';
import { InviteAccountPage } from '../features/accounts/components/invite-account-page';
import { AgenciesPage } from '../features/accounts/components/agencies-page';
import { SettingsPage } from '../features/settings/components/settings-page';
import { AuditPage } from '../features/audit/components/audit-page';
import { MailListPage } from '../features/mail/components/mail-list-page';
import { MailDetailPage } from '../features/mail/components/mail-detail-page';
import { MailboxPage } from '../features/mail/components/mailbox-page';
import type { KpiSearch } from '../features/kpi/api/kpi-api';
import { PeopleListPage } from '../features/registry/components/people-list-page';
import { PersonCreatePage } from '../features/registry/components/person-create-page';
import { PersonDetailPage } from '../features/registry/components/person-detail-page';
import { EnterpriseListPage } from '../features/registry/components/enterprise-list-page';
import { EnterpriseCreatePage } from '../features/registry/components/enterprise-create-page';
import { EnterpriseDetailPage } from '../features/registry/components/enterprise-detail-page';
import { ReferencePage } from '../features/reference/components/reference-page';
import { ProgrammePage } from '../features/programme/components/programme-page';
import { MyDataPage } from '../features/personal-data/components/my-data-page';
import { ClaimInvitationPage } from '../features/personal-data/components/claim-invitation-page';
import { RequestsQueuePage } from '../features/personal-data/components/requests-queue-page';
import { ClaimsPage } from '../features/personal-data/components/claims-page';
import { DuplicatesPage } from '../features/personal-data/components/duplicates-page';
import { ImportsPage } from '../features/imports/components/imports-page';
import { ImportJobPage } from '../features/imports/components/import-job-page';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const tokenSearch = (s: Record<string, unknown>) => ({ token: str(s.token) });

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: RootLayout,
  notFoundComponent: NotFoundPage,
  errorComponent: ErrorPage,
});

const page = <P extends string>(path: P, component: () => React.ReactNode) =>
  createRoute({ getParentRoute: () => rootRoute, path, component });

const homeRoute = page('/', HomePage);
const siteMapRoute = page('/sitemap', SiteMapPage);
const privacyRoute = page('/privacy', PrivacyPage);
const securityRoute = page('/security', SecurityPage);
const accessibilityRoute = page('/accessibility', AccessibilityPage);
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (s: Record<string, unknown>): { redirect?: string } =>
    str(s.redirect) ? { redirect: str(s.redirect) } : {},
  component: SignInPage,
});
const mfaRoute = page('/sign-in/mfa', MfaStepPage);
const signUpRoute = page('/sign-up', SignUpPage);
const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/verify-email',
  validateSearch: tokenSearch,
  component: VerifyEmailPage,
});
const forgotRoute = page('/forgot-password', ForgotPasswordPage);
const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: tokenSearch,
  component: ResetPasswordPage,
});
const signOutRoute = page('/sign-out', SignOutPage);
/** The recipient's own mail: signed in, or a newcomer not yet verified by its password (decision 020). */
const mailboxRoute = page('/mailbox', MailboxPage);

/** Everything behind sign-in; a session still in an MFA stage goes to the MFA step. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQueryOptions);
    if (!me) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    if (me.stage !== 'signed_in') throw redirect({ to: '/sign-in/mfa' });
  },
  component: AppLayout,
});
const appPage = <P extends string>(path: P, component: () => React.ReactNode) =>
  createRoute({ getParentRoute: () => appRoute, path, component });

const dashboardRoute = appPage('/dashboard', DashboardPage);
const accountRoute = appPage('/account', AccountPage);
const accountsRoute = appPage('/admin/accounts', () => (
  <RequireRole roles={['admin']}>
    <AccountsListPage />
  </RequireRole>
));
const inviteRoute = appPage('/admin/accounts/new', () => (
  <RequireRole roles={['admin']}>
    <InviteAccountPage />
  </RequireRole>
));
const accountDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/accounts/$accountId',
  component: function AccountDetailRoute() {
    const { accountId } = accountDetailRoute.useParams();
    return (
      <RequireRole roles={['admin']}>
        <AccountDetailPage accountId={accountId} />
      </RequireRole>
    );
  },
});
const agenciesRoute = appPage('/admin/agencies', () => (
  <RequireRole roles={['admin', 'pmo']}>
    <AgenciesPage />
  </RequireRole>
));
const settingsRoute = appPage('/admin/settings', () => (
  <RequireRole roles={['admin']}>
    <SettingsPage />
  </RequireRole>
));
const auditRoute = appPage('/admin/audit', () => (
  <RequireRole roles={['admin', 'pmo']}>
    <AuditPage />
  </RequireRole>
));
const mailRoute = appPage('/admin/mail', () => (
  <RequireRole roles={['admin']}>
    <MailListPage />
  </RequireRole>
));
const mailDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/mail/$mailId',
  component: function MailDetailRoute() {
    const { mailId } = mailDetailRoute.useParams();
    return (
      <RequireRole roles={['admin']}>
        <MailDetailPage mailId={mailId} />
      </RequireRole>
    );
  },
});

/** The KPI pages' filters from the URL: a year (this one by default) and any breakdown value. */
function kpiSearch(s: Record<string, unknown>): KpiSearch {
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v ? Number(v) : NaN);
  const year = num(s.year);
  const through = num(s.through);
  const opt = (k: string) => (typeof s[k] === 'string' && s[k] ? { [k]: s[k] as string } : {});
  return {
    year: Number.isInteger(year) && year >= 2020 && year <= 2040 ? year : new Date().getFullYear(),
    ...(Number.isInteger(through) && through >= 1 && through <= 12 ? { through } : {}),
    ...opt('measure'),
    ...opt('county'),
    ...opt('region'),
    ...opt('industry'),
    ...opt('sme'),
    ...opt('gender'),
    ...opt('age'),
  };
}
const kpiPage = (
  name: 'KpiDashboardRoute' | 'KpiDetailRoute' | 'KpiTargetsRoute' | 'KpiReportsRoute' | 'KpiReportRoute',
) => lazyRouteComponent(() => import('./kpi-pages'), name);
const kpiRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpi',
  validateSearch: kpiSearch,
  component: kpiPage('KpiDashboardRoute'),
});
const kpiTargetsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpi/targets',
  component: kpiPage('KpiTargetsRoute'),
});
const kpiReportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpi/reports',
  component: kpiPage('KpiReportsRoute'),
});
const kpiReportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpi/reports/$reportId',
  component: kpiPage('KpiReportRoute'),
});
const kpiDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpi/$code',
  validateSearch: kpiSearch,
  component: kpiPage('KpiDetailRoute'),
});

// People and enterprises: programme office, agency staff, enterprise representatives (scoped by the API).
const REGISTRY_ROLES = ['pmo', 'agency', 'enterprise'] as const;
const REGISTRY_WRITERS = ['pmo', 'agency'] as const;
const peopleRoute = appPage('/people', () => (
  <RequireRole roles={REGISTRY_ROLES}>
    <PeopleListPage />
  </RequireRole>
));
const personNewRoute = appPage('/people/new', () => (
  <RequireRole roles={REGISTRY_WRITERS}>
    <PersonCreatePage />
  </RequireRole>
));
const personRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/people/$personId',
  component: function PersonRoute() {
    const { personId } = personRoute.useParams();
    return (
      <RequireRole roles={REGISTRY_ROLES}>
        <PersonDetailPage personId={personId} />
      </RequireRole>
    );
  },
});
const enterprisesRoute = appPage('/enterprises', () => (
  <RequireRole roles={REGISTRY_ROLES}>
    <EnterpriseListPage />
  </RequireRole>
));
const enterpriseNewRoute = appPage('/enterprises/new', () => (
  <RequireRole roles={REGISTRY_WRITERS}>
    <EnterpriseCreatePage />
  </RequireRole>
));
const enterpriseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/enterprises/$enterpriseId',
  component: function EnterpriseRoute() {
    const { enterpriseId } = enterpriseRoute.useParams();
    return (
      <RequireRole roles={REGISTRY_ROLES}>
        <EnterpriseDetailPage enterpriseId={enterpriseId} />
      </RequireRole>
    );
  },
});

/** Open to everyone; signed-in users keep their side navigation. */
const openRoute = createRoute({ getParentRoute: () => rootRoute, id: 'open', component: OpenLayout });
const programmeRoute = createRoute({
  getParentRoute: () => openRoute,
  path: '/programme',
  component: ProgrammePage,
});
const referenceRoute = createRoute({
  getParentRoute: () => openRoute,
  path: '/reference',
  component: ReferencePage,
});
const myDataRoute = appPage('/me/personal-data', MyDataPage);
const claimRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/claim',
  validateSearch: tokenSearch,
  component: function ClaimRoute() {
    const { token } = claimRoute.useSearch();
    return <ClaimInvitationPage token={token} />;
  },
});
const requestsQueueRoute = appPage('/admin/personal-data-requests', () => (
  <RequireRole roles={['pmo']}>
    <RequestsQueuePage />
  </RequireRole>
));
const claimsRoute = appPage('/admin/person-claims', () => (
  <RequireRole roles={['pmo', 'agency']}>
    <ClaimsPage />
  </RequireRole>
));
const duplicatesRoute = appPage('/admin/people-duplicates', () => (
  <RequireRole roles={['pmo']}>
    <DuplicatesPage />
  </RequireRole>
));
const importsRoute = appPage('/imports', () => (
  <RequireRole roles={['pmo', 'agency']}>
    <ImportsPage />
  </RequireRole>
));
const importJobRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/imports/$jobId',
  component: function ImportJobRoute() {
    const { jobId } = importJobRoute.useParams();
    return (
      <RequireRole roles={['pmo', 'agency']}>
        <ImportJobPage jobId={jobId} />
      </RequireRole>
    );
  },
});

const routeTree = rootRoute.addChildren([
  homeRoute,
  siteMapRoute,
  privacyRoute,
  securityRoute,
  accessibilityRoute,
  signInRoute,
  mfaRoute,
  signUpRoute,
  verifyEmailRoute,
  forgotRoute,
  resetRoute,
  signOutRoute,
  mailboxRoute,
  appRoute.addChildren([
    dashboardRoute,
    accountRoute,
    accountsRoute,
    inviteRoute,
    accountDetailRoute,
    agenciesRoute,
    settingsRoute,
    auditRoute,
    mailRoute,
    mailDetailRoute,
    kpiRoute,
    kpiTargetsRoute,
    kpiReportsRoute,
    kpiReportRoute,
    kpiDetailRoute,
    peopleRoute,
    personNewRoute,
    personRoute,
    enterprisesRoute,
    enterpriseNewRoute,
    enterpriseRoute,
    myDataRoute,
    claimRoute,
    requestsQueueRoute,
    claimsRoute,
    duplicatesRoute,
    importsRoute,
    importJobRoute,
  ]),
  openRoute.addChildren([programmeRoute, referenceRoute]),
]);

export const router = createRouter({
  routeTree,
  // Plain query strings (?county=64000), not JSON-quoted ones: every route's validateSearch reads strings.
  parseSearch: (search) => Object.fromEntries(new URLSearchParams(search)),
  stringifySearch: (search) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(search))
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    return s ? `?${s}` : '';
  },
  context: { queryClient },
  defaultPreload: 'intent',
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
