import { sql } from 'drizzle-orm';
import type { PersonalDataProvider } from '../../lib/personal-data.ts';

/** The account, its roles and recent sign-ins; a deletion closes the account and removes its identity. */
export const accountPersonalData: PersonalDataProvider = {
  section: 'account',
  async collect(db, s) {
    if (!s.accountId) return null;
    const account = await db.execute(sql`
      select email, display_name as "displayName", locale, calendar, status,
             email_verified_at as "emailVerifiedAt", mfa_enabled_at is not null as "mfaEnabled",
             created_at as "createdAt"
      from accounts where id = ${s.accountId}`);
    const grants = await db.execute(sql`
      select role, scope_kind as "scopeKind", scope_id as "scopeId", created_at as "createdAt",
             revoked_at as "revokedAt"
      from grants where account_id = ${s.accountId} order by created_at`);
    const sessions = await db.execute(sql`
      select created_at as "createdAt", last_seen_at as "lastSeenAt", ip, user_agent as "userAgent",
             revoked_at as "revokedAt"
      from auth_sessions where account_id = ${s.accountId} order by created_at desc limit 100`);
    return { ...account.rows[0], grants: grants.rows, signIns: sessions.rows };
  },
  async anonymise(tx, s) {
    if (!s.accountId) return;
    const id = s.accountId;
    await tx.execute(sql`
      update accounts set email = 'anonymised-' || id || '@invalid.example', display_name = '已匿名',
        password_hash = null, status = 'disabled', mfa_secret_enc = null, mfa_key_id = null,
        mfa_enabled_at = null, mfa_last_step = null, updated_at = now()
      where id = ${id}`);
    await tx.execute(
      sql`update auth_sessions set revoked_at = coalesce(revoked_at, now()), ip = null, user_agent = null where account_id = ${id}`,
    );
    await tx.execute(
      sql`update grants set revoked_at = now() where account_id = ${id} and revoked_at is null`,
    );
    await tx.execute(sql`delete from mfa_recovery_codes where account_id = ${id}`);
    await tx.execute(
      sql`update email_tokens set used_at = now() where account_id = ${id} and used_at is null`,
    );
  },
};
