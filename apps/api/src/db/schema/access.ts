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

/** Policy that administrators change (MFA per role, lockout, …); every change is audited. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => accounts.id),
});
