import { z } from 'zod';

/** A grant's role. One account may hold several grants. */
export const Role = z.enum(['admin', 'pmo', 'agency', 'consultant', 'enterprise', 'learner', 'expert']);
export type Role = z.infer<typeof Role>;
export const ROLES = Role.options;

/**
 * What a grant reaches. `global` for admin and programme office, `agency` for agency staff,
 * `enterprise` for enterprise representatives, `self` for learners; instructors and experts are
 * scoped to what they are assigned (`class`, `engagement`, `panel`) or `self` until assigned.
 */
export const ScopeKind = z.enum(['global', 'agency', 'enterprise', 'class', 'engagement', 'panel', 'self']);
export type ScopeKind = z.infer<typeof ScopeKind>;

/**
 * The roles of programme participants: learners (everyone who signs up) and enterprise
 * representatives. Only they get a registry person (counted in K26) on first use of 我的個人資料;
 * staff (admin, programme office, agency, consultant, expert) are not participants (decision 023).
 */
export const PARTICIPANT_ROLES: readonly Role[] = ['learner', 'enterprise'];
export const isParticipant = (roles: readonly Role[]): boolean =>
  roles.some((r) => PARTICIPANT_ROLES.includes(r));

/** Training–testing separation (考訓分離): a grant may be on the training or the testing side. */
export const GrantFunction = z.enum(['training', 'testing']);
export type GrantFunction = z.infer<typeof GrantFunction>;

/** The scope kinds each role may carry. */
export const ROLE_SCOPES: Record<Role, readonly ScopeKind[]> = {
  admin: ['global'],
  pmo: ['global'],
  agency: ['agency'],
  consultant: ['self', 'class', 'engagement'],
  enterprise: ['enterprise'],
  learner: ['self'],
  expert: ['self', 'panel'],
};

export const Grant = z.object({
  id: z.uuid(),
  role: Role,
  scopeKind: ScopeKind,
  scopeId: z.uuid().nullable(),
  scopeLabel: z.string().nullable(),
  function: GrantFunction.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type Grant = z.infer<typeof Grant>;

/**
 * Roles that read personal data (registry people: all of them for admin and programme office, the
 * agency's or the enterprise's for agency staff and enterprise representatives). A grant of one of
 * them, and any grant an administrator makes to itself, takes effect only when a second
 * administrator approves it (decision 020).
 */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['admin', 'pmo', 'agency', 'enterprise'];

export const GrantRequestStatus = z.enum(['pending', 'approved', 'rejected']);
export type GrantRequestStatus = z.infer<typeof GrantRequestStatus>;

/** A grant waiting for a second administrator (or the record of that decision). */
export const GrantRequest = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  accountEmail: z.string(),
  accountName: z.string(),
  role: Role,
  scopeKind: ScopeKind,
  scopeId: z.uuid().nullable(),
  scopeLabel: z.string().nullable(),
  function: GrantFunction.nullable(),
  status: GrantRequestStatus,
  requestedBy: z.uuid(),
  requestedByEmail: z.string(),
  requestedAt: z.iso.datetime({ offset: true }),
  decidedBy: z.uuid().nullable(),
  decidedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type GrantRequest = z.infer<typeof GrantRequest>;

export const CreateGrantInput = z.object({
  role: Role,
  scopeKind: ScopeKind,
  scopeId: z.uuid().nullable().optional(),
  function: GrantFunction.nullable().optional(),
});
export type CreateGrantInput = z.infer<typeof CreateGrantInput>;
