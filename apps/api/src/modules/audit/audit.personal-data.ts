import { sql } from 'drizzle-orm';
import type { PersonalDataProvider } from '../../lib/personal-data.ts';

/**
 * What the audit log records about the person (their own actions and changes to their records).
 * Kept after a deletion: the log is append-only and its personal values are masked when written.
 */
export const auditPersonalData: PersonalDataProvider = {
  section: 'activity',
  async collect(db, s) {
    const ids = [s.personId, s.accountId].filter((v): v is string => !!v);
    if (ids.length === 0) return [];
    const r = await db.execute(sql`
      select at, action, target_type as "targetType", target_id as "targetId", before, after, ip
      from audit_log
      where actor_account_id = ${s.accountId}::uuid or target_id = any(${sql.param(ids)}::text[])
      order by at desc limit 1000`);
    return r.rows;
  },
};
