import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { persons } from './registry.ts';

/**
 * Consent by purpose (個資法 §8 notice), append-only: each change is a new row, the newest row per
 * person and purpose is in force. Kept after anonymisation as evidence of lawful processing.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    purpose: text('purpose').notNull(),
    granted: boolean('granted').notNull(),
    noticeVersion: integer('notice_version').notNull(),
    /** `sign_up`: at account creation; `self`: changed by the person; `staff`: collected by staff. */
    source: text('source', { enum: ['sign_up', 'self', 'staff'] }).notNull(),
    recordedByAccountId: uuid('recorded_by_account_id').references(() => accounts.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('consents_person_id_purpose_idx').on(t.personId, t.purpose, t.recordedAt)],
);

/**
 * A request under 個資法 §3 / §10 / §11: access or copy (15 days), correction, stop of processing
 * or use, deletion (30 days); each deadline extendable once by the same period (§13).
 */
export const personalDataRequests = pgTable(
  'personal_data_requests',
  {
    id: uuid('id').primaryKey(),
    /** Null for a request about a staff account, which has no person record (decision 023). */
    personId: uuid('person_id').references(() => persons.id),
    requestedByAccountId: uuid('requested_by_account_id').references(() => accounts.id),
    type: text('type', { enum: ['access', 'correction', 'stop', 'deletion'] }).notNull(),
    details: text('details'),
    status: text('status', { enum: ['open', 'decided'] })
      .notNull()
      .default('open'),
    /** Calendar dates in Asia/Taipei: the day received and the day the decision is due. */
    receivedOn: date('received_on').notNull(),
    dueOn: date('due_on').notNull(),
    extendedAt: timestamp('extended_at', { withTimezone: true }),
    extensionReason: text('extension_reason'),
    decision: text('decision', { enum: ['granted', 'partly_granted', 'refused'] }),
    legalReason: text('legal_reason'),
    decisionNote: text('decision_note'),
    decidedByAccountId: uuid('decided_by_account_id').references(() => accounts.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'personal_data_requests_subject_check',
      sql`${t.personId} is not null or ${t.requestedByAccountId} is not null`,
    ),
    index('personal_data_requests_person_id_idx').on(t.personId),
    index('personal_data_requests_requested_by_account_id_idx').on(t.requestedByAccountId),
    index('personal_data_requests_decided_by_account_id_idx').on(t.decidedByAccountId),
    index('personal_data_requests_status_due_on_idx').on(t.status, t.dueOn, t.id),
    index('personal_data_requests_created_at_id_idx').on(t.createdAt, t.id),
  ],
);

/**
 * An account asks to be linked to an existing person record; staff (programme office, or the
 * agency that brought the record in) confirm or reject. `personId` is null when the national ID
 * the user entered matched nothing: the user is never told whether a record exists.
 */
export const personClaims = pgTable(
  'person_claims',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The person the account already has (made at sign-up), merged into the claimed one on confirmation. */
    claimantPersonId: uuid('claimant_person_id').references(() => persons.id),
    personId: uuid('person_id').references(() => persons.id),
    basis: text('basis', { enum: ['email', 'national_id'] }).notNull(),
    nationalIdMasked: text('national_id_masked'),
    status: text('status', { enum: ['pending', 'confirmed', 'rejected'] })
      .notNull()
      .default('pending'),
    decidedByAccountId: uuid('decided_by_account_id').references(() => accounts.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('person_claims_account_id_idx').on(t.accountId),
    index('person_claims_claimant_person_id_idx').on(t.claimantPersonId),
    index('person_claims_person_id_idx').on(t.personId),
    index('person_claims_decided_by_account_id_idx').on(t.decidedByAccountId),
    index('person_claims_status_created_at_idx').on(t.status, t.createdAt, t.id),
    uniqueIndex('person_claims_one_pending_key')
      .on(t.accountId, t.basis)
      .where(sql`status = 'pending'`),
  ],
);

/**
 * Staff invite the owner of an e-mail address to claim a person record: a single-use link (only
 * its hash is kept) that links the record to the signed-in, e-mail-verified account of that address.
 */
export const personClaimInvitations = pgTable(
  'person_claim_invitations',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    email: text('email'),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedByAccountId: uuid('used_by_account_id').references(() => accounts.id),
    createdByAccountId: uuid('created_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('person_claim_invitations_token_hash_key').on(t.tokenHash),
    index('person_claim_invitations_person_id_idx').on(t.personId),
    index('person_claim_invitations_used_by_account_id_idx').on(t.usedByAccountId),
    index('person_claim_invitations_created_by_account_id_idx').on(t.createdByAccountId),
  ],
);
