import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  agencies,
  kpiMeasures,
  kpis,
  kpiTargets,
  measureAgencies,
  measures,
  programmes,
  subProgrammes,
} from '../../db/schema/index.ts';

export async function getProgramme(db: DbOrTx) {
  const [row] = await db
    .select({
      id: programmes.id,
      code: programmes.code,
      name: programmes.name,
      description: programmes.description,
      startYear: programmes.startYear,
      endYear: programmes.endYear,
    })
    .from(programmes)
    .orderBy(asc(programmes.createdAt))
    .limit(1);
  return row;
}

export const updateProgramme = (db: DbOrTx, id: string, set: Partial<typeof programmes.$inferInsert>) =>
  db.update(programmes).set(set).where(eq(programmes.id, id));

export const listSubProgrammes = (db: DbOrTx, programmeId: string) =>
  db
    .select({ id: subProgrammes.id, code: subProgrammes.code, name: subProgrammes.name })
    .from(subProgrammes)
    .where(eq(subProgrammes.programmeId, programmeId))
    .orderBy(asc(subProgrammes.sortOrder));

const measureCols = {
  id: measures.id,
  code: measures.code,
  subProgrammeId: measures.subProgrammeId,
  subProgrammeCode: subProgrammes.code,
  name: measures.name,
  description: measures.description,
  archived: sql<boolean>`${measures.archivedAt} is not null`,
};

export const listMeasures = (db: DbOrTx) =>
  db
    .select(measureCols)
    .from(measures)
    .innerJoin(subProgrammes, eq(subProgrammes.id, measures.subProgrammeId))
    .orderBy(asc(subProgrammes.sortOrder), asc(measures.sortOrder));

export async function getMeasureByCode(db: DbOrTx, code: string) {
  const [row] = await db
    .select(measureCols)
    .from(measures)
    .innerJoin(subProgrammes, eq(subProgrammes.id, measures.subProgrammeId))
    .where(eq(measures.code, code));
  return row;
}

export async function measureIdsByCode(db: DbOrTx, codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: measures.id, code: measures.code })
    .from(measures)
    .where(inArray(measures.code, codes));
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function getSubProgrammeByCode(db: DbOrTx, programmeId: string, code: string) {
  const [row] = await db
    .select({ id: subProgrammes.id })
    .from(subProgrammes)
    .where(and(eq(subProgrammes.programmeId, programmeId), eq(subProgrammes.code, code)));
  return row;
}

export const insertMeasure = (db: DbOrTx, row: typeof measures.$inferInsert) =>
  db.insert(measures).values(row);
export const updateMeasure = (db: DbOrTx, id: string, set: Partial<typeof measures.$inferInsert>) =>
  db.update(measures).set(set).where(eq(measures.id, id));

export const nextMeasureSort = async (db: DbOrTx, subProgrammeId: string) => {
  const r = await db.execute<{ n: number }>(
    sql`select coalesce(max(sort_order), 0)::int + 1 as n from measures where sub_programme_id = ${subProgrammeId}`,
  );
  return r.rows[0]!.n;
};

export const listAssignments = (db: DbOrTx) =>
  db
    .select({
      id: measureAgencies.id,
      measureId: measureAgencies.measureId,
      agencyId: measureAgencies.agencyId,
      agencyCode: agencies.code,
      agencyName: agencies.name,
      validFrom: measureAgencies.validFrom,
      validTo: measureAgencies.validTo,
    })
    .from(measureAgencies)
    .innerJoin(agencies, eq(agencies.id, measureAgencies.agencyId))
    .orderBy(asc(measureAgencies.validFrom));

export async function getAssignment(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: measureAgencies.id,
      measureId: measureAgencies.measureId,
      validFrom: measureAgencies.validFrom,
      validTo: measureAgencies.validTo,
    })
    .from(measureAgencies)
    .where(eq(measureAgencies.id, id))
    .for('update');
  return row;
}

export const insertAssignment = (db: DbOrTx, row: typeof measureAgencies.$inferInsert) =>
  db.insert(measureAgencies).values(row);
export const endAssignment = (db: DbOrTx, id: string, validTo: string) =>
  db.update(measureAgencies).set({ validTo }).where(eq(measureAgencies.id, id));

export async function agencyExists(db: DbOrTx, id: string) {
  const [row] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, id));
  return !!row;
}

