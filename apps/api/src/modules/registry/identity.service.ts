import type { KpiService } from '../kpi/index.ts';
import { PEOPLE_REGISTERED } from './registry.metrics.ts';
import {
  isParticipant,
  maskNationalId,
  officialTai,
  type ClaimInvitation,
  type CreateClaimInput,
  type CreateClaimInvitationInput,
  type DecideClaimInput,
  type DuplicatePair,
  type MergeField,
  type MergePeopleInput,
  type MergeResult,
  type MyClaim,
  type MyPerson,
  type Page,
  type PersonClaim,
  type PersonClaimQuery,
  type PersonDetail,
  type PersonSummary,
  type UpdateMyPersonInput,
} from '@dtp/contracts';
import type { Actor, Deps, RequestContext } from '../../context.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { lookupHash, sha256 } from '../../lib/crypto.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { AppError, fieldError, notFound, pgError } from '../../lib/errors.ts';
import { newId, newToken } from '../../lib/ids.ts';
import type { PersonalDataProvider } from '../../lib/personal-data.ts';
import { recordAudit } from '../audit/index.ts';
import { enqueueEmail } from '../outbox/index.ts';
import * as repo from './identity.repository.ts';
import { registryScope } from './registry.policy.ts';
import * as registryRepo from './registry.repository.ts';

const INVITATION_TTL_MS = 7 * 24 * 3_600_000;
const ALL = { kind: 'all' } as const;
/** Name given to an anonymised person (個資法: deletion where the record must be kept). */
export const ANONYMISED_NAME = '已匿名';

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const toDetail = (r: registryRepo.PersonRow): PersonDetail => {
  const { accountId: _a, nationalIdEnc: _e, nationalIdKeyId: _k, ...rest } = r;
  return { ...rest, birthDate: r.birthDate ?? null };
};

const SIMPLE_FIELDS = [
  'name',
  'email',
  'phone',
  'birthDate',
  'gender',
  'nationality',
  'countyCode',
  'education',
  'employmentStatus',
  'employerEnterpriseId',
  'preferredLocale',
] as const satisfies readonly MergeField[];

/** The audit view of a person: values the audit writer masks, the national ID already masked. */
const auditView = (p: repo.PersonForChange) => ({
  ...Object.fromEntries(SIMPLE_FIELDS.map((f) => [f, p[f]])),
  nationalId: p.nationalIdMasked,
  accountId: p.accountId,
});

