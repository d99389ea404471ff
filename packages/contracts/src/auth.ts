import { z } from 'zod';
import { CalendarStyle, Locale } from './common.ts';
import { Grant } from './access.ts';

export const PASSWORD_MIN = 12;
export const Email = z.email().max(254);
export const Password = z.string().min(PASSWORD_MIN).max(200);

export const SignUpInput = z.object({
  email: Email,
  password: Password,
  displayName: z.string().trim().min(1).max(100),
  locale: Locale.default('zh-TW'),
  /** The §8 notice version shown, and the consent given per purpose (required purposes must be yes). */
  noticeVersion: z.number().int().min(1),
  consents: z.record(z.string().regex(/^[a-z][a-z_]{1,39}$/), z.boolean()),
});
export type SignUpInput = z.infer<typeof SignUpInput>;

export const SignInInput = z.object({
  email: Email,
  password: z.string().min(1).max(200),
});
export type SignInInput = z.infer<typeof SignInInput>;

/**
 * `signed_in`: full access. `mfa_required`: a TOTP or recovery code must follow.
 * `mfa_enrolment_required`: this account's roles must use MFA and it has none yet.
 */
export const SignInStage = z.enum(['signed_in', 'mfa_required', 'mfa_enrolment_required']);
export type SignInStage = z.infer<typeof SignInStage>;

export const SignInResult = z.object({ stage: SignInStage });
export type SignInResult = z.infer<typeof SignInResult>;

export const MfaCodeInput = z.object({
  code: z
    .string()
    .trim()
    .min(6)
    .max(20)
    .regex(/^[0-9A-Za-z-]+$/),
});
export type MfaCodeInput = z.infer<typeof MfaCodeInput>;

export const MfaEnrolment = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrSvg: z.string(),
});
export type MfaEnrolment = z.infer<typeof MfaEnrolment>;

export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

export const EmailInput = z.object({ email: Email });
export const TokenInput = z.object({ token: z.string().min(20).max(200) });
export const ResetPasswordInput = z.object({ token: z.string().min(20).max(200), password: Password });
export type ResetPasswordInput = z.infer<typeof ResetPasswordInput>;
export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: Password,
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const AccountStatus = z.enum(['active', 'disabled']);
export type AccountStatus = z.infer<typeof AccountStatus>;

export const Me = z.object({
  account: z.object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    locale: Locale,
    calendar: CalendarStyle,
    emailVerified: z.boolean(),
    mfaEnabled: z.boolean(),
    mfaRequired: z.boolean(),
  }),
  stage: SignInStage,
  grants: z.array(Grant),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

export const UpdateMeInput = z.object({
  displayName: z.string().trim().min(1).max(100).optional(),
  locale: Locale.optional(),
  calendar: CalendarStyle.optional(),
});
export type UpdateMeInput = z.infer<typeof UpdateMeInput>;

export const AuthSessionInfo = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
  lastSeenAt: z.iso.datetime({ offset: true }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type AuthSessionInfo = z.infer<typeof AuthSessionInfo>;
