import type { Locale } from '@dtp/contracts';
import { serverText } from '../../lib/i18n.ts';

export const EMAIL_TEMPLATES = [
  'verify_email',
  'reset_password',
  'invitation',
  'mfa_enabled',
  'password_changed',
  'sign_up_attempt',
  'claim_invitation',
  'personal_data_request_extended',
  'personal_data_request_decided',
] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

/**
 * Templates whose link carries a single-use token (verify, reset, invitation, claim): the stored
 * message holds a placeholder and the link lives encrypted beside it until delivery (decision 020).
 */
export const SECRET_LINK_TEMPLATES: ReadonlySet<EmailTemplate> = new Set([
  'verify_email',
  'reset_password',
  'invitation',
  'claim_invitation',
]);

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Renders an e-mail on the server in the recipient's language. `params.url` is the action link;
 * `withheld` renders a placeholder where the link would be (the copy kept in the outbox).
 */
export function renderEmail(
  locale: Locale,
  template: EmailTemplate,
  params: Record<string, string>,
  opts: { withheld?: boolean } = {},
): { subject: string; text: string; html: string } {
  const t = (k: string) => serverText(locale, k, params);
  const subject = t(`email.${template}.subject`);
  const greeting = t('email.greeting');
  const body = t(`email.${template}.body`);
  const action = t(`email.${template}.action`);
  const signature = t('email.signature');
  const withheld = opts.withheld ? t('email.linkWithheld') : null;
  const url = withheld ? '' : (params.url ?? '');
  const text = [greeting, '', body, '', withheld ?? url, '', signature].join('\n');
  const html =
    `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.6">` +
    `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(body)}</p>` +
    (withheld ? `<p>${escapeHtml(withheld)}</p>` : '') +
    (url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(action)}</a></p><p>${escapeHtml(url)}</p>` : '') +
    `<p>${escapeHtml(signature).replace(/\n/g, '<br>')}</p></body></html>`;
  return { subject, text, html };
}
