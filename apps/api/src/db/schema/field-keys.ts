import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The field-encryption keys this database's data is protected with: each key id with a fingerprint
 * (HMAC-SHA-256 of a fixed label under the key, truncated), which identifies the key without
 * revealing it. The server refuses to start with a key ring that does not match (decision 018).
 */
export const fieldKeys = pgTable('field_keys', {
  id: text('id').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
