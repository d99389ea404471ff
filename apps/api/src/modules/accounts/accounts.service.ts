import {
  ROLE_SCOPES,
  type AccountDetail,
  type AccountListQuery,
  type AccountSummary,
  type Agency,
  type CreateAccountInput,
  type CreateAgencyInput,
  type CreateGrantInput,
  type Grant,
  type Page,
  type UpdateAccountInput,
} from '@dtp/contracts';
import type { Deps, RequestContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { AppError, fieldError, notFound, pgError } from '../../lib/errors.ts';
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

    async addGrant(ctx: RequestContext, accountId: string, input: CreateGrantInput): Promise<Grant> {
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
      await db.transaction(async (tx) => {
        if (!(await repo.getAccountSummary(tx, accountId))) throw notFound('account');
        if (input.scopeKind === 'agency' && !(await repo.findAgency(tx, scopeId!)))
          throw fieldError('scopeId', 'not_found');
        if (await repo.sameGrantExists(tx, grant))
          throw new AppError('CONFLICT', 'grant exists', { reason: 'GRANT_EXISTS' });
        await repo.insertGrant(tx, { id, ...grant, createdBy: ctx.actorAccountId });
        await recordAudit(tx, ctx, {
          action: 'grant.create',
          targetType: 'account',
          targetId: accountId,
          after: { grantId: id, ...grant },
        });
      });
      const held = await activeGrants(db, accountId);
      return grantView(held.find((g) => g.id === id)!);
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
