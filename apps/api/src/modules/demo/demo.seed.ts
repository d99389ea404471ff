import { eq } from 'drizzle-orm';
import type { Role } from '@dtp/contracts';
import type { Deps } from '../../context.ts';
import { systemContext } from '../../context.ts';
import { accounts, agencies, enterprises, grants } from '../../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { hashPassword } from '../../lib/passwords.ts';
import { recordAudit } from '../audit/index.ts';
import type { KpiService } from '../kpi/index.ts';
import { createProgrammeService } from '../programme/index.ts';
import { ENTERPRISES_REGISTERED } from '../registry/index.ts';
import { seedDemoRegistry } from './demo.registry.ts';

/** The demo enterprise, seeded below; the demo representative's grant names it. */
export const DEMO_ENTERPRISE_ID = '01930000-0000-7000-8000-00000000e001';
export const DEMO_AGENCY_CODE = 'DEMO-AGENCY';

export const DEMO_ACCOUNTS: { local: string; role: Role; name: string }[] = [
  { local: 'admin', role: 'admin', name: '系統管理員（示範）' },
  // A second administrator: grants of personal-data roles wait for one to approve (decision 020).
  { local: 'admin2', role: 'admin', name: '第二位系統管理員（示範）' },
  { local: 'pmo', role: 'pmo', name: '計畫辦公室（示範）' },
  { local: 'agency', role: 'agency', name: '執行單位承辦（示範）' },
  { local: 'consultant', role: 'consultant', name: '講師顧問（示範）' },
  { local: 'enterprise', role: 'enterprise', name: '企業窗口（示範）' },
  { local: 'learner', role: 'learner', name: '學員（示範）' },
  { local: 'expert', role: 'expert', name: '專家（示範）' },
];

/** Creates the demo agency and one account per role, once. Safe to run at every start. */
export async function seedDemo(deps: Deps, log: (m: string) => void, kpi: KpiService): Promise<void> {
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
    // The enterprise the demo representative speaks for (fictitious; its 統一編號 passes the checksum).
    await tx
      .insert(enterprises)
      .values({
        id: DEMO_ENTERPRISE_ID,
        ubn: '83456785',
        name: '示範數位製造股份有限公司',
        industryCode: '2931',
        countyCode: '64000',
        address: '高雄市前鎮區示範路1號',
        paidInCapitalTwd: 80_000_000,
        regularEmployees: 120,
        smeStatus: 'sme',
        smeStatusAsOf: '2026-01-01',
      })
      .onConflictDoNothing();
    await kpi.recordFactsFor(tx, ENTERPRISES_REGISTERED, [DEMO_ENTERPRISE_ID]);
    // This year's people and enterprises, recorded month by month up to last month.
    const today = new Date(deps.now());
    await seedDemoRegistry(tx, kpi, {
      agencyId: agency.id,
      year: today.getUTCFullYear(),
      throughMonth: Math.max(1, today.getUTCMonth()),
      people: 240,
      enterprises: 36,
    });
    await recordAudit(tx, systemContext, {
      action: 'demo.seed',
      targetType: 'system',
      after: { accounts: DEMO_ACCOUNTS.length },
    });
  });
  await seedIllustrativeTargets(deps);
  log(`Demo accounts created: ${DEMO_ACCOUNTS.map((a) => `${a.local}@demo.example`).join(', ')}`);
}

/** Illustrative 2026 targets for every KPI and measure, flagged so the dashboard never shows them as official. */
async function seedIllustrativeTargets(deps: Deps): Promise<void> {
  const programme = createProgrammeService(deps);
  const base: Record<string, number> = {
    persons: 200,
    enterprises: 40,
    cases: 5,
    openings: 150,
    twd: 5_000_000,
    percent: 70,
    person_hours: 6000,
    score: 4.2,
    recommendations: 6,
    resources: 10,
  };
  const year = new Date(deps.now()).getUTCFullYear();
  for (const kpi of await programme.listKpis()) {
    // The registry's KPIs count records with no measure: their target is the whole programme's.
    // A ratio's or a mean's target is one figure for the whole programme.
    const measureCodes =
      kpi.sourceModule === 'registry' || kpi.kind === 'ratio' || kpi.kind === 'mean'
        ? [null]
        : kpi.measureCodes;
    for (const measureCode of measureCodes) {
      await programme.setTarget(
        systemContext,
        kpi.code,
        {
          year,
          measureCode,
          target:
            kpi.sourceModule === 'registry'
              ? kpi.unit === 'enterprises'
                ? 40
                : 300
              : (base[kpi.unit] ?? 10),
          note: '示範用目標值，非正式數據',
        },
        true,
      );
    }
  }
}
