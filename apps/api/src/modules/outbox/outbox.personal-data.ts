import { sql } from 'drizzle-orm';
import type { PersonalDataProvider } from '../../lib/personal-data.ts';

const toSubject = (s: { accountId: string | null; emails: string[] }) =>
  sql`(to_account_id = ${s.accountId}::uuid or to_address = any(${sql.param(s.emails.map((e) => e.toLowerCase()))}::text[]))`;

/** E-mails the platform sent the person; a deletion blanks delivered ones (pending ones still go out). */
export const outboxPersonalData: PersonalDataProvider = {
  section: 'emails',
  async collect(db, s) {
    if (!s.accountId && s.emails.length === 0) return [];
    const r = await db.execute(sql`
      select to_address as "toAddress", subject, template, status, created_at as "createdAt", sent_at as "sentAt"
      from outbox where ${toSubject(s)} order by created_at desc limit 500`);
    return r.rows;
  },
  async anonymise(tx, s) {
    if (!s.accountId && s.emails.length === 0) return;
    await tx.execute(sql`
      update outbox set to_address = 'anonymised', to_account_id = null, subject = '[anonymised]',
        body_text = '', body_html = '', params = '{}'::jsonb,
        secret_enc = null, secret_key_id = null
      where ${toSubject(s)} and status in ('sent', 'captured', 'dead')`);
  },
};
