import {
  PERSONAL_DATA_ROLES,
  ROLE_SCOPES,
  type AccountDetail,
  type AccountListQuery,
  type AccountSummary,
  type Agency,
  type CreateAccountInput,
  type CreateAgencyInput,
  type CreateGrantInput,
  type Grant,
  type GrantRequest,
  type Page,
  type UpdateAccountInput,
} from '@dtp/contracts';
import type { Deps, RequestContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { AppError, fieldError, notFound, pgError, unauthorized } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { activeGrants, grantView, type AuthService } from '../auth/index.ts';
import * as repo from './accounts.repository.ts';

const toSummary = (r: Awaited<ReturnType<typeof repo.getAccountSummary>> & object): AccountSummary => ({
  id: r.id,
  email: r.email,
  displayName: r.displayName,
  status: r.status,
  emailVerified: r.emailVerified,
  mfaEnabled: r.mfaEnabled,
  roles: r.roles as AccountSummary['roles'],
  createdAt: r.createdAt,
});

/** At most this many pending grant requests are listed (they are decided, not accumulated). */
const PENDING_LIMIT = 200;

/**
 * A grant an administrator makes to itself, or of a role that reads personal data, waits for a
 * second administrator (decision 020).
 */
export const grantNeedsApproval = (actorAccountId: string | null, accountId: string, role: string) =>
  actorAccountId === accountId || (PERSONAL_DATA_ROLES as readonly string[]).includes(role);

export function createAccountsService(deps: Deps, auth: AuthService) {
  const { db } = deps.database;

  async function getAccount(id: string): Promise<AccountDetail> {
    const row = await repo.getAccountSummary(db, id);
    if (!row) throw notFound('account');
    const held = await activeGrants(db, id);
    return { ...toSummary(row), locale: row.locale, grants: held.map(grantView) };
  }

  return {
    getAccount,

    async listAccounts(q: AccountListQuery): Promise<Page<AccountSummary>> {
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const [rows, total] = await Promise.all([
        repo.listAccounts(db, { ...q, after }, q.limit),
        repo.countAccounts(deps.database, q, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit).map(toSummary);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    /** Creates an account without a password and e-mails an invitation to set one. */
    async createAccount(ctx: RequestContext, input: CreateAccountInput): Promise<AccountDetail> {
      const email = input.email.toLowerCase();
      const id = newId();
      await db
        .transaction(async (tx) => {
          if (await repo.findByEmail(tx, email)) throw fieldError('email', 'taken', 'EMAIL_TAKEN');
          await repo.insertAccount(tx, { id, email, displayName: input.displayName, locale: input.locale });
          await recordAudit(tx, ctx, {
            action: 'account.create',
            targetType: 'account',
            targetId: id,
            after: { email, displayName: input.displayName, locale: input.locale },
          });
          await auth.issueEmailToken(
            tx,
            { id, email, displayName: input.displayName, locale: input.locale },
            'invitation',
          );
        })
        .catch((e: unknown) => {
          if (pgError(e).code === '23505') throw fieldError('email', 'taken', 'EMAIL_TAKEN');
          throw e;
        });
      return getAccount(id);
    },

    async updateAccount(ctx: RequestContext, id: string, input: UpdateAccountInput): Promise<AccountDetail> {
      await db.transaction(async (tx) => {
        const before = await repo.getAccountSummary(tx, id);
        if (!before) throw notFound('account');
        const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        if (Object.keys(set).length === 0) return;
        if (input.status === 'disabled' && id === ctx.actorAccountId) {
          throw new AppError('PRECONDITION_FAILED', 'you cannot disable your own account', {
            reason: 'LAST_ADMIN',
          });
        }
        await repo.updateAccount(tx, id, set);
        const pick = (r: Record<string, unknown>) =>
          Object.fromEntries(Object.keys(set).map((k) => [k, r[k]]));
        await recordAudit(tx, ctx, {
          action: 'account.update',
          targetType: 'account',
          targetId: id,
          before: pick(before),
          after: set,
        });
      });
      return getAccount(id);
    },

    /** Clears an account's sign-in back-off and its MFA lock (decision 021); audited. */
    async unlockSignIn(ctx: RequestContext, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const account = await repo.getAccountSummary(tx, id);
        if (!account) throw notFound('account');
        await auth.clearSignInLimits(tx, account);
        await recordAudit(tx, ctx, {
          action: 'account.sign_in_unlocked',
          targetType: 'account',
          targetId: id,
        });
      });
    },

    /** A grant that takes effect at once (`granted`), or a request a second administrator decides (`pending`). */
    async addGrant(
      ctx: RequestContext,
      accountId: string,
      input: CreateGrantInput,
    ): Promise<{ granted: Grant; pending?: never } | { pending: GrantRequest; granted?: never }> {
      if (!ROLE_SCOPES[input.role].includes(input.scopeKind)) {
        throw fieldError('scopeKind', 'not_allowed_for_role', undefined, {
          role: input.role,
          allowed: ROLE_SCOPES[input.role],
        });
      }
      const needsScope = input.scopeKind !== 'global' && input.scopeKind !== 'self';
      if (needsScope && !input.scopeId) throw fieldError('scopeId', 'required');
      const scopeId = needsScope ? (input.scopeId ?? null) : null;
      const grant = {
        accountId,
        role: input.role,
        scopeKind: input.scopeKind,
        scopeId,
        function: input.function ?? null,
      };
      const id = newId();
      const pending = grantNeedsApproval(ctx.actorAccountId, accountId, input.role);
      await db.transaction(async (tx) => {
        if (!(await repo.getAccountSummary(tx, accountId))) throw notFound('account');
        if (input.scopeKind === 'agency' && !(await repo.findAgency(tx, scopeId!)))
          throw fieldError('scopeId', 'not_found');
        if (await repo.sameGrantExists(tx, grant))
          throw new AppError('CONFLICT', 'grant exists', { reason: 'GRANT_EXISTS' });
        if (pending) {
          if (!ctx.actorAccountId) throw unauthorized();
          if (await repo.samePendingRequestExists(tx, grant))
            throw new AppError('CONFLICT', 'grant request exists', { reason: 'GRANT_REQUEST_EXISTS' });
          await repo.insertGrantRequest(tx, { id, ...grant, requestedBy: ctx.actorAccountId });
          await recordAudit(tx, ctx, {
            action: 'grant.request',
            targetType: 'account',
            targetId: accountId,
            after: { requestId: id, ...grant },
          });
          return;
        }
        await repo.insertGrant(tx, { id, ...grant, createdBy: ctx.actorAccountId });
        await recordAudit(tx, ctx, {
          action: 'grant.create',
          targetType: 'account',
          targetId: accountId,
          after: { grantId: id, ...grant },
        });
      });
      if (pending) return { pending: (await repo.getGrantRequest(db, id))! };
      const held = await activeGrants(db, accountId);
      return { granted: grantView(held.find((g) => g.id === id)!) };
    },

    listGrantRequests: async (): Promise<GrantRequest[]> => repo.listPendingRequests(db, PENDING_LIMIT),

    /**
     * A second administrator approves: neither the requester nor the account receiving the grant
     * may. The grant is written (created by the requester) and both steps are audited.
     */
    async approveGrantRequest(ctx: RequestContext, requestId: string): Promise<Grant> {
      const grantId = newId();
      const accountId = await db.transaction(async (tx) => {
        const r = await repo.lockGrantRequest(tx, requestId);
        if (!r) throw notFound('grant request');
        if (r.status !== 'pending')
          throw new AppError('CONFLICT', 'already decided', { reason: 'GRANT_REQUEST_DECIDED' });
        if (
          !ctx.actorAccountId ||
          ctx.actorAccountId === r.requestedBy ||
          ctx.actorAccountId === r.accountId
        ) {
          throw new AppError('FORBIDDEN', 'a second administrator must approve', {
            reason: 'GRANT_SELF_APPROVAL',
          });
        }
        const grant = {
          accountId: r.accountId,
          role: r.role,
          scopeKind: r.scopeKind,
          scopeId: r.scopeId,
          function: r.function,
        };
        // An account disabled (or anonymised) since the request gets nothing.
        if ((await repo.getAccountSummary(tx, r.accountId))?.status !== 'active') {
          throw new AppError('PRECONDITION_FAILED', 'account disabled', { reason: 'ACCOUNT_DISABLED' });
        }
        if (r.scopeKind === 'agency' && !(await repo.findAgency(tx, r.scopeId!)))
          throw fieldError('scopeId', 'not_found');
        if (await repo.sameGrantExists(tx, grant))
          throw new AppError('CONFLICT', 'grant exists', { reason: 'GRANT_EXISTS' });
        await repo.insertGrant(tx, { id: grantId, ...grant, createdBy: r.requestedBy });
        await repo.decideGrantRequest(tx, r.id, {
          status: 'approved',
          decidedBy: ctx.actorAccountId,
          grantId,
        });
        await recordAudit(tx, ctx, {
          action: 'grant.approve',
          targetType: 'account',
          targetId: r.accountId,
          after: { requestId: r.id, grantId, requestedBy: r.requestedBy, ...grant },
        });
        await recordAudit(tx, ctx, {
          action: 'grant.create',
          targetType: 'account',
          targetId: r.accountId,
          after: { grantId, requestId: r.id, ...grant },
        });
        return r.accountId;
      });
      const held = await activeGrants(db, accountId);
      return grantView(held.find((g) => g.id === grantId)!);
    },

    /** Any administrator may reject (the requester withdrawing its own request included). */
    async rejectGrantRequest(ctx: RequestContext, requestId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const r = await repo.lockGrantRequest(tx, requestId);
        if (!r) throw notFound('grant request');
        if (r.status !== 'pending')
          throw new AppError('CONFLICT', 'already decided', { reason: 'GRANT_REQUEST_DECIDED' });
        if (!ctx.actorAccountId) throw unauthorized();
        await repo.decideGrantRequest(tx, r.id, { status: 'rejected', decidedBy: ctx.actorAccountId });
        await recordAudit(tx, ctx, {
          action: 'grant.reject',
          targetType: 'account',
          targetId: r.accountId,
          before: {
            requestId: r.id,
            requestedBy: r.requestedBy,
            role: r.role,
            scopeKind: r.scopeKind,
            scopeId: r.scopeId,
            function: r.function,
          },
        });
      });
    },

    async revokeGrant(ctx: RequestContext, accountId: string, grantId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const grant = await repo.findGrant(tx, accountId, grantId);
        if (!grant) throw notFound('grant');
        if (grant.role === 'admin' && (await repo.otherActiveAdmins(tx, grant.id)) === 0) {
          throw new AppError('PRECONDITION_FAILED', 'the last administrator cannot be removed', {
            reason: 'LAST_ADMIN',
          });
        }
        await repo.revokeGrant(tx, grant.id);
        await recordAudit(tx, ctx, {
          action: 'grant.revoke',
          targetType: 'account',
          targetId: accountId,
          before: { grantId, ...grant },
        });
      });
    },

    listAgencies: (): Promise<Agency[]> => repo.listAgencies(db),

    async createAgency(ctx: RequestContext, input: CreateAgencyInput): Promise<Agency> {
      return db
        .transaction(async (tx) => {
          const [row] = await repo.insertAgency(tx, { id: newId(), code: input.code, name: input.name });
          await recordAudit(tx, ctx, {
            action: 'agency.create',
            targetType: 'agency',
            targetId: row!.id,
            after: input,
          });
          return row!;
        })
        .catch((e: unknown) => {
          if (pgError(e).code === '23505') throw fieldError('code', 'taken');
          throw e;
        });
    },
  };
}
export type AccountsService = ReturnType<typeof createAccountsService>;

/** The accounts holding an active grant of `role` on a scope; other modules call this, never the tables. */
export const listScopeHolders = (db: DbOrTx, role: 'enterprise' | 'agency', scopeId: string) =>
  repo.listScopeHolders(db, role, scopeId);
