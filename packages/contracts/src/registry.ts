import { z } from 'zod';
import { Locale } from './common.ts';
import { pageOf } from './common.ts';
import { isValidNationalId, isValidUbn, normaliseHalfWidth, normaliseNationalId, officialTai } from './tw.ts';

export const Gender = z.enum(['female', 'male', 'other', 'undisclosed']);
export const Education = z.enum([
  'junior_high_or_below',
  'senior_high',
  'associate',
  'bachelor',
  'master',
  'doctorate',
]);
export const EmploymentStatus = z.enum([
  'employed',
  'self_employed',
  'unemployed',
  'student',
  'retired',
  'other',
]);
export const NationalIdKind = z.enum(['national', 'resident_new', 'resident_old']);
export const SmeStatusEnum = z.enum(['small', 'sme', 'large']);
export const EnterpriseRelation = z.enum(['employee', 'successor', 'dt_team']);

/** A digit field: full-width input is made half-width (NFKC) before it is checked. */
const digits = () => z.string().overwrite(normaliseHalfWidth);
export const CountyCode = digits()
  .trim()
  .regex(/^\d{5}$/);
const IndustryCode = z.string().regex(/^\d{4}$/, 'a 4-digit class code');
const PersonName = z.string().trim().min(1).max(100).transform(officialTai);
export const Phone = digits()
  .trim()
  .regex(/^\+?[0-9()\- ]{7,20}$/);

/** A national ID or resident certificate number, checksum-validated, stored upper-case. */
export const NationalIdInput = z
  .string()
  .transform(normaliseNationalId)
  .refine(isValidNationalId, { message: 'invalid_checksum' });
export const UbnInput = digits()
  .trim()
  .refine((v) => isValidUbn(v), { message: 'invalid_checksum' });

export const PersonSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  countyCode: z.string().nullable(),
  gender: Gender.nullable(),
  birthYear: z.number().int().nullable(),
  nationalIdMasked: z.string().nullable(),
  employerName: z.string().nullable(),
  hasAccount: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type PersonSummary = z.infer<typeof PersonSummary>;
export const PersonPage = pageOf(PersonSummary);

export const PersonDetail = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  birthDate: z.iso.date().nullable(),
  gender: Gender.nullable(),
  nationality: z.string(),
  countyCode: z.string().nullable(),
  education: Education.nullable(),
  employmentStatus: EmploymentStatus.nullable(),
  employerEnterpriseId: z.uuid().nullable(),
  employerName: z.string().nullable(),
  preferredLocale: Locale,
  nationalIdMasked: z.string().nullable(),
  nationalIdKind: NationalIdKind.nullable(),
  hasAccount: z.boolean(),
  anonymised: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type PersonDetail = z.infer<typeof PersonDetail>;

const personFields = {
  name: PersonName,
  email: z.email().max(254).nullable().optional(),
  phone: Phone.nullable().optional(),
  birthDate: z.iso.date().nullable().optional(),
  gender: Gender.nullable().optional(),
  nationality: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  countyCode: CountyCode.nullable().optional(),
  education: Education.nullable().optional(),
  employmentStatus: EmploymentStatus.nullable().optional(),
  employerEnterpriseId: z.uuid().nullable().optional(),
  preferredLocale: Locale.optional(),
  nationalId: NationalIdInput.nullable().optional(),
};
export const CreatePersonInput = z.object(personFields);
export type CreatePersonInput = z.infer<typeof CreatePersonInput>;
export const UpdatePersonInput = z.object({ ...personFields, name: PersonName.optional() });
export type UpdatePersonInput = z.infer<typeof UpdatePersonInput>;

export const PersonListQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['createdAt', 'name']).default('createdAt'),
  countyCode: CountyCode.optional(),
  gender: Gender.optional(),
  employerEnterpriseId: z.uuid().optional(),
});
export type PersonListQuery = z.infer<typeof PersonListQuery>;

export const RevealedNationalId = z.object({ nationalId: z.string().nullable() });

export const EnterpriseSummary = z.object({
  id: z.uuid(),
  ubn: z.string(),
  name: z.string(),
  industryCode: z.string().nullable(),
  industrySection: z.string().nullable(),
  countyCode: z.string().nullable(),
  smeStatus: SmeStatusEnum.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type EnterpriseSummary = z.infer<typeof EnterpriseSummary>;
export const EnterprisePage = pageOf(EnterpriseSummary);

export const EnterprisePersonLink = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  personName: z.string(),
  relation: EnterpriseRelation,
  title: z.string().nullable(),
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable(),
});
export type EnterprisePersonLink = z.infer<typeof EnterprisePersonLink>;

