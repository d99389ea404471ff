import { eq } from 'drizzle-orm';
import type { Role } from '@dtp/contracts';
import type { Deps } from '../../context.ts';
import { systemContext } from '../../context.ts';
import { accounts, agencies, grants } from '../../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { hashPassword } from '../../lib/passwords.ts';
import { recordAudit } from '../audit/index.ts';

/** The demo enterprise's id; the enterprise registry seeds the enterprise itself under this id. */
export const DEMO_ENTERPRISE_ID = '01930000-0000-7000-8000-00000000e001';
export const DEMO_AGENCY_CODE = 'DEMO-AGENCY';

export const DEMO_ACCOUNTS: { local: string; role: Role; name: string }[] = [
  { local: 'admin', role: 'admin', name: '系統管理員（示範）' },
  { local: 'pmo', role: 'pmo', name: '計畫辦公室（示範）' },
  { local: 'agency', role: 'agency', name: '執行單位承辦（示範）' },
  { local: 'consultant', role: 'consultant', name: '講師顧問（示範）' },
  { local: 'enterprise', role: 'enterprise', name: '企業窗口（示範）' },
  { local: 'learner', role: 'learner', name: '學員（示範）' },
  { local: 'expert', role: 'expert', name: '專家（示範）' },
];

/** Creates the demo agency and one account per role, once. Safe to run at every start. */
export async function seedDemo(deps: Deps, log: (m: string) => void): Promise<void> {
  const { db } = deps.database;
  const [existing] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.email, 'admin@demo.example'));
  if (existing) return;
  const passwordHash = await hashPassword(deps.config.demoPassword);
  await db.transaction(async (tx) => {
    let [agency] = await tx
      .select({ id: agencies.id })
      .from(agencies)
      .where(eq(agencies.code, DEMO_AGENCY_CODE));
    if (!agency) {
      agency = { id: newId() };
      await tx.insert(agencies).values({
        id: agency.id,
        code: DEMO_AGENCY_CODE,
        name: { 'zh-TW': '示範執行單位', en: 'Demo executing agency' },
      });
    }
    for (const a of DEMO_ACCOUNTS) {
      const id = newId();
      await tx.insert(accounts).values({
        id,
        email: `${a.local}@demo.example`,
        displayName: a.name,
        passwordHash,
        emailVerifiedAt: deps.now(),
        isDemo: true,
      });
      const scope =
        a.role === 'admin' || a.role === 'pmo'
          ? { scopeKind: 'global' as const, scopeId: null }
          : a.role === 'agency'
            ? { scopeKind: 'agency' as const, scopeId: agency.id }
            : a.role === 'enterprise'
              ? { scopeKind: 'enterprise' as const, scopeId: DEMO_ENTERPRISE_ID }
              : { scopeKind: 'self' as const, scopeId: null };
      await tx.insert(grants).values({ id: newId(), accountId: id, role: a.role, ...scope });
    }
    await recordAudit(tx, systemContext, {
      action: 'demo.seed',
      targetType: 'system',
      after: { accounts: DEMO_ACCOUNTS.length },
    });
  });
  log(`Demo accounts created: ${DEMO_ACCOUNTS.map((a) => `${a.local}@demo.example`).join(', ')}`);
}
