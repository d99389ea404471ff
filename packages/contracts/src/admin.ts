import { z } from 'zod';
import { Email, AccountStatus } from './auth.ts';
import { Locale, LocalizedText, pageOf } from './common.ts';
import { Grant, Role } from './access.ts';

export const AccountSummary = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  status: AccountStatus,
  emailVerified: z.boolean(),
  mfaEnabled: z.boolean(),
  roles: z.array(Role),
  createdAt: z.iso.datetime({ offset: true }),
});
export type AccountSummary = z.infer<typeof AccountSummary>;
export const AccountPage = pageOf(AccountSummary);

export const AccountDetail = AccountSummary.extend({ grants: z.array(Grant), locale: Locale });
export type AccountDetail = z.infer<typeof AccountDetail>;

export const AccountListQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(200).optional(),
  role: Role.optional(),
  status: AccountStatus.optional(),
});
export type AccountListQuery = z.infer<typeof AccountListQuery>;

/** An administrator creates an account; the person sets a password through the e-mailed link. */
export const CreateAccountInput = z.object({
  email: Email,
  displayName: z.string().trim().min(1).max(100),
  locale: Locale.default('zh-TW'),
});
export type CreateAccountInput = z.infer<typeof CreateAccountInput>;

export const UpdateAccountInput = z.object({
  displayName: z.string().trim().min(1).max(100).optional(),
  status: AccountStatus.optional(),
});
export type UpdateAccountInput = z.infer<typeof UpdateAccountInput>;

export const Agency = z.object({
  id: z.uuid(),
  code: z.string(),
  name: LocalizedText,
  createdAt: z.iso.datetime({ offset: true }),
});
export type Agency = z.infer<typeof Agency>;
export const CreateAgencyInput = z.object({
  code: z
    .string()
    .trim()
    .min(2)
    .max(20)
    .regex(/^[A-Z0-9-]+$/),
  name: LocalizedText,
});
export type CreateAgencyInput = z.infer<typeof CreateAgencyInput>;

export const Setting = z.object({
  key: z.string(),
  value: z.unknown(),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type Setting = z.infer<typeof Setting>;
export const UpdateSettingInput = z.object({ value: z.unknown() });

export const AuditEntry = z.object({
  id: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  actorAccountId: z.uuid().nullable(),
  actorEmail: z.string().nullable(),
  grantId: z.uuid().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = pageOf(AuditEntry);
export const AuditQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(100).optional(),
  actorAccountId: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const OutboxStatus = z.enum(['pending', 'sending', 'sent', 'failed', 'dead', 'captured']);
export const MailMessage = z.object({
  id: z.uuid(),
  toAddress: z.string(),
  subject: z.string(),
  template: z.string(),
  locale: Locale,
  status: OutboxStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  sentAt: z.iso.datetime({ offset: true }).nullable(),
});
export type MailMessage = z.infer<typeof MailMessage>;
export const MailPage = pageOf(MailMessage);
export const MailDetail = MailMessage.extend({ bodyText: z.string(), bodyHtml: z.string() });
export type MailDetail = z.infer<typeof MailDetail>;
/** The recipient's own newest mail (decision 020): links it still holds are live. */
export const MyMail = z.object({ items: z.array(MailDetail) });
export type MyMail = z.infer<typeof MyMail>;
export const MailQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  to: z.string().max(254).optional(),
  status: OutboxStatus.optional(),
});