/** An account holding an `enterprise` grant on the enterprise (its 企業窗口). */
export const EnterpriseRepresentative = z.object({
  accountId: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  since: z.iso.datetime({ offset: true }),
});
export type EnterpriseRepresentative = z.infer<typeof EnterpriseRepresentative>;

/** One dated judgement of the SME status, with the figures it was made from. */
export const SmeJudgement = z.object({
  asOf: z.iso.date(),
  status: SmeStatusEnum.nullable(),
  paidInCapitalTwd: z.number().nullable(),
  regularEmployees: z.number().int().nullable(),
});
export type SmeJudgement = z.infer<typeof SmeJudgement>;

export const EnterpriseDetail = EnterpriseSummary.extend({
  address: z.string().nullable(),
  paidInCapitalTwd: z.number().nullable(),
  regularEmployees: z.number().int().nullable(),
  smeStatusAsOf: z.iso.date().nullable(),
  /** Newest first. */
  smeHistory: z.array(SmeJudgement),
  people: z.array(EnterprisePersonLink),
  representatives: z.array(EnterpriseRepresentative),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type EnterpriseDetail = z.infer<typeof EnterpriseDetail>;

const enterpriseFields = {
  ubn: UbnInput,
  name: z.string().trim().min(1).max(200).transform(officialTai),
  industryCode: IndustryCode.nullable().optional(),
  countyCode: CountyCode.nullable().optional(),
  address: z.string().trim().max(300).transform(officialTai).nullable().optional(),
  paidInCapitalTwd: z.number().int().min(0).max(1e15).nullable().optional(),
  regularEmployees: z.number().int().min(0).max(10_000_000).nullable().optional(),
};
export const CreateEnterpriseInput = z.object(enterpriseFields);
export type CreateEnterpriseInput = z.infer<typeof CreateEnterpriseInput>;
export const UpdateEnterpriseInput = z.object({
  ...enterpriseFields,
  ubn: UbnInput.optional(),
  name: enterpriseFields.name.optional(),
});
export type UpdateEnterpriseInput = z.infer<typeof UpdateEnterpriseInput>;

export const EnterpriseListQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['createdAt', 'name']).default('createdAt'),
  countyCode: CountyCode.optional(),
  industrySection: z
    .string()
    .regex(/^[A-S]$/)
    .optional(),
  smeStatus: SmeStatusEnum.optional(),
});
export type EnterpriseListQuery = z.infer<typeof EnterpriseListQuery>;

export const LinkPersonInput = z
  .object({
    personId: z.uuid(),
    relation: EnterpriseRelation,
    title: z.string().trim().max(100).nullable().optional(),
    validFrom: z.iso.date(),
    validTo: z.iso.date().nullable().optional(),
  })
  .refine((v) => !v.validTo || v.validTo >= v.validFrom, { message: 'before_start', path: ['validTo'] });
export type LinkPersonInput = z.infer<typeof LinkPersonInput>;

/** Edits a staff link; `validTo` ends it (null reopens it). */
export const UpdateLinkInput = z.object({
  relation: EnterpriseRelation.optional(),
  title: z.string().trim().max(100).nullable().optional(),
  validFrom: z.iso.date().optional(),
  validTo: z.iso.date().nullable().optional(),
});
export type UpdateLinkInput = z.infer<typeof UpdateLinkInput>;

export const ExportFormat = z.enum(['csv', 'xlsx']);
export type ExportFormat = z.infer<typeof ExportFormat>;
const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

/** The export of the people list: the list's filters and sort, every matching row. */
export const PersonExportQuery = PersonListQuery.omit({ cursor: true, limit: true }).extend({
  format: ExportFormat.default('xlsx'),
  /** Whole national IDs: only with the reveal permission (programme office); audited. */
  unmasked: flag,
  /** Language of the headers and values; the account's language by default. */
  locale: Locale.optional(),
});
export type PersonExportQuery = z.infer<typeof PersonExportQuery>;

export const EnterpriseExportQuery = EnterpriseListQuery.omit({ cursor: true, limit: true }).extend({
  format: ExportFormat.default('xlsx'),
  locale: Locale.optional(),
});
export type EnterpriseExportQuery = z.infer<typeof EnterpriseExportQuery>;
