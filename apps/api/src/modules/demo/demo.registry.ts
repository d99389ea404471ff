import { isValidUbn, smeStatus } from '@dtp/contracts';
import type { Tx } from '../../db/client.ts';
import { enterprises, persons } from '../../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import type { KpiService } from '../kpi/index.ts';
import { ENTERPRISES_REGISTERED, PEOPLE_REGISTERED } from '../registry/index.ts';

/**
 * Fictitious people and enterprises for the demo, recorded over the months of the year so the KPI
 * dashboard has something to show. Deterministic (same data every time). No national IDs: a demo
 * must not hold numbers that could belong to someone.
 */
const SURNAMES = '陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高';
const GIVEN = '家志明俊宏偉淑美惠玲婷雅怡君佳穎子涵宇翔承恩柏廷心妤詠晴冠廷彥';
const COUNTIES = [
  '63000',
  '65000',
  '68000',
  '66000',
  '67000',
  '64000',
  '10004',
  '10018',
  '10005',
  '10007',
  '10008',
  '10009',
  '10010',
  '10013',
  '10002',
  '10015',
  '10014',
  '10016',
  '10020',
  '10017',
];
const INDUSTRIES = [
  '2611',
  '2612',
  '2613',
  '2711',
  '2931',
  '2412',
  '2511',
  '6201',
  '6202',
  '6312',
  '7402',
  '4641',
  '4719',
  '5611',
  '7409',
];
const WORDS = ['精密', '數位', '智慧', '綠能', '光電', '雲端', '金屬', '設計', '文創', '物流'];
const KINDS = ['工業股份有限公司', '科技股份有限公司', '企業有限公司', '實業股份有限公司'];

/** A small seeded PRNG (mulberry32), so the demo is the same on every machine. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An 8-digit 統一編號 that passes the checksum. */
function demoUbn(r: () => number): string {
  for (;;) {
    const u = String(Math.floor(r() * 1e8)).padStart(8, '0');
    if (isValidUbn(u)) return u;
  }
}

export async function seedDemoRegistry(
  tx: Tx,
  kpi: KpiService,
  opts: { agencyId: string; year: number; throughMonth: number; people: number; enterprises: number },
): Promise<void> {
  const r = rng(20261203);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const at = () => {
    const month = 1 + Math.floor(r() * opts.throughMonth);
    const day = 1 + Math.floor(r() * 28);
    return new Date(Date.UTC(opts.year, month - 1, day, 2 + Math.floor(r() * 8)));
  };
  const firms = Array.from({ length: opts.enterprises }, () => {
    const capital = Math.floor(r() * 300) * 1_000_000;
    const employees = Math.floor(r() * 400);
    const status = smeStatus({ paidInCapitalTwd: capital, regularEmployees: employees });
    const created = at();
    return {
      id: newId(),
      ubn: demoUbn(r),
      name: `${pick(WORDS)}${pick(WORDS)}${pick(KINDS)}（示範）`,
      industryCode: pick(INDUSTRIES),
      countyCode: pick(COUNTIES),
      paidInCapitalTwd: capital,
      regularEmployees: employees,
      smeStatus: status,
      smeStatusAsOf: created.toISOString().slice(0, 10),
      sourceAgencyId: opts.agencyId,
      createdAt: created,
      updatedAt: created,
    };
  });
  await tx.insert(enterprises).values(firms).onConflictDoNothing();
  const people = Array.from({ length: opts.people }, () => {
    const created = at();
    const age = 20 + Math.floor(r() * 40);
    const employed = r() < 0.7;
    return {
      id: newId(),
      name: `${pick([...SURNAMES])}${pick([...GIVEN])}${pick([...GIVEN])}`,
      birthDate: `${opts.year - age}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
      gender: r() < 0.48 ? ('female' as const) : ('male' as const),
      countyCode: pick(COUNTIES),
      employmentStatus: employed ? ('employed' as const) : ('student' as const),
      employerEnterpriseId: employed ? pick(firms).id : null,
      sourceAgencyId: opts.agencyId,
      createdAt: created,
      updatedAt: created,
    };
  });
  await tx.insert(persons).values(people);
  await kpi.recordFactsFor(
    tx,
    ENTERPRISES_REGISTERED,
    firms.map((f) => f.id),
  );
  await kpi.recordFactsFor(
    tx,
    PEOPLE_REGISTERED,
    people.map((p) => p.id),
  );
}
