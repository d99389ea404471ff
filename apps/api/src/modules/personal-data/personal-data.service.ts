import {
  PDPA_DEADLINE_DAYS,
  type ConsentChoices,
  type Consents,
  type CreatePersonalDataRequestInput,
  type DecideRequestInput,
  type ExtendRequestInput,
  type Page,
  type PersonalDataExport,
  type PersonalDataRequest,
  type PersonalDataRequestQuery,
  type PrivacyNotice,
  type RefusalReason,
  type UpdateConsentsInput,
} from '@dtp/contracts';
import type { Actor, Deps, RequestContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { addDays, daysBetween, formatDate, taipeiDate } from '@dtp/contracts';
import { AppError, fieldError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import {
  type DataSubject,
  type PersonalDataProvider,
  type PersonalDataProviders,
} from '../../lib/personal-data.ts';
import { recordAudit } from '../audit/index.ts';
import { serverText } from '../../lib/i18n.ts';
import { enqueueEmail } from '../outbox/index.ts';
import type { IdentityService, RegistryService } from '../registry/index.ts';
import { currentNotice, NOTICES } from './notice.ts';
import * as repo from './personal-data.repository.ts';

type ConsentSource = 'sign_up' | 'self' | 'staff';

export function createPersonalDataService(
  deps: Deps,
  opts: { identity: IdentityService; registry: RegistryService; providers: PersonalDataProviders },
) {
  const { db } = deps.database;
  const { identity, registry, providers } = opts;
  const today = () => taipeiDate(deps.now());

  /** Checks choices against the current notice: its version, known purposes, required ones given. */
  function checkConsents(noticeVersion: number, choices: ConsentChoices, source: ConsentSource) {
    const notice = currentNotice();
    if (noticeVersion !== notice.version)
      throw fieldError('noticeVersion', 'outdated', 'NOTICE_OUTDATED', { current: notice.version });
    const known = new Set(notice.purposes.map((p) => p.code));
    for (const code of Object.keys(choices))
      if (!known.has(code)) throw fieldError(`consents.${code}`, 'unknown');
    for (const p of notice.purposes) {
      // At sign-up a required purpose must be agreed; a later change may leave it out, never refuse it.
      if (p.required && (choices[p.code] === false || (source === 'sign_up' && choices[p.code] !== true)))
        throw fieldError(`consents.${p.code}`, 'required', 'CONSENT_REQUIRED');
    }
    return notice;
  }

  /** A staff account (no person record) has given no programme consents: every purpose unrecorded. */
  async function consentsOf(tx: DbOrTx, personId: string | null): Promise<Consents> {
    const notice = currentNotice();
    const current = personId ? await repo.currentConsents(tx, personId) : [];
    const rows = new Map(current.map((r) => [r.purpose, r]));
    return {
      currentNoticeVersion: notice.version,
      items: notice.purposes.map((p) => {
        const r = rows.get(p.code);
        return {
          purpose: p.code,
          required: p.required,
          granted: r?.granted ?? false,
          noticeVersion: r?.noticeVersion ?? null,
          source: r?.source ?? null,
          recordedAt: r?.recordedAt ?? null,
        };
      }),
    };
  }

  /**
   * Records consents given with a notice, in the caller's transaction: one row per purpose whose
   * choice is new or changed (at sign-up every purpose, an omitted optional one as "no").
   */
  async function recordConsents(
    tx: DbOrTx,
    ctx: RequestContext,
    input: { personId: string; noticeVersion: number; consents: ConsentChoices; source: ConsentSource },
  ): Promise<void> {
    const notice = checkConsents(input.noticeVersion, input.consents, input.source);
    const before = await consentsOf(tx, input.personId);
    const at = deps.now();
    const rows = notice.purposes
      .map((p) => {
        const was = before.items.find((i) => i.purpose === p.code)!;
        const granted = input.consents[p.code] ?? (input.source === 'sign_up' ? false : was.granted);
        const changed = was.recordedAt === null || was.granted !== granted;
        return changed
          ? {
              id: newId(),
              personId: input.personId,
              purpose: p.code,
              granted,
              noticeVersion: notice.version,
              source: input.source,
              recordedByAccountId: ctx.actorAccountId,
              recordedAt: at,
            }
          : null;
      })
      .filter((r) => r !== null);
    if (rows.length === 0) return;
    await repo.insertConsents(tx, rows);
    await recordAudit(tx, ctx, {
      action: input.source === 'sign_up' ? 'consent.record' : 'consent.update',
      targetType: 'person',
      targetId: input.personId,
      before: Object.fromEntries(
        rows.map((r) => [
          r.purpose,
          before.items.find((i) => i.purpose === r.purpose)!.recordedAt ? !r.granted : null,
        ]),
      ),
      after: {
        noticeVersion: notice.version,
        source: input.source,
        ...Object.fromEntries(rows.map((r) => [r.purpose, r.granted])),
      },
    });
  }

  const view = (r: repo.RequestRow): PersonalDataRequest => {
    const open = r.status === 'open';
    const daysLeft = open ? daysBetween(today(), r.dueOn) : null;
    return {
      id: r.id,
      personId: r.personId,
      personName: r.personName,
      type: r.type,
      details: r.details,
      status: r.status,
      receivedOn: r.receivedOn,
      dueOn: r.dueOn,
      daysLeft,
      overdue: daysLeft !== null && daysLeft < 0,
      extended: !!r.extendedAt,
      extensionReason: r.extensionReason,
      decision: r.decision,
      legalReason: r.legalReason as RefusalReason | null,
      decisionNote: r.decisionNote,
      decidedAt: r.decidedAt,
      createdAt: r.createdAt,
    };
  };

  async function subjectOf(tx: DbOrTx, personId: string): Promise<DataSubject> {
    const c = await repo.contactOf(tx, personId);
    return { personId, accountId: c?.accountId ?? null, emails: c?.email ? [c.email] : [] };
  }

  async function collect(subject: DataSubject): Promise<PersonalDataExport> {
    const sections: Record<string, unknown> = {};
    for (const p of providers.list()) sections[p.section] = await p.collect(db, subject);
    return {
      format: 'dtp-personal-data/1',
      generatedAt: deps.now().toISOString(),
      personId: subject.personId,
      accountId: subject.accountId,
      sections,
    };
  }

  /** Tells the person about their request, in their language, in the deciding transaction. */
  async function tellPerson(
    tx: DbOrTx,
    r: repo.RequestRow,
    template: 'personal_data_request_extended' | 'personal_data_request_decided',
    extra: {
      dueOn?: string;
      reason?: string;
      decision?: string;
      legalReason?: string | null;
      note?: string | null;
    },
  ) {
    const c = r.personId
      ? await repo.contactOf(tx, r.personId)
      : r.requestedByAccountId
        ? await repo.accountContactOf(tx, r.requestedByAccountId)
        : undefined;
    if (!c?.email) return;
    const t = (k: string) => serverText(c.locale, `personalData.${k}`);
    await enqueueEmail(tx, {
      to: c.email,
      accountId: c.accountId,
      locale: c.locale,
      template,
      params: {
        name: c.name,
        type: t(`types.${r.type}`),
        receivedOn: formatDate(r.receivedOn, c.calendar, c.locale, 'long'),
        dueOn: formatDate(extra.dueOn ?? r.dueOn, c.calendar, c.locale, 'long'),
        reason:
          template === 'personal_data_request_extended'
            ? (extra.reason ?? '')
            : extra.legalReason
              ? `${t('reasonPrefix')}${t(`legalReasons.${extra.legalReason}`)}`
              : '',
        decision: extra.decision ? t(`decisions.${extra.decision}`) : '',
        note: extra.note ? ` ${t('notePrefix')}${extra.note}` : '',
        url: `${deps.config.publicUrl}/me/personal-data`,
      },
    });
  }

  /** Deletion granted: every provider anonymises its part; the records that must be kept stay. */
  async function anonymise(
    tx: DbOrTx,
    ctx: RequestContext,
    personId: string | null,
    accountId: string | null,
  ) {
    // A staff account's request: the account (no person record) is the subject.
    const subject = personId
      ? await subjectOf(tx, personId)
      : {
          personId: null,
          accountId,
          emails: accountId
            ? [(await repo.accountContactOf(tx, accountId))?.email ?? ''].filter(Boolean)
            : [],
        };
    const at = deps.now();
    for (const p of providers.list()) await p.anonymise?.(tx, subject, at);
    await recordAudit(tx, ctx, {
      action: 'person.anonymise',
      ...(personId
        ? { targetType: 'person', targetId: personId }
        : { targetType: 'account', targetId: accountId }),
      after: {
        accountId: subject.accountId,
        sections: providers
          .list()
          .filter((p: PersonalDataProvider) => p.anonymise)
          .map((p) => p.section),
      },
    });
  }

  return {
    checkConsents,
    recordConsents,
    getNotice: (): PrivacyNotice => currentNotice(),
    noticeVersions: () => NOTICES.map((n) => n.version),

    async getMyConsents(ctx: RequestContext, actor: Actor): Promise<Consents> {
      return consentsOf(db, await identity.ensurePerson(ctx, actor));
    },

    async updateMyConsents(ctx: RequestContext, actor: Actor, input: UpdateConsentsInput): Promise<Consents> {
      const personId = await identity.requirePerson(ctx, actor);
      await db.transaction((tx) => recordConsents(tx, ctx, { personId, ...input, source: 'self' }));
      return consentsOf(db, personId);
    },

    /** Staff record the consents a person gave when staff collected their data (notice shown). */
    async getPersonConsents(actor: Actor, personId: string): Promise<Consents> {
      await registry.getPerson(actor, personId);
      return consentsOf(db, personId);
    },

    async setPersonConsents(
      ctx: RequestContext,
      actor: Actor,
      personId: string,
      input: UpdateConsentsInput,
    ): Promise<Consents> {
      const p = await registry.getPerson(actor, personId);
      if (p.anonymised)
        throw new AppError('PRECONDITION_FAILED', 'person anonymised', { reason: 'PERSON_ANONYMISED' });
      await db.transaction((tx) => recordConsents(tx, ctx, { personId, ...input, source: 'staff' }));
      return consentsOf(db, personId);
    },

    // ───────────── view and download ─────────────

    async myData(ctx: RequestContext, actor: Actor, download: boolean): Promise<PersonalDataExport> {
      const personId = await identity.ensurePerson(ctx, actor);
      const subject = personId
        ? await subjectOf(db, personId)
        : { personId: null, accountId: actor.accountId, emails: [] };
      subject.accountId = actor.accountId;
      if (!subject.emails.includes(actor.email)) subject.emails.push(actor.email);
      const out = await collect(subject);
      if (download)
        await db.transaction((tx) =>
          recordAudit(
            tx,
            ctx,
            personId
              ? { action: 'personal_data.export', targetType: 'person', targetId: personId }
              : { action: 'personal_data.export', targetType: 'account', targetId: actor.accountId },
          ),
        );
      return out;
    },

    // ───────────── rights requests ─────────────

    async createRequest(
      ctx: RequestContext,
      actor: Actor,
      input: CreatePersonalDataRequestInput,
    ): Promise<PersonalDataRequest> {
      // A staff account has no person record: its request is about the account (decision 023).
      const personId = await identity.ensurePerson(ctx, actor);
      const id = newId();
      const receivedOn = today();
      await db.transaction(async (tx) => {
        await repo.insertRequest(tx, {
          id,
          personId,
          requestedByAccountId: actor.accountId,
          type: input.type,
          details: input.details ?? null,
          receivedOn,
          dueOn: addDays(receivedOn, PDPA_DEADLINE_DAYS[input.type]),
        });
        await recordAudit(tx, ctx, {
          action: 'personal_data_request.create',
          targetType: 'personal_data_request',
          targetId: id,
          after: { personId, type: input.type, details: input.details ?? null, receivedOn },
        });
      });
      return view((await repo.getRequest(db, id))!);
    },

    async listMyRequests(ctx: RequestContext, actor: Actor): Promise<PersonalDataRequest[]> {
      const personId = await identity.ensurePerson(ctx, actor);
      const rows = personId
        ? await repo.requestsOfPerson(db, personId)
        : await repo.requestsOfAccount(db, actor.accountId);
      return rows.map(view);
    },

    async listRequests(q: PersonalDataRequestQuery): Promise<Page<PersonalDataRequest>> {
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const f = {
        status: q.status,
        type: q.type,
        overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
        today: today(),
      };
      const [rows, total] = await Promise.all([
        repo.listRequests(db, { ...f, after }, q.limit),
        repo.countRequests(db, f, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit).map(view);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.dueOn, last.id]) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    async getRequest(id: string): Promise<PersonalDataRequest> {
      const r = await repo.getRequest(db, id);
      if (!r) throw notFound('request');
      return view(r);
    },

    /** §13: once, by the request's own period, with the reason told to the person. */
    async extendRequest(
      ctx: RequestContext,
      id: string,
      input: ExtendRequestInput,
    ): Promise<PersonalDataRequest> {
      await db.transaction(async (tx) => {
        const r = await repo.getRequest(tx, id, true);
        if (!r) throw notFound('request');
        if (r.status !== 'open')
          throw new AppError('CONFLICT', 'request decided', { reason: 'REQUEST_DECIDED' });
        if (r.extendedAt)
          throw new AppError('CONFLICT', 'already extended once', { reason: 'REQUEST_ALREADY_EXTENDED' });
        const dueOn = addDays(r.dueOn, PDPA_DEADLINE_DAYS[r.type]);
        await repo.updateRequest(tx, id, { dueOn, extendedAt: deps.now(), extensionReason: input.reason });
        await recordAudit(tx, ctx, {
          action: 'personal_data_request.extend',
          targetType: 'personal_data_request',
          targetId: id,
          before: { dueOn: r.dueOn },
          after: { dueOn, reason: input.reason },
        });
        await tellPerson(tx, r, 'personal_data_request_extended', { dueOn, reason: input.reason });
      });
      return this.getRequest(id);
    },

    /**
     * Records the decision and tells the person. A granted (or partly granted) deletion anonymises
     * the person; a granted stop withdraws every optional consent. Correction itself is made by
     * staff on the person's record before the decision is recorded.
     */
    async decideRequest(
      ctx: RequestContext,
      actor: Actor,
      id: string,
      input: DecideRequestInput,
    ): Promise<PersonalDataRequest> {
      await db.transaction(async (tx) => {
        const r = await repo.getRequest(tx, id, true);
        if (!r) throw notFound('request');
        if (r.status !== 'open')
          throw new AppError('CONFLICT', 'request decided', { reason: 'REQUEST_DECIDED' });
        await repo.updateRequest(tx, id, {
          status: 'decided',
          decision: input.decision,
          legalReason: input.legalReason ?? null,
          decisionNote: input.note ?? null,
          decidedByAccountId: actor.accountId,
          decidedAt: deps.now(),
        });
        await recordAudit(tx, ctx, {
          action: 'personal_data_request.decide',
          targetType: 'personal_data_request',
          targetId: id,
          after: {
            decision: input.decision,
            legalReason: input.legalReason ?? null,
            note: input.note ?? null,
          },
        });
        // Told before a deletion removes the address.
        await tellPerson(tx, r, 'personal_data_request_decided', {
          decision: input.decision,
          legalReason: input.legalReason ?? null,
          note: input.note ?? null,
        });
        if (input.decision === 'refused') return;
        if (r.type === 'stop' && r.personId) {
          const notice = currentNotice();
          const optional = Object.fromEntries(
            notice.purposes.filter((p) => !p.required).map((p) => [p.code, false]),
          );
          await recordConsents(tx, ctx, {
            personId: r.personId,
            noticeVersion: notice.version,
            consents: optional,
            source: 'staff',
          });
        }
        if (r.type === 'deletion') await anonymise(tx, ctx, r.personId, r.requestedByAccountId);
      });
      return this.getRequest(id);
    },
  };
}
export type PersonalDataService = ReturnType<typeof createPersonalDataService>;

/** This module's part of a person's data: consents (with history) and rights requests. */
export const rightsPersonalData: PersonalDataProvider = {
  section: 'consentsAndRequests',
  async collect(db, s) {
    // A staff account has no person record: no consents, and requests about the account itself.
    const requests = s.personId
      ? await repo.requestsOfPerson(db, s.personId)
      : s.accountId
        ? await repo.requestsOfAccount(db, s.accountId)
        : [];
    return {
      consents: s.personId ? await repo.consentHistory(db, s.personId) : [],
      requests: requests.map((r) => ({
        type: r.type,
        details: r.details,
        status: r.status,
        receivedOn: r.receivedOn,
        dueOn: r.dueOn,
        decision: r.decision,
        legalReason: r.legalReason,
        decisionNote: r.decisionNote,
        decidedAt: r.decidedAt,
      })),
    };
  },
};
