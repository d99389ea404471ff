import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import type {
  AuthSessionInfo,
  ChangePasswordInput,
  Grant,
  Me,
  MfaEnrolment,
  RecoveryCodes,
  ResetPasswordInput,
  SignInInput,
  SignInResult,
  SignInStage,
  SignUpInput,
  UpdateMeInput,
} from '@dtp/contracts';
import { formatDateTime } from '@dtp/contracts';
import type { Actor, Deps, RequestContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { decryptField, encryptField, sha256 } from '../../lib/crypto.ts';
import { AppError, fieldError, notFound, pgError, unauthorized } from '../../lib/errors.ts';
import { PUBLISHED_DEMO_PASSWORD } from '../../config.ts';
import { newId, newToken } from '../../lib/ids.ts';
import { hashPassword, verifyPassword } from '../../lib/passwords.ts';
import { matchTotp, newTotpSecret, totpUrl } from '../../lib/totp.ts';
import { recordAudit } from '../audit/index.ts';
import { enqueueEmail } from '../outbox/index.ts';
import type { SettingsService } from '../settings/index.ts';
import * as repo from './auth.repository.ts';

const HOUR = 3_600_000;
const TOKEN_TTL = { verify_email: 24 * HOUR, reset_password: HOUR, invitation: 7 * 24 * HOUR } as const;
const RECOVERY_CODE_COUNT = 10;
const MAIL_PER_WINDOW = 3;
const MAIL_WINDOW_MINUTES = 15;

/**
 * Sign-in throttling (decision 021). Per account: `maxFailures` free failures in the window, then
 * a back-off from 15 s doubling up to the window; never a lock of the correct password. Per address
 * (all accounts together): far more (SIGNIN_ADDRESS_MAX_FAILURES, default 100), then a back-off from
 * 5 s. The pair key (this address on this account) only keeps count, so that a success can take
 * exactly those failures off the address's total.
 */
function signInPolicy(lockout: { maxFailures: number; lockMinutes: number }, addressMax: number) {
  const window = { windowMinutes: lockout.lockMinutes, capSeconds: lockout.lockMinutes * 60 };
  return {
    account: { ...window, free: lockout.maxFailures, baseSeconds: 15 },
    address: { ...window, free: addressMax, baseSeconds: 5 },
    pair: { ...window, free: 2 ** 31 - 1, baseSeconds: 0 },
  };
}

/** A refusal that says which limit applied and when to try again. */
function throttled(reason: 'ACCOUNT_THROTTLED' | 'ADDRESS_THROTTLED', until: Date, now: Date): AppError {
  return new AppError('LIMIT_EXCEEDED', 'too many failed sign-ins', {
    reason,
    params: {
      until: until.toISOString(),
      retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
    },
  });
}

export type NewSession = { token: string; stage: SignInStage };

const toIso = (d: Date) => d.toISOString();

/** Whether any of these grants has one of these roles (who must use MFA, by setting). */
const holdsAny = (held: { role: string }[], roles: readonly string[]) =>
  held.some((g) => roles.includes(g.role));

export function grantView(g: Awaited<ReturnType<typeof repo.activeGrants>>[number]): Grant {
  return {
    id: g.id,
    role: g.role,
    scopeKind: g.scopeKind,
    scopeId: g.scopeId,
    scopeLabel: g.scopeLabel,
    function: g.function,
    createdAt: toIso(g.createdAt),
  };
}

/** Recovery codes look like `7KQ2-M9XD-4TRB`: no 0/O/1/I to misread. */
function newRecoveryCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[randomInt(alphabet.length)];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`;
}
const normaliseRecovery = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Work other modules do inside the sign-up transaction (the person record, the §8 consents). */
export type AuthHooks = {
  afterSignUp?: (
    tx: DbOrTx,
    ctx: RequestContext,
    account: { id: string; email: string; displayName: string; locale: 'zh-TW' | 'en' },
    input: SignUpInput,
  ) => Promise<void>;
};

export function createAuthService(deps: Deps, settings: SettingsService, hooks: AuthHooks = {}) {
  const { db } = deps.database;
  const link = (path: string, token: string) =>
    `${deps.config.publicUrl}${path}?token=${encodeURIComponent(token)}`;

  /** Demo accounts (seeded, shared password) skip MFA while the platform runs in demo mode (decision 022). */
  const exempt = (account: { isDemo: boolean }) => deps.config.demo && account.isDemo;

  async function mfaRequiredFor(account: { id: string; isDemo: boolean }, tx: DbOrTx = db): Promise<boolean> {
    if (exempt(account)) return false;
    const required = await settings.getSetting('auth.mfaRequiredRoles', tx);
    if (required.length === 0) return false;
    return holdsAny(await repo.activeGrants(tx, account.id), required);
  }

  async function issueEmailToken(
    tx: DbOrTx,
    account: { id: string; email: string; displayName: string; locale: 'zh-TW' | 'en' },
    kind: 'verify_email' | 'reset_password' | 'invitation',
  ): Promise<void> {
    const token = newToken();
    await repo.insertEmailToken(tx, {
      id: newId(),
      accountId: account.id,
      purpose: kind === 'verify_email' ? 'verify_email' : 'reset_password',
      tokenHash: sha256(token),
      expiresAt: new Date(deps.now().getTime() + TOKEN_TTL[kind]),
    });
    const path = kind === 'verify_email' ? '/verify-email' : '/reset-password';
    await enqueueEmail(
      tx,
      {
        to: account.email,
        accountId: account.id,
        locale: account.locale,
        template: kind,
        params: { name: account.displayName, url: link(path, token) },
      },
      deps.keys,
    );
  }

  async function createSession(
    tx: DbOrTx,
    accountId: string,
    stage: SignInStage,
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<NewSession> {
    const token = newToken();
    const now = deps.now();
    await repo.insertSession(tx, {
      id: newId(),
      tokenHash: sha256(token),
      accountId,
      stage,
      csrfToken: newToken(24),
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + deps.config.sessionAbsoluteHours * HOUR),
    });
    return { token, stage };
  }

  function readSecret(account: repo.AccountRow): string {
    if (!account.mfaSecretEnc || !account.mfaKeyId)
      throw new AppError('PRECONDITION_FAILED', 'no MFA secret', { reason: 'MFA_NOT_ENABLED' });
    return decryptField(deps.keys, account.mfaKeyId, account.mfaSecretEnc);
  }

  /** Accepts a TOTP code (never the same step twice) or an unused recovery code. */
  async function checkSecondFactor(
    tx: DbOrTx,
    account: repo.AccountRow,
    code: string,
  ): Promise<'totp' | 'recovery' | null> {
    if (/^\d{6}$/.test(code)) {
      const step = matchTotp(readSecret(account), code, deps.now());
      if (step === null || (account.mfaLastStep !== null && step <= account.mfaLastStep)) return null;
      await repo.updateAccount(tx, account.id, { mfaLastStep: step });
      return 'totp';
    }
    const used = await repo.useRecoveryCode(tx, account.id, sha256(normaliseRecovery(code)), deps.now());
    return used ? 'recovery' : null;
  }

  /**
   * Unauthenticated requests that send e-mail (reset, resend verification) are limited per address:
   * MAIL_PER_WINDOW in MAIL_WINDOW_MINUTES, beyond which the request is answered the same but sends
   * nothing, so nobody can flood someone's mailbox through the platform.
   */
  async function mayMail(tx: DbOrTx, email: string): Promise<boolean> {
    const key = `mail:${email.toLowerCase()}`;
    const [state] = await repo.throttleState(tx, [key]);
    if (state?.lockedUntil && state.lockedUntil > deps.now()) return false;
    await repo.recordFailure(tx, key, MAIL_PER_WINDOW, MAIL_WINDOW_MINUTES);
    return true;
  }

  /** Counts a failed sign-in on the account, on the address, and on this address for this account. */
  async function recordSignInFailure(
    ctx: RequestContext,
    accountId: string | null,
    email: string,
    accountKey: string,
    address: { key: string; pairKey: string } | null,
    policy: ReturnType<typeof signInPolicy>,
  ): Promise<void> {
    const now = deps.now();
    await db.transaction(async (tx) => {
      await repo.recordSignInFailure(tx, accountKey, policy.account, now);
      if (address) {
        await repo.recordSignInFailure(tx, address.key, policy.address, now);
        await repo.recordSignInFailure(tx, address.pairKey, policy.pair, now);
      }
      await recordAudit(tx, ctx, {
        action: 'auth.sign_in_failed',
        targetType: 'account',
        targetId: accountId,
        after: { email },
      });
    });
  }

  async function makeRecoveryCodes(tx: DbOrTx, accountId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await repo.replaceRecoveryCodes(
      tx,
      accountId,
      codes.map((c) => ({ id: newId(), accountId, codeHash: sha256(normaliseRecovery(c)) })),
    );
    return codes;
  }

  /**
   * Outside demo mode the demo password (the README's, or DEMO_PASSWORD) opens nothing and cannot be
   * chosen: demo accounts left in a database, or a copied password, must not be a way in (issue #8).
   */
  const isDemoPassword = (password: string) =>
    !deps.config.demo && (password === PUBLISHED_DEMO_PASSWORD || password === deps.config.demoPassword);
  const refuseDemoPassword = (field: string, password: string) => {
    if (isDemoPassword(password)) throw fieldError(field, 'demo_password', 'WEAK_PASSWORD');
  };

  /**
   * The password check of every sign-in path: the address's and the account's back-off (decision
   * 021), the demo password refused outside demo mode, a failure counted. An active account passes.
   */
  async function checkPassword(ctx: RequestContext, input: SignInInput) {
    const email = input.email.toLowerCase();
    const lockout = await settings.getSetting('auth.signInLockout');
    const policy = signInPolicy(lockout, deps.config.signInAddressMaxFailures);
    const accountKey = `account:${email}`;
    const address = ctx.ip
      ? { key: `ip:${ctx.ip}`, pairKey: `ip:${ctx.ip}|${accountKey}`, free: policy.address.free }
      : null;
    const now = deps.now();
    const states = await repo.throttleState(db, [accountKey, ...(address ? [address.key] : [])]);
    const waitOf = (key: string) => {
      const until = states.find((s) => s.key === key)?.lockedUntil;
      return until && until > now ? until : null;
    };
    // An address that failed far more than any person would waits first, before any work is done.
    const addressWait = address && waitOf(address.key);
    if (addressWait) throw throttled('ADDRESS_THROTTLED', addressWait, now);
    const accountWait = waitOf(accountKey);

    const account = await repo.findAccountByEmail(db, email);
    // The password is always checked (same cost whether the account backs off, exists or has MFA);
    // the demo password outside demo mode fails like a wrong one (counted, same answer, same time).
    const ok =
      (await verifyPassword(account?.passwordHash ?? null, input.password)) &&
      !isDemoPassword(input.password);
    // While the account backs off, only the correct password of an account with MFA gets through
    // (to the second factor, the extra check); anything else waits, and a wait is not a failure.
    if (accountWait && !(ok && account?.mfaEnabledAt)) {
      if (!ok && account?.mfaEnabledAt)
        await recordSignInFailure(ctx, account.id, email, accountKey, address, policy);
      throw throttled('ACCOUNT_THROTTLED', accountWait, now);
    }
    if (!account || !ok) {
      await recordSignInFailure(ctx, account?.id ?? null, email, accountKey, address, policy);
      throw new AppError('UNAUTHORIZED', 'wrong e-mail or password', { reason: 'INVALID_CREDENTIALS' });
    }
    if (account.status !== 'active')
      throw new AppError('FORBIDDEN', 'account disabled', { reason: 'ACCOUNT_DISABLED' });
    return { account, accountKey, address };
  }

  return {
    /** An administrator's unlock: the account's back-off, every address's count on it, its MFA lock. */
    clearSignInLimits: (tx: DbOrTx, account: { id: string; email: string }) =>
      repo.clearAccountThrottles(tx, account.email, account.id),
    mfaRequiredFor,
    createSession,
    issueEmailToken,

    /**
     * Answers the same whether or not the e-mail has an account (same status, body and cost: the
     * password is hashed either way), so sign-up is no oracle for who is registered. An existing
     * account's owner is e-mailed instead (at most MAIL_PER_WINDOW in MAIL_WINDOW_MINUTES).
     */
    async signUp(ctx: RequestContext, input: SignUpInput): Promise<void> {
      const email = input.email.toLowerCase();
      refuseDemoPassword('password', input.password);
      const passwordHash = await hashPassword(input.password);
      const tellOwner = async () =>
        db.transaction(async (tx) => {
          const owner = await repo.findAccountByEmail(tx, email);
          if (!owner || owner.status !== 'active' || !(await mayMail(tx, owner.email))) return;
          await recordAudit(tx, ctx, {
            action: 'account.sign_up_existing',
            targetType: 'account',
            targetId: owner.id,
          });
          await enqueueEmail(tx, {
            to: owner.email,
            accountId: owner.id,
            locale: owner.locale,
            template: 'sign_up_attempt',
            params: {
              name: owner.displayName,
              url: `${deps.config.publicUrl}/sign-in`,
              resetUrl: `${deps.config.publicUrl}/forgot-password`,
            },
          });
        });
      const created = await db
        .transaction(async (tx) => {
          if (await repo.findAccountByEmail(tx, email)) return false;
          const id = newId();
          const account = { id, email, displayName: input.displayName, locale: input.locale };
          await repo.insertAccount(tx, { ...account, passwordHash });
          // Everyone who signs up is a learner of themselves; other roles are granted by staff.
          await repo.insertGrant(tx, { id: newId(), accountId: id, role: 'learner', scopeKind: 'self' });
          await hooks.afterSignUp?.(tx, { ...ctx, actorAccountId: id }, account, input);
          await recordAudit(
            tx,
            { ...ctx, actorAccountId: id },
            {
              action: 'account.sign_up',
              targetType: 'account',
              targetId: id,
              after: { email, displayName: input.displayName, locale: input.locale },
            },
          );
          await issueEmailToken(tx, account, 'verify_email');
          return true;
        })
        .catch((e: unknown) => {
          // Two sign-ups with one address at once: the loser is an existing-account attempt.
          if (pgError(e).code === '23505') return false;
          throw e;
        });
      if (!created) await tellOwner();
    },

    async verifyEmail(ctx: RequestContext, token: string): Promise<void> {
      await db.transaction(async (tx) => {
        const used = await repo.consumeEmailToken(tx, sha256(token), 'verify_email', deps.now());
        if (!used) throw fieldError('token', 'invalid', 'TOKEN_INVALID');
        await repo.updateAccount(tx, used.accountId, { emailVerifiedAt: deps.now() });
        await recordAudit(
          tx,
          { ...ctx, actorAccountId: ctx.actorAccountId ?? used.accountId },
          {
            action: 'account.email_verified',
            targetType: 'account',
            targetId: used.accountId,
          },
        );
      });
    },

    /** Always succeeds, so the answer does not reveal which e-mails have accounts. */
    async resendVerification(email: string): Promise<void> {
      await db.transaction(async (tx) => {
        const account = await repo.findAccountByEmail(tx, email);
        if (
          account &&
          !account.emailVerifiedAt &&
          account.status === 'active' &&
          (await mayMail(tx, account.email))
        ) {
          await issueEmailToken(tx, account, 'verify_email');
        }
      });
    },

    /**
     * Without SMTP, a newcomer cannot read the verification mail and cannot sign in before
     * verifying: its password opens its own mailbox instead (decision 020). Checked and throttled
     * like a sign-in (the same check); verified accounts sign in and use "my mail".
     */
    async unverifiedMailboxOwner(ctx: RequestContext, input: SignInInput): Promise<string> {
      const { account } = await checkPassword(ctx, input);
      if (account.emailVerifiedAt)
        throw new AppError('PRECONDITION_FAILED', 'sign in to read your mail', { reason: 'MAILBOX_SIGN_IN' });
      return account.id;
    },

    async signIn(ctx: RequestContext, input: SignInInput, userAgent: string | null): Promise<NewSession> {
      const { account, accountKey, address } = await checkPassword(ctx, input);
      if (!account.emailVerifiedAt) {
        throw new AppError('PRECONDITION_FAILED', 'e-mail not verified', { reason: 'EMAIL_NOT_VERIFIED' });
      }
      return db.transaction(async (tx) => {
        await repo.clearSignInFailures(tx, accountKey, address);
        const stage: SignInStage = account.mfaEnabledAt
          ? 'mfa_required'
          : (await mfaRequiredFor(account, tx))
            ? 'mfa_enrolment_required'
            : 'signed_in';
        const session = await createSession(tx, account.id, stage, { ip: ctx.ip, userAgent });
        await recordAudit(
          tx,
          { ...ctx, actorAccountId: account.id },
          {
            action: 'auth.sign_in',
            targetType: 'account',
            targetId: account.id,
            after: { stage },
          },
        );
        return session;
      });
    },

    /** Wrong codes count like wrong passwords (`mfa:<account>`), so a code cannot be guessed. */
    async verifyMfa(ctx: RequestContext, actor: Actor, code: string): Promise<SignInResult> {
      if (actor.stage !== 'mfa_required') return { stage: actor.stage };
      const key = `mfa:${actor.accountId}`;
      const lockout = await settings.getSetting('auth.signInLockout');
      const [locked] = await repo.throttleState(db, [key]);
      if (locked?.lockedUntil && locked.lockedUntil > deps.now()) {
        throw new AppError('LIMIT_EXCEEDED', 'too many wrong codes', {
          reason: 'ACCOUNT_LOCKED',
          params: { until: locked.lockedUntil.toISOString() },
        });
      }
      const result = await db.transaction(async (tx) => {
        const account = await repo.findAccountById(tx, actor.accountId, true);
        if (!account) throw unauthorized();
        const how = await checkSecondFactor(tx, account, code);
        if (!how) return null;
        await repo.updateSessionStage(tx, actor.sessionId, 'signed_in');
        await repo.clearThrottle(tx, key);
        await recordAudit(tx, ctx, {
          action: 'auth.mfa_verified',
          targetType: 'account',
          targetId: account.id,
          after: { method: how },
        });
        return { stage: 'signed_in' as const };
      });
      if (result) return result;
      await db.transaction(async (tx) => {
        await repo.recordFailure(tx, key, lockout.maxFailures, lockout.lockMinutes);
        await recordAudit(tx, ctx, {
          action: 'auth.mfa_failed',
          targetType: 'account',
          targetId: actor.accountId,
        });
      });
      throw new AppError('UNAUTHORIZED', 'wrong code', {
        reason: 'MFA_INVALID_CODE',
        fields: [{ field: 'code', issue: 'invalid' }],
      });
    },

    /** Starts enrolment: a fresh secret is stored (encrypted) but MFA is not on until confirmed. */
    async startMfaEnrolment(ctx: RequestContext, actor: Actor): Promise<MfaEnrolment> {
      if (actor.stage === 'mfa_required') throw unauthorized('MFA_REQUIRED');
      return db.transaction(async (tx) => {
        const account = await repo.findAccountById(tx, actor.accountId, true);
        if (!account) throw unauthorized();
        if (account.mfaEnabledAt)
          throw new AppError('CONFLICT', 'MFA already on', { reason: 'MFA_ALREADY_ENABLED' });
        const secret = newTotpSecret();
        const enc = encryptField(deps.keys, secret);
        await repo.updateAccount(tx, account.id, {
          mfaSecretEnc: enc.value,
          mfaKeyId: enc.keyId,
          mfaLastStep: null,
        });
        await recordAudit(tx, ctx, {
          action: 'auth.mfa_enrolment_started',
          targetType: 'account',
          targetId: account.id,
        });
        const otpauthUrl = totpUrl(secret, account.email, '數位人才發展平台');
        const qrSvg = await QRCode.toString(otpauthUrl, {
          type: 'svg',
          margin: 1,
          errorCorrectionLevel: 'M',
        });
        return { secret, otpauthUrl, qrSvg };
      });
    },

    async confirmMfaEnrolment(ctx: RequestContext, actor: Actor, code: string): Promise<RecoveryCodes> {
      if (actor.stage === 'mfa_required') throw unauthorized('MFA_REQUIRED');
      return db.transaction(async (tx) => {
        const account = await repo.findAccountById(tx, actor.accountId, true);
        if (!account) throw unauthorized();
        if (account.mfaEnabledAt)
          throw new AppError('CONFLICT', 'MFA already on', { reason: 'MFA_ALREADY_ENABLED' });
        const step = matchTotp(readSecret(account), code, deps.now());
        if (step === null) {
          throw new AppError('VALIDATION', 'wrong code', {
            reason: 'MFA_INVALID_CODE',
            fields: [{ field: 'code', issue: 'invalid' }],
          });
        }
        const now = deps.now();
        await repo.updateAccount(tx, account.id, { mfaEnabledAt: now, mfaLastStep: step });
        const recoveryCodes = await makeRecoveryCodes(tx, account.id);
        if (actor.stage === 'mfa_enrolment_required')
          await repo.updateSessionStage(tx, actor.sessionId, 'signed_in');
        // Other sign-ins were made without the second factor: end them.
        await repo.revokeAllSessions(tx, account.id, actor.sessionId);
        await recordAudit(tx, ctx, {
          action: 'auth.mfa_enabled',
          targetType: 'account',
          targetId: account.id,
        });
        await enqueueEmail(tx, {
          to: account.email,
          accountId: account.id,
          locale: account.locale,
          template: 'mfa_enabled',
          params: {
            name: account.displayName,
            at: formatDateTime(now, account.calendar, account.locale, 'long'),
            url: `${deps.config.publicUrl}/account`,
          },
        });
        return { recoveryCodes };
      });
    },

    async disableMfa(ctx: RequestContext, actor: Actor, code: string): Promise<void> {
      await db.transaction(async (tx) => {
        const account = await repo.findAccountById(tx, actor.accountId, true);
        if (!account?.mfaEnabledAt)
          throw new AppError('PRECONDITION_FAILED', 'MFA is off', { reason: 'MFA_NOT_ENABLED' });
        if (await mfaRequiredFor(account, tx)) {
          throw new AppError('PRECONDITION_FAILED', 'MFA is required for your roles', {
            reason: 'MFA_ENROLMENT_REQUIRED',
          });
        }
        if (!(await checkSecondFactor(tx, account, code))) {
          throw new AppError('VALIDATION', 'wrong code', {
            reason: 'MFA_INVALID_CODE',
            fields: [{ field: 'code', issue: 'invalid' }],
          });
        }
        await repo.updateAccount(tx, account.id, {
          mfaEnabledAt: null,
          mfaSecretEnc: null,
          mfaKeyId: null,
          mfaLastStep: null,
        });
        await repo.replaceRecoveryCodes(tx, account.id, []);
        await recordAudit(tx, ctx, {
          action: 'auth.mfa_disabled',
          targetType: 'account',
          targetId: account.id,
        });
      });
    },

    async regenerateRecoveryCodes(ctx: RequestContext, actor: Actor, code: string): Promise<RecoveryCodes> {
      return db.transaction(async (tx) => {
        const account = await repo.findAccountById(tx, actor.accountId, true);
        if (!account?.mfaEnabledAt)
          throw new AppError('PRECONDITION_FAILED', 'MFA is off', { reason: 'MFA_NOT_ENABLED' });
        if (!(await checkSecondFactor(tx, account, code))) {
          throw new AppError('VALIDATION', 'wrong code', {
            reason: 'MFA_INVALID_CODE',
            fields: [{ field: 'code', issue: 'invalid' }],
          });
        }
        const recoveryCodes = await makeRecoveryCodes(tx, account.id);
        await recordAudit(tx, ctx, {
          action: 'auth.recovery_codes_regenerated',
          targetType: 'account',
          targetId: account.id,
        });
        return { recoveryCodes };
      });
    },

    async signOut(ctx: RequestContext, actor: Actor): Promise<void> {
      await db.transaction(async (tx) => {
        await repo.revokeSession(tx, actor.sessionId, actor.accountId);
        await recordAudit(tx, ctx, {
          action: 'auth.sign_out',
          targetType: 'account',
          targetId: actor.accountId,
        });
      });
    },

    /** Always succeeds, so the answer does not reveal which e-mails have accounts. */
    async forgotPassword(email: string): Promise<void> {
      await db.transaction(async (tx) => {
        const account = await repo.findAccountByEmail(tx, email);
        if (account && account.status === 'active' && (await mayMail(tx, account.email))) {
          await issueEmailToken(tx, account, 'reset_password');
        }
      });
    },

    async resetPassword(ctx: RequestContext, input: ResetPasswordInput): Promise<void> {
      refuseDemoPassword('password', input.password);
      const passwordHash = await hashPassword(input.password);
      await db.transaction(async (tx) => {
        const used = await repo.consumeEmailToken(tx, sha256(input.token), 'reset_password', deps.now());
        if (!used) throw fieldError('token', 'invalid', 'TOKEN_INVALID');
        const account = await repo.findAccountById(tx, used.accountId, true);
        if (!account) throw fieldError('token', 'invalid', 'TOKEN_INVALID');
        // The link arrived by e-mail, so the address is proven too.
        await repo.updateAccount(tx, account.id, {
          passwordHash,
          emailVerifiedAt: account.emailVerifiedAt ?? deps.now(),
        });
        await repo.revokeAllSessions(tx, account.id);
        await repo.clearThrottle(tx, `account:${account.email}`);
        await recordAudit(
          tx,
          { ...ctx, actorAccountId: ctx.actorAccountId ?? account.id },
          {
            action: 'account.password_reset',
            targetType: 'account',
            targetId: account.id,
          },
        );
        await enqueueEmail(tx, {
          to: account.email,
          accountId: account.id,
          locale: account.locale,
          template: 'password_changed',
          params: {
            name: account.displayName,
            at: formatDateTime(deps.now(), account.calendar, account.locale, 'long'),
            url: deps.config.publicUrl,
          },
        });
      });
    },

    async changePassword(ctx: RequestContext, actor: Actor, input: ChangePasswordInput): Promise<void> {
      const account = await repo.findAccountById(db, actor.accountId);
      if (!account || !(await verifyPassword(account.passwordHash, input.currentPassword))) {
        throw fieldError('currentPassword', 'invalid', 'INVALID_CREDENTIALS');
      }
      refuseDemoPassword('newPassword', input.newPassword);
      const passwordHash = await hashPassword(input.newPassword);
      await db.transaction(async (tx) => {
        await repo.updateAccount(tx, account.id, { passwordHash });
        await repo.revokeAllSessions(tx, account.id, actor.sessionId);
        await recordAudit(tx, ctx, {
          action: 'account.password_changed',
          targetType: 'account',
          targetId: account.id,
        });
        await enqueueEmail(tx, {
          to: account.email,
          accountId: account.id,
          locale: account.locale,
          template: 'password_changed',
          params: {
            name: account.displayName,
            at: formatDateTime(deps.now(), account.calendar, account.locale, 'long'),
            url: deps.config.publicUrl,
          },
        });
      });
    },

    async getMe(actor: Actor): Promise<Me> {
      // One round: the account, its grants, and the roles that must use MFA (judged on those grants).
      const [account, held, mfaRoles] = await Promise.all([
        repo.findAccountById(db, actor.accountId),
        repo.activeGrants(db, actor.accountId),
        settings.getSetting('auth.mfaRequiredRoles'),
      ]);
      if (!account) throw unauthorized();
      const required = !exempt(account) && holdsAny(held, mfaRoles);
      return {
        account: {
          id: account.id,
          email: account.email,
          displayName: account.displayName,
          locale: account.locale,
          calendar: account.calendar,
          emailVerified: !!account.emailVerifiedAt,
          mfaEnabled: !!account.mfaEnabledAt,
          mfaRequired: required,
        },
        stage: actor.stage,
        grants: held.map(grantView),
        csrfToken: actor.csrfToken,
      };
    },

    async updateMe(ctx: RequestContext, actor: Actor, input: UpdateMeInput): Promise<void> {
      await db.transaction(async (tx) => {
        const before = await repo.findAccountById(tx, actor.accountId, true);
        if (!before) throw unauthorized();
        const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        if (Object.keys(set).length === 0) return;
        await repo.updateAccount(tx, actor.accountId, set);
        const pick = (r: Record<string, unknown>) =>
          Object.fromEntries(Object.keys(set).map((k) => [k, r[k]]));
        await recordAudit(tx, ctx, {
          action: 'account.update_self',
          targetType: 'account',
          targetId: actor.accountId,
          before: pick(before),
          after: set,
        });
      });
    },

    async listMySessions(actor: Actor): Promise<AuthSessionInfo[]> {
      const rows = await repo.listSessions(db, actor.accountId, deps.now());
      return rows.map((r) => ({
        id: r.id,
        createdAt: toIso(r.createdAt),
        lastSeenAt: toIso(r.lastSeenAt),
        ip: r.ip,
        userAgent: r.userAgent,
        current: r.id === actor.sessionId,
      }));
    },

    async revokeMySession(ctx: RequestContext, actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const revoked = await repo.revokeSession(tx, id, actor.accountId);
        if (revoked.length === 0) throw notFound('session');
        await recordAudit(tx, ctx, {
          action: 'auth.session_revoked',
          targetType: 'auth_session',
          targetId: id,
        });
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
