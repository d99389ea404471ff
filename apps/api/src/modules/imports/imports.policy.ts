import type { Actor } from '../../context.ts';
import type { ImportScope } from './imports.kinds.ts';
import type { JobScope } from './imports.repository.ts';

/**
 * Imports belong to the uploader's agency: agency staff reach their agency's jobs, the programme
 * office (and administrators) every job. A job outside the caller's scope answers 404.
 */
export function jobScope(actor: Actor): JobScope {
  if (actor.grants.some((g) => g.role === 'admin' || g.role === 'pmo')) return { kind: 'all' };
  return {
    kind: 'agencies',
    agencyIds: actor.grants.filter((g) => g.role === 'agency' && g.scopeId).map((g) => g.scopeId!),
  };
}

/**
 * The agency stamped on the job and on the records it makes: the uploader's first agency grant,
 * as the registry's `actingAgency` (null for the programme office).
 */
export const uploaderAgency = (actor: Actor): string | null =>
  actor.grants.some((g) => g.role === 'pmo' || g.role === 'admin')
    ? null
    : (actor.grants.find((g) => g.role === 'agency' && g.scopeId)?.scopeId ?? null);

/** What the job's rows are matched and written for: the programme office reaches every record. */
export const importScope = (job: { agencyId: string | null }): ImportScope => ({ agencyId: job.agencyId });
