import type { Actor } from '../../context.ts';

/**
 * Who reaches which people and enterprises. Admin and programme office: everyone. Agency staff:
 * records their agency brought in (later also the people in their measures' classes). Enterprise
 * representatives: their own enterprise and its people. Out of scope answers 404.
 */
export type RegistryScope =
  | { kind: 'all' }
  | { kind: 'agencies'; agencyIds: string[] }
  | { kind: 'enterprises'; enterpriseIds: string[] }
  | { kind: 'none' };

export function registryScope(actor: Actor): RegistryScope {
  if (actor.grants.some((g) => g.role === 'admin' || g.role === 'pmo')) return { kind: 'all' };
  const agencyIds = actor.grants.filter((g) => g.role === 'agency' && g.scopeId).map((g) => g.scopeId!);
  if (agencyIds.length) return { kind: 'agencies', agencyIds };
  const enterpriseIds = actor.grants
    .filter((g) => g.role === 'enterprise' && g.scopeId)
    .map((g) => g.scopeId!);
  if (enterpriseIds.length) return { kind: 'enterprises', enterpriseIds };
  return { kind: 'none' };
}

/** The agency a record created by this actor is stamped with (the first agency grant), if any. */
export const actingAgency = (actor: Actor): string | null =>
  actor.grants.find((g) => g.role === 'agency' && g.scopeId)?.scopeId ?? null;

/** Revealing a whole national ID is a permission of the programme office, and is audited. */
export const canRevealNationalId = (actor: Actor): boolean => actor.grants.some((g) => g.role === 'pmo');

/**
 * 統一編號 identifies the enterprise (its KPI facts, imports and matching key on it): only staff
 * (programme office, or agency staff in scope) change it; a representative edits the rest.
 */
export const mayChangeUbn = (actor: Actor): boolean =>
  actor.grants.some((g) => g.role === 'pmo' || g.role === 'admin' || g.role === 'agency');
