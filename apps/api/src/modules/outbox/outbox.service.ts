import nodemailer from 'nodemailer';
import type { Locale, MailDetail, MailMessage, Page } from '@dtp/contracts';
import type { DbOrTx } from '../../db/client.ts';
import type { Deps } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { notFound } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { decryptField, encryptField, type KeyRing } from '../../lib/crypto.ts';
import { renderEmail, SECRET_LINK_TEMPLATES, type EmailTemplate } from './outbox.render.ts';
import {
  claimDue,
  countMessages,
  eraseOldSecrets,
  getMessage,
  insertMessage,
  listMessages,
  markFailed,
  markSent,
  recipientMessages,
} from './outbox.repository.ts';

export type EmailRequest = {
  to: string;
  accountId?: string | null;
  locale: Locale;
  template: EmailTemplate;
  params: Record<string, string>;
};

/**
 * Writes an e-mail to the outbox in the caller's transaction; it is sent only if that commits.
 * A link carrying a single-use token (SECRET_LINK_TEMPLATES) is not kept in the stored bodies:
 * they hold a placeholder, and the link is encrypted with the field key (`keys`) until delivery.
 */
export async function enqueueEmail(tx: DbOrTx, req: EmailRequest, keys?: KeyRing): Promise<string> {
  const secretUrl = SECRET_LINK_TEMPLATES.has(req.template) ? req.params.url : undefined;
  if (secretUrl && !keys) throw new Error(`${req.template} e-mails need the field key for their link`);
  const secret = secretUrl && keys ? encryptField(keys, secretUrl) : null;
  const rendered = renderEmail(req.locale, req.template, req.params, { withheld: !!secret });
  const id = newId();
  await insertMessage(tx, {
    id,
    toAddress: req.to,
    toAccountId: req.accountId ?? null,
    locale: req.locale,
    template: req.template,
    // Links carry single-use tokens: keep them out of the stored params (the body has them).
    params: Object.fromEntries(Object.entries(req.params).filter(([k]) => k !== 'url')),
    subject: rendered.subject,
    bodyText: rendered.text,
    bodyHtml: rendered.html,
    secretEnc: secret?.value ?? null,
    secretKeyId: secret?.keyId ?? null,
  });
  return id;
}

/** A captured link (no SMTP) is kept encrypted this long for its recipient, then erased. */
export const SECRET_KEEP_DAYS = 7;
/** The recipient's own mail: this many newest messages. */
const MY_MAIL_LIMIT = 20;

type StoredMessage = {
  locale: Locale;
  template: string;
  params: unknown;
  bodyText: string;
  bodyHtml: string;
  secretEnc: string | null;
  secretKeyId: string | null;
};

/** The bodies with the live link, rendered again from the template (for sending, or for the recipient). */
function liveBodies(keys: KeyRing, m: StoredMessage): { text: string; html: string } {
  if (!m.secretEnc || !m.secretKeyId) return { text: m.bodyText, html: m.bodyHtml };
  const url = decryptField(keys, m.secretKeyId, m.secretEnc);
  const params = { ...(m.params as Record<string, string>), url };
  return renderEmail(m.locale, m.template as EmailTemplate, params);
}

const MAX_ATTEMPTS = 8;
/** 30 s, 1 min, 2 min, … capped at 1 h. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

export function createOutboxService(deps: Deps) {
  const { db } = deps.database;
  const transport = deps.config.smtpUrl ? nodemailer.createTransport(deps.config.smtpUrl) : null;

  /** One pass: claim a batch and deliver it. Returns how many were handled. */
  async function deliverDue(batch = 20): Promise<number> {
    await eraseOldSecrets(db, SECRET_KEEP_DAYS);
    const claimed = await claimDue(db, batch, 120);
    for (const m of claimed) {
      if (!transport) {
        await markSent(db, m.id, 'captured');
        continue;
      }
      try {
        const body = liveBodies(deps.keys, {
          locale: m.locale,
          template: m.template,
          params: m.params,
          bodyText: m.body_text,
          bodyHtml: m.body_html,
          secretEnc: m.secret_enc,
          secretKeyId: m.secret_key_id,
        });
        await transport.sendMail({
          from: deps.config.mailFrom,
          to: m.to_address,
          subject: m.subject,
          text: body.text,
          html: body.html,
        });
        await markSent(db, m.id, 'sent');
      } catch (e) {
        const retry = m.attempts >= MAX_ATTEMPTS ? null : backoffSeconds(m.attempts);
        await markFailed(db, m.id, e instanceof Error ? e.message : String(e), retry);
      }
    }
    return claimed.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return {
    deliverDue,
    startWorker(intervalMs = 2000) {
      const tick = () => {
        running = deliverDue()
          .catch(() => 0)
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 100);
    },
    async stopWorker() {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
    async listMail(q: {
      cursor?: string | undefined;
      limit: number;
      to?: string | undefined;
      status?: string | undefined;
    }): Promise<Page<MailMessage>> {
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const [rows, total] = await Promise.all([
        listMessages(db, { to: q.to, status: q.status, after }, q.limit),
        countMessages(db, q, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },
    /** The administrator's view: the stored copy, whose secret links are placeholders. */
    async getMail(id: string): Promise<MailDetail> {
      const row = await getMessage(db, id);
      if (!row) throw notFound('message');
      return row;
    },

    /** The recipient's own newest mail, with a link still kept (captured without SMTP) shown live. */
    async myMail(accountId: string): Promise<{ items: MailDetail[] }> {
      const rows = await recipientMessages(db, accountId, MY_MAIL_LIMIT);
      return {
        items: rows.map(({ params, secretEnc, secretKeyId, ...m }) => {
          const live = liveBodies(deps.keys, { ...m, params, secretEnc, secretKeyId });
          return { ...m, bodyText: live.text, bodyHtml: live.html };
        }),
      };
    },

    /** Without SMTP the mailbox stands in for the recipient's inbox; with SMTP the mail goes out. */
    mailboxOpen: () => !transport,
  };
}
export type OutboxService = ReturnType<typeof createOutboxService>;
