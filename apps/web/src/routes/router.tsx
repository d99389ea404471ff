import { createRootRouteWithContext, createRoute, createRouter, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { queryClient } from '../lib/query-client';
import { meQueryOptions } from '../lib/session';
import { AppLayout, RootLayout } from '../components/root-layout';
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
    importsRoute,
    importJobRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: 'intent',
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
