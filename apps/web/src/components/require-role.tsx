import type { ReactNode } from 'react';
import type { Role } from '@dtp/contracts';
import { rolesOf, useMe } from '../lib/session';
import { ForbiddenPage } from './status-page';

/** Shows the page only to holders of one of `roles`; the API enforces the same rule. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const held = rolesOf(useMe());
  return held.some((r) => roles.includes(r)) ? children : <ForbiddenPage />;
}