/** `kpi`: people made here count for K26; a merge moves the merged person's facts to the survivor. */
export function createIdentityService(deps: Deps, kpi: KpiService) {
  const { db } = deps.database;

  async function detail(tx: DbOrTx, id: string): Promise<PersonDetail> {
    const row = await registryRepo.getPerson(tx, ALL, id);
    if (!row) throw notFound('person');
    return toDetail(row);
  }

  /** A new person for an account, never an existing record: claiming one is a separate, checked step. */
  async function createPersonForAccount(
    tx: DbOrTx,
    ctx: RequestContext,
    account: { id: string; email: string; displayName: string; locale: 'zh-TW' | 'en' },
  ): Promise<string> {
    const id = newId();
    const name = officialTai(account.displayName.trim()).slice(0, 100);
    const email = account.email.toLowerCase();
    const made = await repo.insertPersonForAccount(tx, {
      id,
      accountId: account.id,
      name,
      email,
      preferredLocale: account.locale,
    });
    if (!made) return (await repo.personIdForAccount(tx, account.id))!.id;
    await kpi.recordFactsFor(tx as Tx, PEOPLE_REGISTERED, [id]);
    await recordAudit(tx, ctx, {
      action: 'person.create_for_account',
      targetType: 'person',
      targetId: id,
      after: { accountId: account.id, name, email },
    });
    return id;
  }

  /**
   * The account's person, made on first use for participant accounts that predate the link
   * (invited, demo). A staff account (no learner or enterprise grant) is not a programme
   * participant: it gets none, so its own 我的個人資料 adds nobody to the registry or to K26
   * (decision 023); null then.
   */
  async function ensurePerson(ctx: RequestContext, actor: Actor): Promise<string | null> {
    const found = await repo.personIdForAccount(db, actor.accountId);
    if (found) return found.id;
    if (!isParticipant(actor.grants.map((g) => g.role))) return null;
    return db.transaction(async (tx) => {
      const account = await repo.accountBasics(tx, actor.accountId);
      if (!account) throw notFound('account');
      return createPersonForAccount(tx, ctx, account);
    });
  }

  /** The account's person for what only a participant does (edit a profile, claim a record). */
  async function requirePerson(ctx: RequestContext, actor: Actor): Promise<string> {
    const id = await ensurePerson(ctx, actor);
    if (!id)
      throw new AppError('PRECONDITION_FAILED', 'staff accounts have no person record', {
        reason: 'NOT_A_PARTICIPANT',
      });
    return id;
  }

  /**
   * Folds `mergedId` into `survivorId` in the caller's transaction: every foreign key to the merged
   * person (found in pg_constraint) moves to the survivor, the merged row keeps `merged_into_id`
   * and releases its national-ID hash; per field the survivor keeps its value or takes the other's.
   */
  async function mergeInto(
    tx: DbOrTx,
    survivorId: string,
    mergedId: string,
    take: Partial<Record<MergeField, 'survivor' | 'merged'>>,
  ) {
    // Lock both rows in id order, so two merges of the same pair cannot deadlock.
    const locked = new Map<string, repo.PersonForChange | undefined>();
    for (const id of [survivorId, mergedId].sort()) locked.set(id, await repo.personForChange(tx, id));
    const s = locked.get(survivorId);
    const m = locked.get(mergedId);
    if (!s || s.mergedIntoId) throw notFound('person');
    if (!m || m.mergedIntoId) throw fieldError('mergedId', 'not_found');
    if (s.anonymisedAt || m.anonymisedAt)
      throw new AppError('PRECONDITION_FAILED', 'person anonymised', { reason: 'PERSON_ANONYMISED' });
    if (s.accountId && m.accountId && s.accountId !== m.accountId)
      throw new AppError('CONFLICT', 'both people have accounts', { reason: 'MERGE_BOTH_LINKED' });

    const choose = (f: MergeField, empty: boolean) => take[f] ?? (empty ? 'merged' : 'survivor');
    const set: Record<string, unknown> = {};
    for (const f of SIMPLE_FIELDS) if (choose(f, s[f] == null) === 'merged' && m[f] != null) set[f] = m[f];
    if (choose('nationalId', s.nationalIdHash == null) === 'merged' && m.nationalIdHash) {
      Object.assign(set, {
        nationalIdEnc: m.nationalIdEnc,
        nationalIdKeyId: m.nationalIdKeyId,
        nationalIdHash: m.nationalIdHash,
        nationalIdKind: m.nationalIdKind,
        nationalIdMasked: m.nationalIdMasked,
        nationalIdHeldHash: null, // a number held apart (decision 016) is now the survivor's own
      });
    }
    if (m.accountId) set.accountId = m.accountId;

    await repo.setPerson(tx, m.id, { mergedIntoId: s.id, accountId: null, nationalIdHash: null });
    await repo.repointMerged(tx, m.id, s.id);
    const moved: Record<string, number> = {};
    for (const ref of await repo.personReferences(tx)) {
      try {
        const n = await repo.moveReferences(tx, ref, m.id, s.id);
        if (n) moved[`${ref.table}.${ref.column}`] = n;
      } catch (e) {
        if (pgError(e).code === '23505')
          throw new AppError('CONFLICT', `both people hold the same ${ref.table} row`, {
            reason: 'MERGE_CONFLICT',
            params: { table: ref.table },
          });
        throw e;
      }
    }
    if (Object.keys(set).length) await repo.setPerson(tx, s.id, set as never);
    // KPI facts point at their subject without a foreign key (it may be a person or an enterprise).
    await kpi.moveSubject(tx as Tx, m.id, s.id);
    return {
      moved,
      before: { survivor: auditView(s), merged: auditView(m) },
      after: { survivor: auditView({ ...s, ...set } as repo.PersonForChange), mergedId: m.id, moved },
    };
  }

  /** Links an account to a person record; the person the account had so far is merged into it. */
  async function linkAccount(tx: DbOrTx, ctx: RequestContext, accountId: string, personId: string) {
    const target = await repo.personForChange(tx, personId);
    if (!target || target.mergedIntoId) throw notFound('person');
    if (target.anonymisedAt)
      throw new AppError('PRECONDITION_FAILED', 'person anonymised', { reason: 'PERSON_ANONYMISED' });
    if (target.accountId && target.accountId !== accountId)
      throw new AppError('CONFLICT', 'person linked to another account', { reason: 'PERSON_ALREADY_LINKED' });
    if (target.accountId === accountId) return;
    const current = await repo.personIdForAccount(tx, accountId);
    if (current) {
      const r = await mergeInto(tx, personId, current.id, {});
      await recordAudit(tx, ctx, {
        action: 'person.merge',
        targetType: 'person',
        targetId: personId,
        before: r.before,
        after: r.after,
      });
    } else {
      await repo.setPerson(tx, personId, { accountId });
    }
    await recordAudit(tx, ctx, {
      action: 'person.link_account',
      targetType: 'person',
      targetId: personId,
      after: { accountId, previousPersonId: current?.id ?? null },
    });
  }

  const summaryOf = async (tx: DbOrTx, id: string | null): Promise<PersonSummary | null> => {
    if (!id) return null;
    const p = await registryRepo.getPerson(tx, ALL, id);
    if (!p) return null;
    return {
      id: p.id,
      name: p.name,
      email: p.email,
      countyCode: p.countyCode,
      gender: p.gender,
      birthYear: p.birthDate ? Number(p.birthDate.slice(0, 4)) : null,
      nationalIdMasked: p.nationalIdMasked,
      employerName: p.employerName,
      hasAccount: p.hasAccount,
      createdAt: p.createdAt,
    };
  };

  return {
    createPersonForAccount,
    ensurePerson,
    requirePerson,
    /** The live person of an account, if it has one (without making one). */
    personOf: async (accountId: string) => (await repo.personIdForAccount(db, accountId))?.id ?? null,

    async getMyPerson(ctx: RequestContext, actor: Actor): Promise<MyPerson> {
      const id = await ensurePerson(ctx, actor);
      if (!id) return { person: null, claimableByEmail: false };
      const account = await repo.accountBasics(db, actor.accountId);
      const claimable =
        !!account?.emailVerified && !!(await repo.unlinkedPersonByEmail(db, account.email, id));
      return { person: await detail(db, id), claimableByEmail: claimable };
    },

    async updateMyPerson(ctx: RequestContext, actor: Actor, input: UpdateMyPersonInput): Promise<MyPerson> {
      const id = await requirePerson(ctx, actor);
      await db
        .transaction(async (tx) => {
          const before = await registryRepo.getPerson(tx, ALL, id, true);
          if (!before) throw notFound('person');
          if (before.anonymised)
            throw new AppError('PRECONDITION_FAILED', 'person anonymised', { reason: 'PERSON_ANONYMISED' });
          const set = defined(input);
          if (Object.keys(set).length === 0) return;
          await registryRepo.updatePerson(tx, id, set);
          await recordAudit(tx, ctx, {
            action: 'person.update_self',
            targetType: 'person',
            targetId: id,
            before: Object.fromEntries(
              Object.keys(set).map((k) => [k, (before as Record<string, unknown>)[k]]),
            ),
            after: set,
          });
        })
        .catch((e: unknown) => {
          if (pgError(e).code === '23503') throw fieldError('countyCode', 'not_found');
          throw e;
        });
      return this.getMyPerson(ctx, actor);
    },

    // ───────────── claims ─────────────

    /**
     * Asks staff to link an existing record. By national ID the claim is filed whether or not a
     * record matched, so the answer never tells anyone that a number is on file.
     */
    async createClaim(ctx: RequestContext, actor: Actor, input: CreateClaimInput): Promise<MyClaim> {
      const claimantId = await requirePerson(ctx, actor);
      const id = newId();
      await db
        .transaction(async (tx) => {
          const account = await repo.accountBasics(tx, actor.accountId);
          if (!account) throw notFound('account');
          let target: string | null;
          if (input.basis === 'email') {
            if (!account.emailVerified)
              throw new AppError('PRECONDITION_FAILED', 'e-mail not verified', {
                reason: 'EMAIL_NOT_VERIFIED',
              });
            target = await repo.unlinkedPersonByEmail(tx, account.email, claimantId);
            if (!target)
              throw new AppError('PRECONDITION_FAILED', 'no record to claim', {
                reason: 'PERSON_NOT_CLAIMABLE',
              });
          } else {
            target = await repo.unlinkedPersonByNationalIdHash(tx, lookupHash(deps.keys, input.nationalId!));
          }
          await repo.insertClaim(tx, {
            id,
            accountId: actor.accountId,
            claimantPersonId: claimantId,
            personId: target,
            basis: input.basis,
            nationalIdMasked: input.nationalId ? maskNationalId(input.nationalId) : null,
          });
          await recordAudit(tx, ctx, {
            action: 'person.claim_request',
            targetType: 'person_claim',
            targetId: id,
            after: {
              basis: input.basis,
              personId: target,
              ...(input.nationalId ? { nationalId: maskNationalId(input.nationalId) } : {}),
            },
          });
        })
        .catch((e: unknown) => {
          if (pgError(e).code === '23505')
            throw new AppError('CONFLICT', 'a claim is pending', { reason: 'CLAIM_PENDING' });
          throw e;
        });
      const mine = await repo.listMyClaims(db, actor.accountId);
      return mine.find((c) => c.id === id)!;
    },

    listMyClaims: (actor: Actor): Promise<MyClaim[]> => repo.listMyClaims(db, actor.accountId),

    async listClaims(actor: Actor, q: PersonClaimQuery): Promise<Page<PersonClaim>> {
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const scope = registryScope(actor);
      const [rows, total] = await Promise.all([
        repo.listClaims(db, scope, { status: q.status, after }, q.limit),
        repo.countClaims(db, scope, q.status, TOTAL_CAP),
      ]);
      const page = rows.slice(0, q.limit);
      const items: PersonClaim[] = [];
      for (const r of page) {
        items.push({
          id: r.id,
          basis: r.basis,
          status: r.status,
          createdAt: r.createdAt,
          decidedAt: r.decidedAt,
          accountEmail: r.accountEmail,
          accountDisplayName: r.accountDisplayName,
          nationalIdMasked: r.nationalIdMasked,
          decisionNote: r.decisionNote,
          claimant: await summaryOf(db, r.claimantPersonId),
          target: await summaryOf(db, r.personId),
        });
      }
      const last = page[page.length - 1];
      return {
        items,
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    async decideClaim(ctx: RequestContext, actor: Actor, id: string, input: DecideClaimInput): Promise<void> {
      await db.transaction(async (tx) => {
        const claim = await repo.getClaimForUpdate(tx, registryScope(actor), id);
        if (!claim) throw notFound('claim');
        if (claim.status !== 'pending')
          throw new AppError('CONFLICT', 'claim already decided', { reason: 'REQUEST_DECIDED' });
        if (input.decision === 'confirm') {
          if (!claim.personId)
            throw new AppError('PRECONDITION_FAILED', 'no matching record', {
              reason: 'PERSON_NOT_CLAIMABLE',
            });
          await linkAccount(tx, ctx, claim.accountId, claim.personId);
        }
        await repo.updateClaim(tx, id, {
          status: input.decision === 'confirm' ? 'confirmed' : 'rejected',
          decidedByAccountId: actor.accountId,
          decidedAt: deps.now(),
          decisionNote: input.note ?? null,
        });
        await recordAudit(tx, ctx, {
          action: input.decision === 'confirm' ? 'person.claim_confirm' : 'person.claim_reject',
          targetType: 'person_claim',
          targetId: id,
          after: { personId: claim.personId, accountId: claim.accountId, note: input.note ?? null },
        });
      });
    },

    // ───────────── invitations ─────────────

    async inviteToClaim(
      ctx: RequestContext,
      actor: Actor,
      personId: string,
      input: CreateClaimInvitationInput,
    ): Promise<ClaimInvitation> {
      return db.transaction(async (tx) => {
        const p = await registryRepo.getPerson(tx, registryScope(actor), personId);
        if (!p) throw notFound('person');
        if (p.anonymised)
          throw new AppError('PRECONDITION_FAILED', 'person anonymised', { reason: 'PERSON_ANONYMISED' });
        if (p.hasAccount)
          throw new AppError('CONFLICT', 'person already linked', { reason: 'PERSON_ALREADY_LINKED' });
        const email = (input.email ?? p.email)?.toLowerCase();
        if (!email) throw fieldError('email', 'required');
        const token = newToken();
        const id = newId();
        const expiresAt = new Date(deps.now().getTime() + INVITATION_TTL_MS);
        await repo.insertInvitation(tx, {
          id,
          personId,
          email,
          tokenHash: sha256(token),
          expiresAt,
          createdByAccountId: actor.accountId,
        });
        await enqueueEmail(
          tx,
          {
            to: email,
            locale: p.preferredLocale,
            template: 'claim_invitation',
            params: {
              name: p.name,
              url: `${deps.config.publicUrl}/claim?token=${encodeURIComponent(token)}`,
            },
          },
          deps.keys,
        );
        await recordAudit(tx, ctx, {
          action: 'person.claim_invitation',
          targetType: 'person',
          targetId: personId,
          after: { invitationId: id, email, expiresAt: expiresAt.toISOString() },
        });
        return { id, personId, email, expiresAt: expiresAt.toISOString() };
      });
    },

    /** Follows an invitation: only the signed-in, verified owner of the invited address may. */
    async acceptInvitation(ctx: RequestContext, actor: Actor, token: string): Promise<MyPerson> {
      await db.transaction(async (tx) => {
        const account = await repo.accountBasics(tx, actor.accountId);
        if (!account?.emailVerified)
          throw new AppError('PRECONDITION_FAILED', 'e-mail not verified', { reason: 'EMAIL_NOT_VERIFIED' });
        const inv = await repo.consumeInvitation(tx, sha256(token), actor.accountId, deps.now());
        if (!inv) throw fieldError('token', 'invalid', 'TOKEN_INVALID');
        // Refused before anything is written: the rolled-back transaction leaves the link usable.
        if (inv.email?.toLowerCase() !== account.email.toLowerCase())
          throw new AppError('FORBIDDEN', 'invitation is for another address', {
            reason: 'INVITATION_EMAIL_MISMATCH',
          });
        await linkAccount(tx, ctx, actor.accountId, inv.personId);
        await recordAudit(tx, ctx, {
          action: 'person.claim_invitation_accepted',
          targetType: 'person',
          targetId: inv.personId,
          after: { invitationId: inv.id, accountId: actor.accountId },
        });
      });
      return this.getMyPerson(ctx, actor);
    },

    // ───────────── duplicates and merge ─────────────

    async listDuplicates(): Promise<{ items: DuplicatePair[] }> {
      const pairs = await repo.duplicatePairs(db, 100, 0.3);
      const items: DuplicatePair[] = [];
      for (const p of pairs) {
        const [a, b] = await Promise.all([
          registryRepo.getPerson(db, ALL, p.a),
          registryRepo.getPerson(db, ALL, p.b),
        ]);
        if (a && b)
          items.push({
            reason: p.reason as DuplicatePair['reason'],
            similarity: Number(p.similarity),
            a: toDetail(a),
            b: toDetail(b),
          });
      }
      return { items };
    },

    async mergePeople(ctx: RequestContext, input: MergePeopleInput): Promise<MergeResult> {
      const moved = await db.transaction(async (tx) => {
        const r = await mergeInto(tx, input.survivorId, input.mergedId, input.take);
        await recordAudit(tx, ctx, {
          action: 'person.merge',
          targetType: 'person',
          targetId: input.survivorId,
          before: r.before,
          after: r.after,
        });
        return r.moved;
      });
      return { survivor: await detail(db, input.survivorId), mergedId: input.mergedId, moved };
    },
  };
}
export type IdentityService = ReturnType<typeof createIdentityService>;

/**
 * The registry's part of a person's data: the person record, enterprise ties and claims.
 * Anonymisation keeps gender, county, nationality and the birth year for KPI breakdowns
 * (decision 009) and removes everything that identifies the person.
 */
export const registryPersonalData: PersonalDataProvider = {
  section: 'person',
  async collect(db, s) {
    return {
      record: s.personId ? await repo.personExport(db, s.personId) : null,
      enterpriseLinks: s.personId ? await repo.enterpriseLinksExport(db, s.personId) : [],
      claims: s.accountId ? await repo.claimsExport(db, s.accountId) : [],
    };
  },
  async anonymise(tx, s, at) {
    if (!s.personId) return;
    const p = await repo.personForChange(tx, s.personId);
    if (!p || p.anonymisedAt) return;
    await repo.setPerson(tx, p.id, {
      name: ANONYMISED_NAME,
      email: null,
      phone: null,
      birthYear: p.birthDate ? Number(p.birthDate.slice(0, 4)) : null,
      birthDate: null,
      education: null,
      employmentStatus: null,
      employerEnterpriseId: null,
      nationalIdEnc: null,
      nationalIdKeyId: null,
      nationalIdHash: null,
      nationalIdHeldHash: null,
      nationalIdKind: null,
      nationalIdMasked: null,
      accountId: null,
      anonymisedAt: at,
    });
    await repo.scrubInvitations(tx, p.id);
  },
};
