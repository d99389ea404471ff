import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Messages written in the transaction that causes them; a worker claims them with SKIP LOCKED. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey(),
    channel: text('channel', { enum: ['email'] })
      .notNull()
      .default('email'),
    toAddress: text('to_address').notNull(),
    toAccountId: uuid('to_account_id'),
    locale: text('locale', { enum: ['zh-TW', 'en'] }).notNull(),
    template: text('template').notNull(),
    params: jsonb('params').notNull(),
    subject: text('subject').notNull(),
    bodyText: text('body_text').notNull(),
    bodyHtml: text('body_html').notNull(),
    /**
     * The single-use link of a verification, reset, invitation or claim mail, encrypted with the
     * field key; the bodies above hold a placeholder instead (decision 020). Erased once the
     * message is handed to SMTP, or after `SECRET_KEEP_DAYS` when captured without SMTP.
     */
    secretEnc: text('secret_enc'),
    secretKeyId: text('secret_key_id'),
    /** `captured`: no SMTP configured; the admin mail viewer shows it. */
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed', 'dead', 'captured'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status in ('pending','failed')`),
    index('outbox_created_at_id_idx').on(t.createdAt, t.id),
    index('outbox_to_account_id_idx').on(t.toAccountId),
  ],
);
