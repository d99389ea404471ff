import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';

/** An executing agency (執行單位). The measures it runs arrive with the programme structure. */
export const agencies = pgTable(
  'agencies',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    name: jsonb('name').$type<{ 'zh-TW': string; en?: string }>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('agencies_code_key').on(t.code)],
);

/** A role held by an account over a scope. Revoked grants are kept for the audit trail. */
export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    role: text('role', {
      enum: ['admin', 'pmo', 'agency', 'consultant', 'enterprise', 'learner', 'expert'],
    }).notNull(),
    scopeKind: text('scope_kind', {
      enum: ['global', 'agency', 'enterprise', 'class', 'engagement', 'panel', 'self'],
    }).notNull(),
    /** The agency, enterprise, class, engagement or panel; null for global and self. */
    scopeId: uuid('scope_id'),
    function: text('function', { enum: ['training', 'testing'] }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => accounts.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('grants_account_id_idx').on(t.accountId),
    index('grants_scope_idx').on(t.scopeKind, t.scopeId),
    index('grants_created_by_idx').on(t.createdBy),
  ],
);

/**
 * A grant that takes effect only when a second administrator approves it (decision 020): any grant
 * an administrator makes to itself, and any grant of a role that reads personal data. Approval
 * writes the row into `grants`; until then nothing reads this table for access.
 */
export const grantRequests = pgTable(
  'grant_requests',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    role: text('role', {
      enum: ['admin', 'pmo', 'agency', 'consultant', 'enterprise', 'learner', 'expert'],
    }).notNull(),
    scopeKind: text('scope_kind', {
      enum: ['global', 'agency', 'enterprise', 'class', 'engagement', 'panel', 'self'],
    }).notNull(),
    scopeId: uuid('scope_id'),
    function: text('function', { enum: ['training', 'testing'] }),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] })
      .notNull()
      .default('pending'),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => accounts.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid('decided_by').references(() => accounts.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The grant an approval created. */
    grantId: uuid('grant_id').references(() => grants.id),
  },
  (t) => [
    index('grant_requests_account_id_idx').on(t.accountId),
    index('grant_requests_pending_idx')
      .on(t.requestedAt)
      .where(sql`status = 'pending'`),
    index('grant_requests_requested_by_idx').on(t.requestedBy),
    index('grant_requests_decided_by_idx').on(t.decidedBy),
    index('grant_requests_grant_id_idx').on(t.grantId),
  ],
);

/** Policy that administrators change (MFA per role, lockout, …); every change is audited. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => accounts.id),
});
