import { and, asc, desc, eq, gt, isNull, ne, sql, type SQL } from 'drizzle-orm';
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
  isDemo: accounts.isDemo,
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

export type BackOff = {
  /** Failures allowed in the window before each further one sets a back-off. */
  free: number;
  /** The first back-off; each further failure doubles it, up to `capSeconds`. */
  baseSeconds: number;
  capSeconds: number;
  /** A key with no failure (and no back-off) for this long starts again from zero. */
  windowMinutes: number;
};

/**
 * Counts a failed sign-in on a throttle key and sets its back-off (decision 021): the `free`-th
 * failure in the window, and each after it, makes the key wait `base · 2^(n − free)` seconds (at most
 * `cap`) before the next attempt is judged. `locked_until` holds the end of that wait. Times come
 * from the app's clock so they move with it.
 */
export async function recordSignInFailure(db: DbOrTx, key: string, b: BackOff, now: Date): Promise<void> {
  const at = now.toISOString();
  const stale = sql`greatest(sign_in_throttles.window_started_at, sign_in_throttles.locked_until) < ${at}::timestamptz - make_interval(mins => ${b.windowMinutes})`;
  const n = sql`(case when ${stale} then 1 else sign_in_throttles.failures + 1 end)`;
  const wait = (count: SQL) =>
    sql`case when ${count} >= ${b.free}
        then ${at}::timestamptz + make_interval(secs => least(${b.baseSeconds}::float8 * power(2, least(${count} - ${b.free}, 30)), ${b.capSeconds}::float8))
        end`;
  await db.execute(sql`
    insert into sign_in_throttles (key, failures, window_started_at, locked_until)
    values (${key}, 1, ${at}::timestamptz, ${wait(sql`1`)})
    on conflict (key) do update set
      failures = ${n},
      window_started_at = case when ${stale} then ${at}::timestamptz else sign_in_throttles.window_started_at end,
      locked_until = ${wait(n)}`);
}

/**
 * After a successful sign-in: the account's key goes, and so does this address's record of failures
 * on this account, which is also taken off the address's total (its failures on other accounts stay).
 */
export async function clearSignInFailures(
  db: DbOrTx,
  accountKey: string,
  address: { key: string; pairKey: string; free: number } | null,
): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, accountKey));
  if (!address) return;
  await db.execute(sql`
    with pair as (delete from sign_in_throttles where key = ${address.pairKey} returning failures)
    update sign_in_throttles
       set failures = greatest(failures - coalesce((select sum(failures) from pair), 0), 0),
           locked_until = case when failures - coalesce((select sum(failures) from pair), 0) >= ${address.free}
                          then locked_until end
     where key = ${address.key}`);
}

/** An administrator's unlock: the account's back-off, every address's count on it, its MFA lock. */
export async function clearAccountThrottles(db: DbOrTx, email: string, accountId: string): Promise<void> {
  const e = email.toLowerCase();
  await db.execute(sql`
    delete from sign_in_throttles
     where key = ${`account:${e}`} or key = ${`mfa:${accountId}`}
        or (key like 'ip:%' and right(key, ${`|account:${e}`.length}) = ${`|account:${e}`})`);
}
