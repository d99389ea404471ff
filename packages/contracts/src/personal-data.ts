import { z } from 'zod';
import { Locale, pageOf } from './common.ts';
import {
  PersonDetail,
  PersonSummary,
  Gender,
  Education,
  EmploymentStatus,
  NationalIdInput,
  CountyCode,
  Phone,
} from './registry.ts';
import { officialTai } from './tw.ts';

// ───────────── §8 notice and consent by purpose ─────────────

/** A consent purpose code, as the notice names it (`programme_administration`, `statistics`, …). */
export const ConsentPurposeCode = z.string().regex(/^[a-z][a-z_]{1,39}$/);

const BothLanguages = z.object({ 'zh-TW': z.string(), en: z.string() });

/** The 個資法 §8 notice: versioned, in zh-TW and English, with the purposes consent is asked for. */
export const PrivacyNotice = z.object({
  version: z.number().int(),
  effectiveFrom: z.iso.date(),
  title: BothLanguages,
  sections: z.array(z.object({ key: z.string(), heading: BothLanguages, body: BothLanguages })),
  purposes: z.array(
    z.object({
      code: ConsentPurposeCode,
      required: z.boolean(),
      label: BothLanguages,
      description: BothLanguages,
    }),
  ),
});
export type PrivacyNotice = z.infer<typeof PrivacyNotice>;

/** Consents given with a notice: purpose → yes/no. Required purposes must be yes. */
export const ConsentChoices = z.record(ConsentPurposeCode, z.boolean());
export type ConsentChoices = z.infer<typeof ConsentChoices>;