const kpiCols = {
  id: kpis.id,
  code: kpis.code,
  name: kpis.name,
  definition: kpis.definition,
  unit: kpis.unit,
  kind: kpis.kind,
  benefit: kpis.benefit,
  sourceModule: kpis.sourceModule,
  active: kpis.active,
  measureCodes: sql<
    string[]
  >`coalesce((select array_agg(m.code order by m.code) from kpi_measures km join measures m on m.id = km.measure_id where km.kpi_id = ${kpis}.id), '{}')`,
};

export const listKpis = (db: DbOrTx) =>
  db.select(kpiCols).from(kpis).orderBy(asc(kpis.sortOrder), asc(kpis.code));

export async function getKpiByCode(db: DbOrTx, code: string) {
  const [row] = await db.select(kpiCols).from(kpis).where(eq(kpis.code, code));
  return row;
}

export const insertKpi = (db: DbOrTx, row: typeof kpis.$inferInsert) => db.insert(kpis).values(row);
export const updateKpi = (db: DbOrTx, id: string, set: Partial<typeof kpis.$inferInsert>) =>
  db
    .update(kpis)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(kpis.id, id));

export async function setKpiMeasures(db: DbOrTx, kpiId: string, measureIds: string[]) {
  await db.delete(kpiMeasures).where(eq(kpiMeasures.kpiId, kpiId));
  if (measureIds.length)
    await db.insert(kpiMeasures).values(measureIds.map((measureId) => ({ kpiId, measureId })));
}

export const nextKpiSort = async (db: DbOrTx) => {
  const r = await db.execute<{ n: number }>(sql`select coalesce(max(sort_order), 0)::int + 1 as n from kpis`);
  return r.rows[0]!.n;
};

export function listTargets(db: DbOrTx, f: { year?: number | undefined; kpiCode?: string | undefined }) {
  return db
    .select({
      kpiCode: kpis.code,
      measureCode: measures.code,
      year: kpiTargets.year,
      target: kpiTargets.target,
      note: kpiTargets.note,
      illustrative: kpiTargets.illustrative,
    })
    .from(kpiTargets)
    .innerJoin(kpis, eq(kpis.id, kpiTargets.kpiId))
    .leftJoin(measures, eq(measures.id, kpiTargets.measureId))
    .where(
      and(f.year ? eq(kpiTargets.year, f.year) : undefined, f.kpiCode ? eq(kpis.code, f.kpiCode) : undefined),
    )
    .orderBy(asc(kpis.sortOrder), asc(kpiTargets.year), asc(measures.code));
}

export async function getTarget(db: DbOrTx, kpiId: string, measureId: string | null, year: number) {
  const r = await db.execute<{ target: number; note: string; illustrative: boolean }>(sql`
    select target, note, illustrative from kpi_targets
    where kpi_id = ${kpiId} and year = ${year}
      and coalesce(measure_id, '00000000-0000-0000-0000-000000000000'::uuid) = coalesce(${measureId}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
    for update`);
  return r.rows[0];
}

export async function upsertTarget(
  db: DbOrTx,
  t: {
    id: string;
    kpiId: string;
    measureId: string | null;
    year: number;
    target: number;
    note: string;
    illustrative: boolean;
    updatedBy: string | null;
  },
) {
  await db.execute(sql`
    insert into kpi_targets (id, kpi_id, measure_id, year, target, note, illustrative, updated_by, updated_at)
    values (${t.id}, ${t.kpiId}, ${t.measureId}, ${t.year}, ${t.target}, ${t.note}, ${t.illustrative}, ${t.updatedBy}, now())
    on conflict (kpi_id, coalesce(measure_id, '00000000-0000-0000-0000-000000000000'::uuid), year)
    do update set target = excluded.target, note = excluded.note, illustrative = excluded.illustrative,
      updated_by = excluded.updated_by, updated_at = now()`);
}

export async function seedStructure(
  db: DbOrTx,
  rows: {
    programme: typeof programmes.$inferInsert;
    subProgrammes: (typeof subProgrammes.$inferInsert)[];
    measures: (typeof measures.$inferInsert)[];
    kpis: (typeof kpis.$inferInsert)[];
    kpiMeasures: (typeof kpiMeasures.$inferInsert)[];
  },
) {
  await db.insert(programmes).values(rows.programme);
  await db.insert(subProgrammes).values(rows.subProgrammes);
  await db.insert(measures).values(rows.measures);
  await db.insert(kpis).values(rows.kpis);
  await db.insert(kpiMeasures).values(rows.kpiMeasures);
}
