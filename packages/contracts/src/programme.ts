import { z } from 'zod';
import { LocalizedText } from './common.ts';

export const MeasureCode = z.string().regex(/^\d+\.\d+$/);
export const KpiCode = z.string().regex(/^K\d{2,3}$/);
export const Year = z.coerce.number().int().min(2020).max(2040);

export const MeasureAgency = z.object({
  id: z.uuid(),
  agencyId: z.uuid(),
  agencyCode: z.string(),
  agencyName: LocalizedText,
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable(),
});
export type MeasureAgency = z.infer<typeof MeasureAgency>;

export const Measure = z.object({
  id: z.uuid(),
  code: MeasureCode,
  subProgrammeCode: z.string(),
  name: LocalizedText,
  description: LocalizedText,
  agencies: z.array(MeasureAgency),
  archived: z.boolean(),
});
export type Measure = z.infer<typeof Measure>;

export const ProgrammeStructure = z.object({
  code: z.string(),
  name: LocalizedText,
  description: LocalizedText,
  startYear: z.number().int(),
  endYear: z.number().int(),
  subProgrammes: z.array(
    z.object({ id: z.uuid(), code: z.string(), name: LocalizedText, measures: z.array(Measure) }),
  ),
});
export type ProgrammeStructure = z.infer<typeof ProgrammeStructure>;

export const UpdateProgrammeInput = z
  .object({
    name: LocalizedText.optional(),
    description: LocalizedText.optional(),
    startYear: Year.optional(),
    endYear: Year.optional(),
  })
  .refine((v) => !v.startYear || !v.endYear || v.startYear <= v.endYear, {
    message: 'endYear before startYear',
    path: ['endYear'],
  });
export type UpdateProgrammeInput = z.infer<typeof UpdateProgrammeInput>;

export const CreateMeasureInput = z.object({
  subProgrammeCode: z.string().regex(/^\d+$/),
  code: MeasureCode,
  name: LocalizedText,
  description: LocalizedText,
});
export type CreateMeasureInput = z.infer<typeof CreateMeasureInput>;

export const UpdateMeasureInput = z.object({
  name: LocalizedText.optional(),
  description: LocalizedText.optional(),
  archived: z.boolean().optional(),
});
export type UpdateMeasureInput = z.infer<typeof UpdateMeasureInput>;

export const AssignAgencyInput = z
  .object({ agencyId: z.uuid(), validFrom: z.iso.date(), validTo: z.iso.date().nullable().optional() })
  .refine((v) => !v.validTo || v.validTo >= v.validFrom, {
    message: 'validTo before validFrom',
    path: ['validTo'],
  });
export type AssignAgencyInput = z.infer<typeof AssignAgencyInput>;

export const EndAssignmentInput = z.object({ validTo: z.iso.date() });

export const KpiUnit = z.enum([
  'persons',
  'enterprises',
  'cases',
  'openings',
  'twd',
  'percent',
  'person_hours',
  'score',
  'recommendations',
  'resources',
]);
export type KpiUnit = z.infer<typeof KpiUnit>;
export const KpiKind = z.enum(['count', 'sum', 'ratio', 'mean']);
export type KpiKind = z.infer<typeof KpiKind>;

export const Kpi = z.object({
  code: KpiCode,
  name: LocalizedText,
  definition: LocalizedText,
  unit: KpiUnit,
  kind: KpiKind,
  benefit: z.string(),
  sourceModule: z.string(),
  measureCodes: z.array(MeasureCode),
  active: z.boolean(),
  /** Whether a module has registered a metric that computes it; otherwise "not yet measured". */
  measured: z.boolean(),
});
export type Kpi = z.infer<typeof Kpi>;

export const CreateKpiInput = z.object({
  code: KpiCode,
  name: LocalizedText,
  definition: LocalizedText,
  unit: KpiUnit,
  kind: KpiKind,
  benefit: z.string().min(1).max(40),
  sourceModule: z.string().min(1).max(60),
  measureCodes: z.array(MeasureCode).min(1),
});
export type CreateKpiInput = z.infer<typeof CreateKpiInput>;

export const UpdateKpiInput = z.object({
  name: LocalizedText.optional(),
  definition: LocalizedText.optional(),
  measureCodes: z.array(MeasureCode).min(1).optional(),
  active: z.boolean().optional(),
});
export type UpdateKpiInput = z.infer<typeof UpdateKpiInput>;

export const KpiTarget = z.object({
  kpiCode: KpiCode,
  measureCode: MeasureCode.nullable(),
  year: z.number().int(),
  target: z.number(),
  note: z.string(),
  illustrative: z.boolean(),
});
export type KpiTarget = z.infer<typeof KpiTarget>;

export const KpiTargetQuery = z.object({ year: Year.optional(), kpiCode: KpiCode.optional() });

export const SetKpiTargetInput = z.object({
  year: Year,
  measureCode: MeasureCode.nullable().default(null),
  target: z.number().min(0).max(1e13),
  note: z.string().max(500).default(''),
});
export type SetKpiTargetInput = z.infer<typeof SetKpiTargetInput>;