export const ConsentState = z.object({
  purpose: ConsentPurposeCode,
  required: z.boolean(),
  granted: z.boolean(),
  noticeVersion: z.number().int().nullable(),
  source: z.enum(['sign_up', 'self', 'staff']).nullable(),
  recordedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ConsentState = z.infer<typeof ConsentState>;

export const Consents = z.object({
  currentNoticeVersion: z.number().int(),
  items: z.array(ConsentState),
});
export type Consents = z.infer<typeof Consents>;

export const UpdateConsentsInput = z.object({
  noticeVersion: z.number().int().min(1),
  consents: ConsentChoices,
});
export type UpdateConsentsInput = z.infer<typeof UpdateConsentsInput>;

// ───────────── my person record, claims, invitations ─────────────

export const MyPerson = z.object({
  /** Null for a staff account: staff are not programme participants and have no person record. */
  person: PersonDetail.nullable(),
  /** An unlinked record carries this account's verified e-mail: the user may ask to claim it. */
  claimableByEmail: z.boolean(),
});
export type MyPerson = z.infer<typeof MyPerson>;

/** What a person edits about themselves; a national ID reaches the record through staff or a claim. */
export const UpdateMyPersonInput = z.object({
  name: z.string().trim().min(1).max(100).transform(officialTai).optional(),
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
  preferredLocale: Locale.optional(),
});
export type UpdateMyPersonInput = z.infer<typeof UpdateMyPersonInput>;

export const ClaimBasis = z.enum(['email', 'national_id']);
export const ClaimStatus = z.enum(['pending', 'confirmed', 'rejected']);

export const CreateClaimInput = z
  .object({ basis: ClaimBasis, nationalId: NationalIdInput.optional() })
  .refine((v) => v.basis !== 'national_id' || !!v.nationalId, {
    message: 'required',
    path: ['nationalId'],
  });
export type CreateClaimInput = z.infer<typeof CreateClaimInput>;

/** A claim as its claimant sees it: never whether a record matched. */
export const MyClaim = z.object({
  id: z.uuid(),
  basis: ClaimBasis,
  status: ClaimStatus,
  createdAt: z.iso.datetime({ offset: true }),
  decidedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type MyClaim = z.infer<typeof MyClaim>;

/** A claim in the staff queue, with both records side by side. */
export const PersonClaim = MyClaim.extend({
  accountEmail: z.string(),
  accountDisplayName: z.string(),
  nationalIdMasked: z.string().nullable(),
  claimant: PersonSummary.nullable(),
  target: PersonSummary.nullable(),
  decisionNote: z.string().nullable(),
});
export type PersonClaim = z.infer<typeof PersonClaim>;
export const PersonClaimPage = pageOf(PersonClaim);

export const PersonClaimQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: ClaimStatus.optional(),
});
export type PersonClaimQuery = z.infer<typeof PersonClaimQuery>;

export const DecideClaimInput = z.object({
  decision: z.enum(['confirm', 'reject']),
  note: z.string().trim().max(500).optional(),
});
export type DecideClaimInput = z.infer<typeof DecideClaimInput>;

export const CreateClaimInvitationInput = z.object({
  /** Defaults to the record's e-mail. */
  email: z.email().max(254).optional(),
});
export type CreateClaimInvitationInput = z.infer<typeof CreateClaimInvitationInput>;

export const ClaimInvitation = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  email: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type ClaimInvitation = z.infer<typeof ClaimInvitation>;

// ───────────── duplicates and merge ─────────────

export const DuplicateReason = z.enum([
  'same_national_id',
  'same_email',
  'same_name_birth_date',
  'similar_name_birth_date',
]);
export const DuplicatePair = z.object({
  reason: DuplicateReason,
  similarity: z.number(),
  a: PersonDetail,
  b: PersonDetail,
});
export type DuplicatePair = z.infer<typeof DuplicatePair>;
export const DuplicateList = z.object({ items: z.array(DuplicatePair) });

/** The fields a merge can take from either record. */
export const MERGE_FIELDS = [
  'name',
  'email',
  'phone',
  'birthDate',
  'gender',
  'nationality',
  'countyCode',
  'education',
  'employmentStatus',
  'employerEnterpriseId',
  'preferredLocale',
  'nationalId',
] as const;
export const MergeField = z.enum(MERGE_FIELDS);
export type MergeField = z.infer<typeof MergeField>;

export const MergePeopleInput = z
  .object({
    survivorId: z.uuid(),
    mergedId: z.uuid(),
    /** Per field, whose value the survivor keeps; unnamed fields keep the survivor's (or the other's when empty). */
    take: z.partialRecord(MergeField, z.enum(['survivor', 'merged'])).default({}),
  })
  .refine((v) => v.survivorId !== v.mergedId, { message: 'same_person', path: ['mergedId'] });
export type MergePeopleInput = z.infer<typeof MergePeopleInput>;

export const MergeResult = z.object({
  survivor: PersonDetail,
  mergedId: z.uuid(),
  /** `table.column` → rows moved to the survivor. */
  moved: z.record(z.string(), z.number().int()),
});
export type MergeResult = z.infer<typeof MergeResult>;

// ───────────── rights requests (§3, §10, §11, §13) ─────────────

export const PersonalDataRequestType = z.enum(['access', 'correction', 'stop', 'deletion']);
export type PersonalDataRequestType = z.infer<typeof PersonalDataRequestType>;

/** §13: 15 days for access and copies, 30 for correction, stopping and deletion; each extendable once by as much. */
export const PDPA_DEADLINE_DAYS: Record<PersonalDataRequestType, number> = {
  access: 15,
  correction: 30,
  stop: 30,
  deletion: 30,
};

export const RequestDecision = z.enum(['granted', 'partly_granted', 'refused']);
export type RequestDecision = z.infer<typeof RequestDecision>;

/** Grounds for refusing (wholly or partly), after 個資法 §10 and §11. */
export const RefusalReason = z.enum([
  'art10_national_interest',
  'art10_official_duty',
  'art10_third_party_interest',
  'art11_necessary_for_duty',
  'art11_written_consent',
  'retention_required_by_law',
  'data_accurate',
  'identity_not_verified',
]);
export type RefusalReason = z.infer<typeof RefusalReason>;

export const CreatePersonalDataRequestInput = z
  .object({
    type: PersonalDataRequestType,
    details: z.string().trim().max(2000).optional(),
  })
  .refine((v) => v.type !== 'correction' || (v.details?.length ?? 0) > 0, {
    message: 'required',
    path: ['details'],
  });
export type CreatePersonalDataRequestInput = z.infer<typeof CreatePersonalDataRequestInput>;

export const PersonalDataRequest = z.object({
  id: z.uuid(),
  /** Null for a request about a staff account (no person record); `personName` is then the account's. */
  personId: z.uuid().nullable(),
  personName: z.string(),
  type: PersonalDataRequestType,
  details: z.string().nullable(),
  status: z.enum(['open', 'decided']),
  receivedOn: z.iso.date(),
  dueOn: z.iso.date(),
  /** Asia/Taipei calendar days from today to the due date; negative when overdue; null once decided. */
  daysLeft: z.number().int().nullable(),
  overdue: z.boolean(),
  extended: z.boolean(),
  extensionReason: z.string().nullable(),
  decision: RequestDecision.nullable(),
  legalReason: RefusalReason.nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: z.iso.datetime({ offset: true }).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type PersonalDataRequest = z.infer<typeof PersonalDataRequest>;
export const PersonalDataRequestPage = pageOf(PersonalDataRequest);

export const PersonalDataRequestQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(['open', 'decided']).optional(),
  type: PersonalDataRequestType.optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type PersonalDataRequestQuery = z.infer<typeof PersonalDataRequestQuery>;

export const ExtendRequestInput = z.object({ reason: z.string().trim().min(1).max(1000) });
export type ExtendRequestInput = z.infer<typeof ExtendRequestInput>;

export const DecideRequestInput = z
  .object({
    decision: RequestDecision,
    legalReason: RefusalReason.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .refine((v) => v.decision === 'granted' || !!v.legalReason, {
    message: 'required',
    path: ['legalReason'],
  });
export type DecideRequestInput = z.infer<typeof DecideRequestInput>;

/** Everything the platform holds about a person, by section (each module adds its own). */
export const PersonalDataExport = z.object({
  format: z.literal('dtp-personal-data/1'),
  generatedAt: z.iso.datetime({ offset: true }),
  personId: z.uuid().nullable(),
  accountId: z.uuid().nullable(),
  sections: z.record(z.string(), z.unknown()),
});
export type PersonalDataExport = z.infer<typeof PersonalDataExport>;
