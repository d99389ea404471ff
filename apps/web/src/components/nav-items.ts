import type { Role } from '@dtp/contracts';

export type NavTo =
  | '/dashboard'
  | '/account'
  | '/admin/accounts'
  | '/admin/agencies'
  | '/admin/settings'
  | '/admin/audit'
  | '/admin/mail'
  | '/imports';

export type NavItem = { to: NavTo; labelKey: string; roles?: readonly Role[] };

/** The signed-in navigation; an item with `roles` shows only to holders of one of them. */
export const APP_NAV: readonly NavItem[] = [
  { to: '/dashboard', labelKey: 'nav.dashboard' },
  { to: '/account', labelKey: 'nav.account' },
  { to: '/imports', labelKey: 'imports:nav', roles: ['pmo', 'agency'] },
  { to: '/admin/accounts', labelKey: 'nav.accounts', roles: ['admin'] },
  { to: '/admin/agencies', labelKey: 'nav.agencies', roles: ['admin', 'pmo'] },
  { to: '/admin/settings', labelKey: 'nav.settings', roles: ['admin'] },
  { to: '/admin/audit', labelKey: 'nav.audit', roles: ['admin', 'pmo'] },
  { to: '/admin/mail', labelKey: 'nav.mail', roles: ['admin'] },
];

export const navFor = (roles: readonly Role[]) =>
  APP_NAV.filter((i) => !i.roles || i.roles.some((r) => roles.includes(r)));
