import nodemailer from 'nodemailer';
import type { Locale, MailDetail, MailMessage, Page } from '@dtp/contracts';
import type { DbOrTx } from '../../db/client.ts';
import type { Deps } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { notFound } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { renderEmail, type EmailTemplate } from './outbox.render.ts';
import {
  claimDue,
  countMessages,
  getMessage,
  insertMessage,
  listMessages,
  markFailed,
  markSent,
} from './outbox.repository.ts';

export type EmailRequest = {
  to: string;
  accountId?: string | null;
  locale: Locale;
  template: EmailTemplate;
  params: Record<string, string>;
};

/** Writes an e-mail to the outbox in the caller's transaction; it is sent only if that commits. */
export async function enqueueEmail(tx: DbOrTx, req: EmailRequest): Promise<string> {
  const rendered = renderEmail(req.locale, req.template, req.params);
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
  });
  return id;
}

const MAX_ATTEMPTS = 8;
/** 30 s, 1 min, 2 min, … capped at 1 h. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

export function createOutboxService(deps: Deps) {
  const { db } = deps.database;
  const transport = deps.config.smtpUrl ? nodemailer.createTransport(deps.config.smtpUrl) : null;

  /** One pass: claim a batch and deliver it. Returns how many were handled. */
  async function deliverDue(batch = 20): Promise<number> {
    const claimed = await claimDue(db, batch, 120);
    for (const m of claimed) {
      if (!transport) {
        await markSent(db, m.id, 'captured');
        continue;
      }
      try {
        await transport.sendMail({
          from: deps.config.mailFrom,
          to: m.to_address,
          subject: m.subject,
          text: m.body_text,
          html: m.body_html,
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
    async getMail(id: string): Promise<MailDetail> {
      const row = await getMessage(db, id);
      if (!row) throw notFound('message');
      return row;
    },
  };
}
export type OutboxService = ReturnType<typeof createOutboxService>;
