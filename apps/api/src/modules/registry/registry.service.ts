import type { Readable } from 'node:stream';
import {
  isValidNationalId,
  maskNationalId,
  nationalIdKind,
  officialTai,
  smeStatus,
  type CreateEnterpriseInput,
  type CreatePersonInput,
  type EnterpriseDetail,
  type EnterpriseExportQuery,
  type EnterpriseListQuery,
  type EnterpriseSummary,
  type LinkPersonInput,
  type Locale,
  type Page,
  type PersonDetail,
  type PersonExportQuery,
  type PersonListQuery,
  type PersonSummary,
  type UpdateEnterpriseInput,
  type UpdateLinkInput,
  type UpdatePersonInput,
} from '@dtp/contracts';
import type { Actor, Deps, RequestContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { decryptField, encryptField, lookupHash } from '../../lib/crypto.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { formatDate, formatDateTime, taipeiDate } from '@dtp/contracts';
import { AppError, fieldError, forbidden, notFound, pgError } from '../../lib/errors.ts';
import { translator } from '../../lib/i18n.ts';
import { newId } from '../../lib/ids.ts';
import { maskName } from '../../lib/mask.ts';
import { EXPORT_CONTENT_TYPE, exportStream, type ExportColumn } from '../../lib/spreadsheet.ts';
import { listScopeHolders } from '../accounts/index.ts';
import { recordAudit } from '../audit/index.ts';
import type { KpiService } from '../kpi/index.ts';
import { actingAgency, canRevealNationalId, mayChangeUbn, registryScope } from './registry.policy.ts';
import { ENTERPRISES_REGISTERED, PEOPLE_REGISTERED, registryMetrics } from './registry.metrics.ts';
import * as repo from './registry.repository.ts';

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** A national ID or 統一編號 another record already has: 409 CONFLICT naming the field. */
const taken = (field: 'nationalId' | 'ubn', reason: 'DUPLICATE_NATIONAL_ID' | 'DUPLICATE_UBN') =>
  new AppError('CONFLICT', `${field} taken`, { reason, fields: [{ field, issue: 'taken' }] });

/** Foreign-key and unique violations become the field they concern. */
function mapDbError(e: unknown): never {
  const err = pgError(e);
  if (err.code === '23503') {
    const c = err.constraint ?? '';
    const field = c.includes('county')
      ? 'countyCode'
      : c.includes('industr')
        ? 'industryCode'
        : c.includes('employer')
          ? 'employerEnterpriseId'
          : 'id';
    throw fieldError(field, 'not_found');
  }
  if (err.code === '23505') {
    if ((err.constraint ?? '').includes('ubn')) throw taken('ubn', 'DUPLICATE_UBN');
    if ((err.constraint ?? '').includes('national_id')) throw taken('nationalId', 'DUPLICATE_NATIONAL_ID');
  }
  throw e;
}

/** Rows an export reads per query: the list's keyset query walked in batches, never all at once. */
const EXPORT_BATCH = 500;

/** Walks a keyset-paged query to the end, one batch in memory at a time. */
async function* walk<T>(
  fetch: (after: (string | number | null)[] | undefined) => Promise<T[]>,
  keyOf: (row: T) => (string | number | null)[],
): AsyncGenerator<T> {
  let after: (string | number | null)[] | undefined;
  for (;;) {
    const rows = await fetch(after);
    yield* rows;
    if (rows.length < EXPORT_BATCH) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

export type ExportFile = { stream: Readable; fileName: string; contentType: string };

export function createRegistryService(deps: Deps, kpi: KpiService) {
  const { db } = deps.database;
  for (const m of registryMetrics) kpi.metrics.register(m);

  function protectNationalId(id: string | null | undefined) {
    if (id === undefined) return {};
    if (id === null) {
      return {
        nationalIdEnc: null,
        nationalIdKeyId: null,
        nationalIdHash: null,
        nationalIdKind: null,
        nationalIdMasked: null,
        nationalIdHeldHash: null,
      };
    }
    const enc = encryptField(deps.keys, id);
    return {
      nationalIdEnc: enc.value,
      nationalIdKeyId: enc.keyId,
      nationalIdHash: lookupHash(deps.keys, id),
      nationalIdKind: nationalIdKind(id),
      nationalIdMasked: maskNationalId(id),
      nationalIdHeldHash: null,
    };
  }

  /**
   * A national ID given for person `self` (null: a new one), as decision 016 has it: a record the
   * caller may see with it → 409 CONFLICT; a record only others may see → the number is held
   * apart (`heldFrom`: that record), so the answer is the same as for a number not on file.
   */
  async function placeNationalId(tx: DbOrTx, actor: Actor, nationalId: string, self: string | null) {
    const fields = protectNationalId(nationalId) as ReturnType<typeof protectNationalId> & {
      nationalIdHash: string | null;
      nationalIdHeldHash: string | null;
    };
    const hash = fields.nationalIdHash!;
    const visible = await repo.visiblePersonsByNationalIdHash(tx, registryScope(actor), hash);
    if (visible.some((p) => p.id !== self)) throw taken('nationalId', 'DUPLICATE_NATIONAL_ID');
    const other = await repo.findPersonByNationalIdHash(tx, hash);
    if (!other || other.id === self) return { fields, heldFrom: null };
    return { fields: { ...fields, nationalIdHash: null, nationalIdHeldHash: hash }, heldFrom: other.id };
  }

  /** The audit row of a national ID held apart (decision 016): which record already has it. */
  async function recordHeld(
    tx: DbOrTx,
    ctx: RequestContext,
    id: string,
    heldFrom: string | null | undefined,
  ) {
    if (!heldFrom) return;
    await recordAudit(tx, ctx, {
      action: 'person.national_id_held',
      targetType: 'person',
      targetId: id,
      after: { sameNationalIdAs: heldFrom },
    });
  }

  const toPersonDetail = (r: repo.PersonRow): PersonDetail => {
    const { accountId: _a, nationalIdEnc: _e, nationalIdKeyId: _k, ...rest } = r;
    return { ...rest, birthDate: r.birthDate ?? null };
  };

  async function personFor(actor: Actor, id: string) {
    const row = await repo.getPerson(db, registryScope(actor), id);
    if (!row) throw notFound('person');
    return row;
  }

  async function enterpriseFor(actor: Actor, id: string): Promise<EnterpriseDetail> {
    const row = await repo.getEnterprise(db, registryScope(actor), id);
    if (!row) throw notFound('enterprise');
    const [people, representatives, smeHistory] = await Promise.all([
      repo.listEnterprisePeople(db, id),
      listScopeHolders(db, 'enterprise', id),
      repo.listSmeHistory(db, id),
    ]);
    return {
      ...row,
      people: people.map((p) => ({ ...p, validTo: p.validTo ?? null })),
      representatives,
      smeHistory,
    };
  }

  /** The list query of people as the list route reads it: a national ID is looked up by its hash. */
  function personFilter(q: { q?: string | undefined }) {
    const idQuery = q.q && isValidNationalId(q.q) ? lookupHash(deps.keys, q.q.toUpperCase()) : undefined;
    return { q: idQuery || !q.q ? undefined : officialTai(q.q), nationalIdHash: idQuery };
  }

  const exportLocale = (actor: Actor, locale: Locale | undefined): Locale => locale ?? actor.locale;
  const fileName = (t: (k: string) => string, base: string, format: string) =>
    `${t(`export.${base}.file`)}-${taipeiDate(deps.now())}.${format}`;

  /** The audit view of a person change: field names, with personal values masked by the audit writer. */
  const auditView = (input: Record<string, unknown>) => {
    const { nationalId, ...rest } = input;
    return nationalId === undefined
      ? rest
      : { ...rest, nationalId: nationalId === null ? null : maskNationalId(String(nationalId)) };
  };

  return {
    async listPeople(actor: Actor, q: PersonListQuery): Promise<Page<PersonSummary>> {
      const scope = registryScope(actor);
      // A query that is a valid national ID finds the person by its keyed hash, never by plain text.
      const filter = { ...q, ...personFilter(q) };
      const after = decodeCursor(q.cursor, 2) ?? undefined;
      const [rows, total] = await Promise.all([
        repo.listPersons(db, scope, { ...filter, after }, q.limit),
        repo.countPersons(deps.database, scope, filter, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor:
          rows.length > q.limit && last
            ? encodeCursor([q.sort === 'name' ? last.name : last.createdAt, last.id])
            : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    async getPerson(actor: Actor, id: string): Promise<PersonDetail> {
      return toPersonDetail(await personFor(actor, id));
    },

    /**
     * The people list's query (same scope, filters and sort) streamed to CSV/XLSX. National IDs are
     * masked unless the caller holds the reveal permission and asks for them; the export is audited
     * before the first row leaves.
     */
    async exportPeople(ctx: RequestContext, actor: Actor, q: PersonExportQuery): Promise<ExportFile> {
      if (q.unmasked && !canRevealNationalId(actor)) throw forbidden();
      const scope = registryScope(actor);
      const search = personFilter(q);
      const filter = {
        sort: q.sort,
        countyCode: q.countyCode,
        gender: q.gender,
        employerEnterpriseId: q.employerEnterpriseId,
        ...search,
      };
      await db.transaction((tx) =>
        recordAudit(tx, ctx, {
          action: q.unmasked ? 'person.export_unmasked' : 'person.export',
          targetType: 'person',
          targetId: null,
          after: {
            format: q.format,
            unmasked: q.unmasked,
            sort: q.sort,
            q: !q.q ? undefined : search.nationalIdHash ? maskNationalId(q.q.toUpperCase()) : maskName(q.q),
            countyCode: q.countyCode,
            gender: q.gender,
            employerEnterpriseId: q.employerEnterpriseId,
          },
        }),
      );
      const locale = exportLocale(actor, q.locale);
      const t = translator(locale);
      // Dates in the reader's calendar (民國 75/11/16 or 1986-11-16), instants on Taipei time.
      const date = (v: string | null) => formatDate(v, actor.calendar, locale) || null;
      type Row = Awaited<ReturnType<typeof repo.exportPersons>>[number];
      const nationalId = (r: Row) =>
        q.unmasked && r.nationalIdEnc && r.nationalIdKeyId
          ? decryptField(deps.keys, r.nationalIdKeyId, r.nationalIdEnc)
          : r.nationalIdMasked;
      const tr = (group: string, v: string | null) => (v ? t(`export.${group}.${v}`) : null);
      const h = (k: string) => t(`export.people.${k}`);
      const columns: ExportColumn<Row>[] = [
        { header: h('name'), value: (r) => r.name },
        { header: h('nationalId'), value: nationalId },
        { header: h('gender'), value: (r) => tr('gender', r.gender) },
        { header: h('birthDate'), value: (r) => date(r.birthDate) },
        { header: h('county'), value: (r) => (locale === 'en' ? r.countyNameEn : r.countyNameZh) },
        { header: h('email'), value: (r) => r.email },
        { header: h('phone'), value: (r) => r.phone },
        { header: h('education'), value: (r) => tr('education', r.education) },
        { header: h('employmentStatus'), value: (r) => tr('employmentStatus', r.employmentStatus) },
        { header: h('employerUbn'), value: (r) => r.employerUbn },
        { header: h('employerName'), value: (r) => r.employerName },
        { header: h('hasAccount'), value: (r) => t(r.hasAccount ? 'export.yes' : 'export.no') },
        { header: h('createdAt'), value: (r) => formatDateTime(r.createdAt, actor.calendar, locale) },
      ];
      const rows = walk(
        (after) => repo.exportPersons(db, scope, { ...filter, after }, EXPORT_BATCH),
        (r) => [q.sort === 'name' ? r.name : r.createdAt, r.id],
      );
      return {
        stream: exportStream(q.format, columns, rows, h('sheet')),
        fileName: fileName(t, 'people', q.format),
        contentType: EXPORT_CONTENT_TYPE[q.format],
      };
    },

    /** The enterprise list's query streamed to CSV/XLSX, as `exportPeople`. */
    async exportEnterprises(
      ctx: RequestContext,
      actor: Actor,
      q: EnterpriseExportQuery,
    ): Promise<ExportFile> {
      const scope = registryScope(actor);
      const filter = {
        sort: q.sort,
        q: q.q ? officialTai(q.q) : undefined,
        countyCode: q.countyCode,
        industrySection: q.industrySection,
        smeStatus: q.smeStatus,
      };
      await db.transaction((tx) =>
        recordAudit(tx, ctx, {
          action: 'enterprise.export',
          targetType: 'enterprise',
          targetId: null,
          after: { format: q.format, ...filter },
        }),
      );
      const locale = exportLocale(actor, q.locale);
      const t = translator(locale);
      const en = locale === 'en';
      const date = (v: string | null) => formatDate(v, actor.calendar, locale) || null;
      type Row = Awaited<ReturnType<typeof repo.exportEnterprises>>[number];
      const h = (k: string) => t(`export.enterprises.${k}`);
      const columns: ExportColumn<Row>[] = [
        { header: h('ubn'), value: (r) => r.ubn },
        { header: h('name'), value: (r) => r.name },
        { header: h('industryCode'), value: (r) => r.industryCode },
        {
          header: h('industryName'),
          value: (r) =>
            !en
              ? r.industryNameZh
              : (r.industryNameEn ??
                (r.divisionNameEn
                  ? t('export.enterprises.inDivision', { name: r.divisionNameEn, code: r.divisionCode ?? '' })
                  : r.industryNameZh)),
        },
        {
          header: h('industrySection'),
          value: (r) =>
            r.industrySection
              ? `${r.industrySection} ${(en ? (r.sectionNameEn ?? r.sectionNameZh) : r.sectionNameZh) ?? ''}`.trim()
              : null,
        },
        { header: h('county'), value: (r) => (en ? r.countyNameEn : r.countyNameZh) },
        { header: h('address'), value: (r) => r.address },
        { header: h('paidInCapitalTwd'), value: (r) => r.paidInCapitalTwd },
        { header: h('regularEmployees'), value: (r) => r.regularEmployees },
        { header: h('smeStatus'), value: (r) => (r.smeStatus ? t(`export.smeStatus.${r.smeStatus}`) : null) },
        { header: h('smeStatusAsOf'), value: (r) => date(r.smeStatusAsOf) },
        { header: h('createdAt'), value: (r) => formatDateTime(r.createdAt, actor.calendar, locale) },
      ];
      const rows = walk(
        (after) => repo.exportEnterprises(db, scope, { ...filter, after }, EXPORT_BATCH),
        (r) => [q.sort === 'name' ? r.name : r.createdAt, r.id],
      );
      return {
        stream: exportStream(q.format, columns, rows, h('sheet')),
        fileName: fileName(t, 'enterprises', q.format),
        contentType: EXPORT_CONTENT_TYPE[q.format],
      };
    },

    async createPerson(ctx: RequestContext, actor: Actor, input: CreatePersonInput): Promise<PersonDetail> {
      const id = newId();
      await db
        .transaction(async (tx) => {
          const { nationalId, ...fields } = input;
          const placed = nationalId ? await placeNationalId(tx, actor, nationalId, null) : null;
          await repo.insertPerson(tx, {
            id,
            ...fields,
            email: fields.email?.toLowerCase() ?? null,
            ...(placed ? placed.fields : protectNationalId(nationalId)),
            sourceAgencyId: actingAgency(actor),
          });
          await recordHeld(tx, ctx, id, placed?.heldFrom);
          await kpi.recordFactsFor(tx, PEOPLE_REGISTERED, [id]);
          await recordAudit(tx, ctx, {
            action: 'person.create',
            targetType: 'person',
            targetId: id,
            after: auditView(input),
          });
        })
        .catch(mapDbError);
      return this.getPerson(actor, id);
    },

    async updatePerson(
      ctx: RequestContext,
      actor: Actor,
      id: string,
      input: UpdatePersonInput,
    ): Promise<PersonDetail> {
      await db
        .transaction(async (tx) => {
          const before = await repo.getPerson(tx, registryScope(actor), id, true);
          if (!before) throw notFound('person');
          if (before.anonymised) throw new AppError('PRECONDITION_FAILED', 'person anonymised');
          const { nationalId, ...fields } = defined(input);
          const placed = nationalId ? await placeNationalId(tx, actor, nationalId, id) : null;
          const set = {
            ...fields,
            ...(fields.email ? { email: fields.email.toLowerCase() } : {}),
            ...(placed ? placed.fields : protectNationalId(nationalId)),
          };
          await recordHeld(tx, ctx, id, placed?.heldFrom);
          if (Object.keys(set).length === 0) return;
          await repo.updatePerson(tx, id, set);
          const changed = Object.keys(defined(input));
          const beforeView = Object.fromEntries(
            changed.map((k) => [
              k,
              k === 'nationalId' ? before.nationalIdMasked : (before as Record<string, unknown>)[k],
            ]),
          );
          await recordAudit(tx, ctx, {
            action: 'person.update',
            targetType: 'person',
            targetId: id,
            before: beforeView,
            after: auditView(defined(input)),
          });
        })
        .catch(mapDbError);
      return this.getPerson(actor, id);
    },

    /** Shows the whole number to the programme office; every reveal is in the audit log. */
    async revealNationalId(
      ctx: RequestContext,
      actor: Actor,
      id: string,
    ): Promise<{ nationalId: string | null }> {
      if (!canRevealNationalId(actor)) throw forbidden();
      const p = await personFor(actor, id);
      const nationalId =
        p.nationalIdEnc && p.nationalIdKeyId
          ? decryptField(deps.keys, p.nationalIdKeyId, p.nationalIdEnc)
          : null;
      await db.transaction((tx) =>
        recordAudit(tx, ctx, { action: 'person.reveal_national_id', targetType: 'person', targetId: id }),
      );
      return { nationalId };
    },

    async listEnterprises(actor: Actor, q: EnterpriseListQuery): Promise<Page<EnterpriseSummary>> {
      const scope = registryScope(actor);
      const after = decodeCursor(q.cursor, 2) ?? undefined;
      const filter = { ...q, q: q.q ? officialTai(q.q) : undefined };
      const [rows, total] = await Promise.all([
        repo.listEnterprises(db, scope, { ...filter, after }, q.limit),
        repo.countEnterprises(deps.database, scope, filter, TOTAL_CAP),
      ]);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor:
          rows.length > q.limit && last
            ? encodeCursor([q.sort === 'name' ? last.name : last.createdAt, last.id])
            : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    getEnterprise: (actor: Actor, id: string) => enterpriseFor(actor, id),

    async createEnterprise(
      ctx: RequestContext,
      actor: Actor,
      input: CreateEnterpriseInput,
    ): Promise<EnterpriseDetail> {
      const id = newId();
      const today = taipeiDate(deps.now());
      await db
        .transaction(async (tx) => {
          if (await repo.findEnterpriseByUbn(tx, input.ubn)) throw taken('ubn', 'DUPLICATE_UBN');
          const status = smeStatus({
            paidInCapitalTwd: input.paidInCapitalTwd ?? null,
            regularEmployees: input.regularEmployees ?? null,
          });
          await repo.insertEnterprise(tx, {
            id,
            ...input,
            smeStatus: status,
            // Judged today (Asia/Taipei) when there is anything to judge by; the trigger keeps it.
            smeStatusAsOf: input.paidInCapitalTwd != null || input.regularEmployees != null ? today : null,
            sourceAgencyId: actingAgency(actor),
          });
          await kpi.recordFactsFor(tx, ENTERPRISES_REGISTERED, [id]);
          await recordAudit(tx, ctx, {
            action: 'enterprise.create',
            targetType: 'enterprise',
            targetId: id,
            after: { ...input, smeStatus: status },
          });
        })
        .catch(mapDbError);
      return enterpriseFor(actor, id);
    },

    async updateEnterprise(
      ctx: RequestContext,
      actor: Actor,
      id: string,
      input: UpdateEnterpriseInput,
    ): Promise<EnterpriseDetail> {
      await db
        .transaction(async (tx) => {
          const before = await repo.getEnterprise(tx, registryScope(actor), id, true);
          if (!before) throw notFound('enterprise');
          const set: Record<string, unknown> = defined(input);
          if (set.ubn === before.ubn) delete set.ubn;
          if (set.ubn && !mayChangeUbn(actor))
            throw new AppError('FORBIDDEN', 'only staff change a 統一編號', {
              reason: 'UBN_STAFF_ONLY',
              fields: [{ field: 'ubn', issue: 'staff_only' }],
            });
          if (set.ubn && set.ubn !== before.ubn && (await repo.findEnterpriseByUbn(tx, String(set.ubn)))) {
            throw taken('ubn', 'DUPLICATE_UBN');
          }
          if (Object.keys(set).length === 0) return;
          const figures = {
            paidInCapitalTwd:
              'paidInCapitalTwd' in set ? (set.paidInCapitalTwd as number | null) : before.paidInCapitalTwd,
            regularEmployees:
              'regularEmployees' in set ? (set.regularEmployees as number | null) : before.regularEmployees,
          };
          if (
            figures.paidInCapitalTwd !== before.paidInCapitalTwd ||
            figures.regularEmployees !== before.regularEmployees
          ) {
            // New figures are a new judgement, dated today in Asia/Taipei; the trigger of migration
            // 0005 keeps every judgement, so a KPI reads the status at the time of its event.
            Object.assign(set, { smeStatus: smeStatus(figures), smeStatusAsOf: taipeiDate(deps.now()) });
          }
          await repo.updateEnterprise(tx, id, set);
          const beforeView = Object.fromEntries(
            Object.keys(set).map((k) => [k, (before as Record<string, unknown>)[k]]),
          );
          await recordAudit(tx, ctx, {
            action: 'enterprise.update',
            targetType: 'enterprise',
            targetId: id,
            before: beforeView,
            after: set,
          });
        })
        .catch(mapDbError);
      return enterpriseFor(actor, id);
    },

    async linkPerson(
      ctx: RequestContext,
      actor: Actor,
      enterpriseId: string,
      input: LinkPersonInput,
    ): Promise<EnterpriseDetail> {
      await db.transaction(async (tx) => {
        if (!(await repo.getEnterprise(tx, registryScope(actor), enterpriseId))) throw notFound('enterprise');
        if (!(await repo.getPerson(tx, registryScope(actor), input.personId)))
          throw fieldError('personId', 'not_found');
        const id = newId();
        await repo.insertEnterprisePerson(tx, {
          id,
          enterpriseId,
          ...input,
          title: input.title ?? null,
          validTo: input.validTo ?? null,
        });
        await recordAudit(tx, ctx, {
          action: 'enterprise.link_person',
          targetType: 'enterprise',
          targetId: enterpriseId,
          after: { linkId: id, ...input },
        });
      });
      return enterpriseFor(actor, enterpriseId);
    },

    /** Edits a staff link (relation, title, dates); setting `validTo` ends it. */
    async updateLink(
      ctx: RequestContext,
      actor: Actor,
      enterpriseId: string,
      linkId: string,
      input: UpdateLinkInput,
    ): Promise<EnterpriseDetail> {
      await db.transaction(async (tx) => {
        if (!(await repo.getEnterprise(tx, registryScope(actor), enterpriseId, true)))
          throw notFound('enterprise');
        const before = await repo.getEnterprisePerson(tx, enterpriseId, linkId);
        if (!before) throw notFound('link');
        const set = defined(input);
        const validFrom = set.validFrom ?? before.validFrom;
        const validTo = set.validTo === undefined ? before.validTo : set.validTo;
        if (validTo && validTo < validFrom)
          throw fieldError('validTo' in set ? 'validTo' : 'validFrom', 'before_start');
        if (Object.keys(set).length === 0) return;
        await repo.updateEnterprisePerson(tx, linkId, set);
        await recordAudit(tx, ctx, {
          action: 'enterprise.update_link',
          targetType: 'enterprise',
          targetId: enterpriseId,
          before: {
            linkId,
            ...Object.fromEntries(Object.keys(set).map((k) => [k, (before as Record<string, unknown>)[k]])),
          },
          after: { linkId, ...set },
        });
      });
      return enterpriseFor(actor, enterpriseId);
    },

    /** The SME status an enterprise had on a date (for KPIs: the status at the time of the event). */
    smeStatusOn: async (enterpriseId: string, date: string) =>
      (await repo.smeStatusOn(db, enterpriseId, date)) ?? null,
  };
}
export type RegistryService = ReturnType<typeof createRegistryService>;
