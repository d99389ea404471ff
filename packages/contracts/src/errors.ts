import { z } from 'zod';

/** The one list of error codes; the HTTP status of each is fixed in the API's error handler. */
export const ErrorCode = z.enum([
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'LIMIT_EXCEEDED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Domain reasons the web app translates (`errors.reason.<REASON>`), falling back to the code. */
export const ErrorReason = z.enum([
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_THROTTLED',
  'ADDRESS_THROTTLED',
  'RATE_LIMITED',
  'ACCOUNT_DISABLED',
  'EMAIL_NOT_VERIFIED',
  'EMAIL_TAKEN',
  'MFA_REQUIRED',
  'MFA_INVALID_CODE',
  'MFA_ALREADY_ENABLED',
  'MFA_NOT_ENABLED',
  'MFA_ENROLMENT_REQUIRED',
  'TOKEN_INVALID',
  'CSRF_INVALID',
  'SESSION_EXPIRED',
  'WEAK_PASSWORD',
  'GRANT_EXISTS',
  'LAST_ADMIN',
  'GRANT_REQUEST_EXISTS',
  'GRANT_SELF_APPROVAL',
  'GRANT_REQUEST_DECIDED',
  'MAILBOX_SIGN_IN',
  'MAILBOX_UNAVAILABLE',
  'SETTING_UNKNOWN',
  'INVALID_UBN',
  'DUPLICATE_NATIONAL_ID',
  'DUPLICATE_UBN',
  'INVALID_NATIONAL_ID',
  'QUARTER_NOT_CLOSED',
  'CORRECTION_REASON_REQUIRED',
  'REPORT_SUBMITTED_CONCURRENTLY',
  'NOTICE_OUTDATED',
  'CONSENT_REQUIRED',
  'CLAIM_PENDING',
  'PERSON_ALREADY_LINKED',
  'PERSON_NOT_CLAIMABLE',
  'INVITATION_EMAIL_MISMATCH',
  'MERGE_BOTH_LINKED',
  'MERGE_CONFLICT',
  'PERSON_ANONYMISED',
  'UBN_STAFF_ONLY',
  'NOT_A_PARTICIPANT',
  'REQUEST_DECIDED',
  'REQUEST_ALREADY_EXTENDED',
  'IMPORT_NOT_READY',
  'IMPORT_HAS_ERRORS',
  'IMPORT_BUSY',
  'IMPORT_FILE_MISSING',
  'IMPORT_STALE',
  'CLASS_FULL',
  'ENROLMENT_CLOSED',
]);
export type ErrorReason = z.infer<typeof ErrorReason>;

export const FieldIssue = z.object({
  /** Dotted path of the field, e.g. `email` or `grants.0.role`. */
  field: z.string(),
  /** A stable issue key the web app translates: `required`, `too_small`, `invalid_format`, … */
  issue: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    reason: ErrorReason.optional(),
    /** English text for logs and API users; the web app never shows it. */
    message: z.string(),
    params: z.record(z.string(), z.unknown()).optional(),
    fields: z.array(FieldIssue).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
