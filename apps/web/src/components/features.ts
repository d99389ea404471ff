import type { Role } from '@dtp/contracts';
import { APP_NAV, type NavItem, type NavTo } from './nav-items';

/**
 * What exists and what is still planned, declared once for the home page and the dashboards.
 * A built feature is an item of APP_NAV (its route and the roles it serves); only what has no
 * route yet is listed below as planned and shown as 即將推出. When a planned feature is built,
 * its route goes into APP_NAV, it leaves PLANNED, and a chain step gets its route.
 */

/** The programme's service chain on the home page; a step with a route is open today. */
export const CHAIN: readonly { key: 'demand' | 'training' | 'ipas' | 'jobs' | 'kpi'; to: NavTo | null }[] = [
  { key: 'demand', to: null },
  { key: 'training', to: null },
  { key: 'ipas', to: null },
  { key: 'jobs', to: null },
  { key: 'kpi', to: '/kpi' },
];

/** Per role, what the plan promises and is not built yet (no route). Labels: admin:dashboard.coming.<role>.<key>. */
export const PLANNED: Record<Role, readonly string[]> = {
  admin: ['keys', 'backups'],
  pmo: [],
  agency: ['classes', 'coaching', 'exams', 'postings'],
  consultant: ['sessions', 'engagements'],
  enterprise: ['nominate', 'assessment', 'postings', 'survey'],
  learner: ['catalogue', 'enrolments', 'certificates', 'exams', 'jobs'],
  expert: ['panels', 'cases'],
};

/** Built features open to every signed-in user (the dashboard itself left out). */
export const LIVE_FOR_EVERYONE: readonly NavItem[] = APP_NAV.filter((i) => !i.roles && i.to !== '/dashboard');

/** Built features of one role. */
export const liveFor = (role: Role): readonly NavItem[] => APP_NAV.filter((i) => i.roles?.includes(role));

/** Every built feature (the dashboard itself left out), for the public home page. */
export const LIVE: readonly NavItem[] = APP_NAV.filter((i) => i.to !== '/dashboard');
