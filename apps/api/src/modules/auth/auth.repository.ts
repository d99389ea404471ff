import { and, asc, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  accounts,
  agencies,
  authSessions,
  emailTokens,
  grants,
  mfaRecoveryCodes,
  signInThrottles,
} from '../../db/schema/index.ts';

export const accountCols = {
  id: accounts.id,
  email: accounts.email,
  displayName: accounts.displayName,
  passwordHash: accounts.passwordHash,
  status: accounts.status,
  emailVerifiedAt: accounts.emailVerifiedAt,
  locale: accounts.locale,
  calendar: accounts.calendar,
  mfaSecretEnc: accounts.mfaSecretEnc,
  mfaKeyId: accounts.mfaKeyId,
  mfaEnabledAt: accounts.mfaEnabledAt,
  mfaLastStep: accounts.mfaLastStep,
};
export type AccountRow = { [K in keyof typeof accountCols]: (typeof accounts.$inferSelect)[K] };

export async function findAccountByEmail(db: DbOrTx, email: string): Promise<AccountRow | undefined> {
  const [row] = await db.select(accountCols).from(accounts).where(eq(accounts.email, email.toLowerCase()));
  return row;
}

export async function findAccountById(
  db: DbOrTx,
  id: string,
  forUpdate = false,
): Promise<AccountRow | undefined> {
  const q = db.select(accountCols).from(accounts).where(eq(accounts.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export const insertAccount = (db: DbOrTx, row: typeof accounts.$inferInsert) =>
  db.insert(accounts).values(row);

export const updateAccount = (db: DbOrTx, id: string, set: Partial<typeof accounts.$inferInsert>) =>
  db
    .update(accounts)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(accounts.id, id));

export const insertGrant = (db: DbOrTx, row: typeof grants.$inferInsert) => db.insert(grants).values(row);

export function activeGrants(db: DbOrTx, accountId: string) {
  return db
    .select({
      id: grants.id,
      role: grants.role,
      scopeKind: grants.scopeKind,
      scopeId: grants.scopeId,
      function: grants.function,
      createdAt: grants.createdAt,
      scopeLabel: sql<
        string | null
      >`case when ${grants.scopeKind} = 'agency' then ${agencies.name}->>'zh-TW' end`,
    })
    .from(grants)
    .leftJoin(agencies, and(eq(grants.scopeKind, 'agency'), eq(agencies.id, grants.scopeId)))
    .where(and(eq(grants.accountId, accountId), isNull(grants.revokedAt)))
    .orderBy(asc(grants.createdAt));
}

export const insertSession = (db: DbOrTx, row: typeof authSessions.$inferInsert) =>
  db.insert(authSessions).values(row);

export const updateSessionStage = (db: DbOrTx, id: string, stage: 'signed_in') =>
  db.update(authSessions).set({ stage }).where(eq(authSessions.id, id));

export const revokeSession = (db: DbOrTx, id: string, accountId: string) =>
  db
    .update(authSessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(eq(authSessions.id, id), eq(authSessions.accountId, accountId), isNull(authSessions.revokedAt)),
    )
    .returning({ id: authSessions.id });

export const revokeAllSessions = (db: DbOrTx, accountId: string, exceptId?: string) =>
  db
    .update(authSessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(authSessions.accountId, accountId),
        isNull(authSessions.revokedAt),
        exceptId ? ne(authSessions.id, exceptId) : undefined,
      ),
    );

export function listSessions(db: DbOrTx, accountId: string, now: Date) {
  return db
    .select({
      id: authSessions.id,
      createdAt: authSessions.createdAt,
      lastSeenAt: authSessions.lastSeenAt,
      ip: authSessions.ip,
      userAgent: authSessions.userAgent,
    })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.accountId, accountId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, now),
      ),
    )
    .orderBy(desc(authSessions.lastSeenAt));
}

export const insertEmailToken = (db: DbOrTx, row: typeof emailTokens.$inferInsert) =>
  db.insert(emailTokens).values(row);

/** Consumes a single-use token atomically: a second use finds nothing. */
export async function consumeEmailToken(
  db: DbOrTx,
  tokenHash: string,
  purpose: 'verify_email' | 'reset_password',
  now: Date,
) {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning({ accountId: emailTokens.accountId });
  return row;
}

export const replaceRecoveryCodes = async (
  db: DbOrTx,
  accountId: string,
  rows: (typeof mfaRecoveryCodes.$inferInsert)[],
) => {
  await db.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.accountId, accountId));
  if (rows.length) await db.insert(mfaRecoveryCodes).values(rows);
};

export async function useRecoveryCode(db: DbOrTx, accountId: string, codeHash: string, now: Date) {
  const [row] = await db
    .update(mfaRecoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(mfaRecoveryCodes.accountId, accountId),
        eq(mfaRecoveryCodes.codeHash, codeHash),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: mfaRecoveryCodes.id });
  return !!row;
}

export async function throttleState(db: DbOrTx, keys: string[]) {
  return db
    .select({ key: signInThrottles.key, lockedUntil: signInThrottles.lockedUntil })
    .from(signInThrottles)
    .where(sql`${signInThrottles.key} = any(${sql.param(keys)}::text[])`);
}

/** Counts a failure; the window restarts after the lock period; reaching the limit locks the key. */
export async function recordFailure(db: DbOrTx, key: string, max: number, lockMinutes: number) {
  await db.execute(sql`
    insert into sign_in_throttles (key, failures, window_started_at, locked_until)
    values (${key}, 1, now(), case when 1 >= ${max} then now() + make_interval(mins => ${lockMinutes}) end)
    on conflict (key) do update set
      failures = case when sign_in_throttles.window_started_at < now() - make_interval(mins => ${lockMinutes})
                      then 1 else sign_in_throttles.failures + 1 end,
      window_started_at = case when sign_in_throttles.window_started_at < now() - make_interval(mins => ${lockMinutes})
                      then now() else sign_in_throttles.window_started_at end,
      locked_until = case when (case when sign_in_throttles.window_started_at < now() - make_interval(mins => ${lockMinutes})
                      then 1 else sign_in_throttles.failures + 1 end) >= ${max}
                      then now() + make_interval(mins => ${lockMinutes}) else sign_in_throttles.locked_until end`);
}

export const clearThrottle = (db: DbOrTx, key: string) =>
  db.delete(signInThrottles).where(eq(signInThrottles.key, key));
