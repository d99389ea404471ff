import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { counties, industries, ipasItems } from '../../db/schema/index.ts';

const countyCols = {
  code: counties.code,
  nameZh: counties.nameZh,
  nameEn: counties.nameEn,
  type: counties.type,
  isoCode: counties.isoCode,
  idLetter: counties.idLetter,
  region: counties.region,
  region6: counties.region6,
  sortOrder: counties.sortOrder,
};

export const listCounties = (db: DbOrTx) =>
  db.select(countyCols).from(counties).orderBy(asc(counties.sortOrder));

export async function getCounty(db: DbOrTx, code: string, forUpdate = false) {
  const q = db.select(countyCols).from(counties).where(eq(counties.code, code));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export const updateCounty = (db: DbOrTx, code: string, set: Partial<typeof counties.$inferInsert>) =>
  db
    .update(counties)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(counties.code, code));

const industryCols = {
  code: industries.code,
  level: industries.level,
  section: industries.section,
  parentCode: industries.parentCode,
  nameZh: industries.nameZh,
  nameEn: industries.nameEn,
  tags: industries.tags,
};

export function listIndustries(
  db: DbOrTx,
  f: {
    level?: string | undefined;
    section?: string | undefined;
    parentCode?: string | undefined;
    q?: string | undefined;
  },
) {
  const conds: SQL[] = [];
  if (f.level) conds.push(sql`${industries.level} = ${f.level}`);
  if (f.section) conds.push(eq(industries.section, f.section));
  if (f.parentCode) conds.push(eq(industries.parentCode, f.parentCode));
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, '\\$&')}%`;
    conds.push(
      sql`(${industries.code} like ${`${f.q.replace(/[%_\\]/g, '\\$&')}%`} or ${industries.nameZh} like ${like} or ${industries.nameEn} ilike ${like})`,
    );
  }
  return db
    .select(industryCols)
    .from(industries)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(industries.section), asc(industries.code));
}

export async function getIndustry(db: DbOrTx, code: string, forUpdate = false) {
  const q = db.select(industryCols).from(industries).where(eq(industries.code, code));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export const updateIndustry = (db: DbOrTx, code: string, set: Partial<typeof industries.$inferInsert>) =>
  db
    .update(industries)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(industries.code, code));

const ipasCols = {
  id: ipasItems.id,
  nameZh: ipasItems.nameZh,
  code: ipasItems.code,
  levels: ipasItems.levels,
  papers: ipasItems.papers,
  notes: ipasItems.notes,
  confidence: ipasItems.confidence,
  source: ipasItems.source,
};

export const listIpasItems = (db: DbOrTx) =>
  db.select(ipasCols).from(ipasItems).orderBy(asc(ipasItems.nameZh), asc(ipasItems.levels));

export async function getIpasItem(db: DbOrTx, id: string, forUpdate = false) {
  const q = db.select(ipasCols).from(ipasItems).where(eq(ipasItems.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export const updateIpasItem = (db: DbOrTx, id: string, set: Partial<typeof ipasItems.$inferInsert>) =>
  db
    .update(ipasItems)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(ipasItems.id, id));

/**
 * Inserts what is missing; never overwrites what the programme office edited. An English name is
 * filled in where a database seeded before it shipped has none (decision 025).
 */
export async function seedReference(
  db: DbOrTx,
  data: {
    counties: (typeof counties.$inferInsert)[];
    industries: (typeof industries.$inferInsert)[];
    ipasItems: (typeof ipasItems.$inferInsert)[];
  },
) {
  await db.insert(counties).values(data.counties).onConflictDoNothing();
  for (let i = 0; i < data.industries.length; i += 500) {
    await db
      .insert(industries)
      .values(data.industries.slice(i, i + 500))
      .onConflictDoUpdate({
        target: industries.code,
        set: { nameEn: sql`excluded.name_en` },
        setWhere: sql`${industries.nameEn} is null and excluded.name_en is not null`,
      });
  }
  await db.insert(ipasItems).values(data.ipasItems).onConflictDoNothing();
}

export async function referenceCounts(db: DbOrTx) {
  const r = await db.execute<{ c: number; i: number; e: number }>(
    sql`select (select count(*)::int from counties) as c, (select count(*)::int from industries) as i,
      (select count(*)::int from industries where name_en is not null) as e`,
  );
  return r.rows[0]!;
}
