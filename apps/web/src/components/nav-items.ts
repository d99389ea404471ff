import type { Role } from '@dtp/contracts';

export type NavTo =
  | '/dashboard'
  | '/account'
  | '/mailbox'
  | '/admin/accounts'
  | '/admin/agencies'
  | '/admin/settings'
  | '/admin/audit'
  | '/admin/mail'
  | '/kpi'
  | '/kpi/targets'
  | '/kpi/reports'
  | '/people'
  | '/enterprises'
  | '/reference'
  | '/programme'
  | '/me/personal-data'
  | '/admin/personal-data-requests'
  | '/admin/person-claims'
  | '/admin/people-duplicates'
  | '/imports';

export type NavItem = { to: NavTo; labelKey: string; roles?: readonly Role[] };

/** The signed-in navigation; an item with `roles` shows only to holders of one of them. */
export const APP_NAV: readonly NavItem[] = [
  { to: '/dashboard', labelKey: 'nav.dashboard' },
  { to: '/kpi', labelKey: 'nav.kpi', roles: ['pmo', 'agency'] },
  { to: '/kpi/targets', labelKey: 'nav.kpiTargets', roles: ['pmo'] },
  { to: '/kpi/reports', labelKey: 'nav.kpiReports', roles: ['pmo'] },
  { to: '/account', labelKey: 'nav.account' },
  { to: '/mailbox', labelKey: 'nav.myMail' },
  { to: '/people', labelKey: 'registry:nav.people', roles: ['pmo', 'agency', 'enterprise'] },
  { to: '/enterprises', labelKey: 'registry:nav.enterprises', roles: ['pmo', 'agency', 'enterprise'] },
  { to: '/programme', labelKey: 'programme:nav' },
  { to: '/reference', labelKey: 'reference:nav' },
  { to: '/me/personal-data', labelKey: 'personalData:nav.mine' },
  { to: '/imports', labelKey: 'imports:nav', roles: ['pmo', 'agency'] },
  { to: '/admin/accounts', labelKey: 'nav.accounts', roles: ['admin'] },
  { to: '/admin/agencies', labelKey: 'nav.agencies', roles: ['admin', 'pmo'] },
  { to: '/admin/settings', labelKey: 'nav.settings', roles: ['admin'] },
  { to: '/admin/audit', labelKey: 'nav.audit', roles: ['admin', 'pmo'] },
  { to: '/admin/mail', labelKey: 'nav.mail', roles: ['admin'] },
  { to: '/admin/personal-data-requests', labelKey: 'personalData:nav.requests', roles: ['pmo'] },
  { to: '/admin/person-claims', labelKey: 'personalData:nav.claims', roles: ['pmo', 'agency'] },
  { to: '/admin/people-duplicates', labelKey: 'personalData:nav.duplicates', roles: ['pmo'] },
];

export const navFor = (roles: readonly Role[]) =>
  APP_NAV.filter((i) => !i.roles || i.roles.some((r) => roles.includes(r)));

/** The deepest item a page is under: /kpi/reports/… marks the reports item, not /kpi as well. */
export const activeNavItem = (items: readonly NavItem[], pathname: string): string | undefined =>
  items
    .map((i) => i.to as string)
    .filter((to) => pathname === to || pathname.startsWith(`${to}/`))
    .sort((a, b) => b.length - a.length)[0];
