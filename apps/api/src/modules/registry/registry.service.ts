import {
  isValidNationalId,
  maskNationalId,
  nationalIdKind,
  smeStatus,
  type CreateEnterpriseInput,
  type CreatePersonInput,
  type EnterpriseDetail,
  type EnterpriseListQuery,
  type EnterpriseSummary,
  type LinkPersonInput,
  type Page,
  type PersonDetail,
  type PersonListQuery,
  type PersonSummary,
  type UpdateEnterpriseInput,
  type UpdatePersonInput,
} from '@dtp/contracts';
import type { Actor, Deps, RequestContext } from '../../context.ts';
import { decryptField, encryptField, lookupHash } from '../../lib/crypto.ts';
import { decodeCursor, encodeCursor, TOTAL_CAP } from '../../lib/cursor.ts';
import { taipeiDate } from '../../lib/dates.ts';
import { AppError, fieldError, forbidden, notFound, pgError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { KpiService } from '../kpi/index.ts';
import { actingAgency, canRevealNationalId, registryScope } from './registry.policy.ts';
import { ENTERPRISES_REGISTERED, PEOPLE_REGISTERED, registryMetrics } from './registry.metrics.ts';
import * as repo from './registry.repository.ts';

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

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
    if ((err.constraint ?? '').includes('ubn')) throw fieldError('ubn', 'taken', 'DUPLICATE_UBN');
    if ((err.constraint ?? '').includes('national_id'))
      throw fieldError('nationalId', 'taken', 'DUPLICATE_NATIONAL_ID');
  }
  throw e;
}

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
      };
    }
    const enc = encryptField(deps.keys, id);
    return {
      nationalIdEnc: enc.value,
      nationalIdKeyId: enc.keyId,
      nationalIdHash: lookupHash(deps.keys, id),
      nationalIdKind: nationalIdKind(id),
      nationalIdMasked: maskNationalId(id),
    };
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
    const people = await repo.listEnterprisePeople(db, id);
    return { ...row, people: people.map((p) => ({ ...p, validTo: p.validTo ?? null })) };
  }

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
      const idQuery = q.q && isValidNationalId(q.q) ? lookupHash(deps.keys, q.q.toUpperCase()) : undefined;
      const filter = { ...q, q: idQuery ? undefined : q.q, nationalIdHash: idQuery };
      const after = decodeCursor(q.cursor, 2) ?? undefined;
      const [rows, total] = await Promise.all([
        repo.listPersons(db, scope, { ...filter, after }, q.limit),
        repo.countPersons(db, scope, filter, TOTAL_CAP),
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

    async createPerson(ctx: RequestContext, actor: Actor, input: CreatePersonInput): Promise<PersonDetail> {
      const id = newId();
      await db
        .transaction(async (tx) => {
          if (
            input.nationalId &&
            (await repo.findPersonByNationalIdHash(tx, lookupHash(deps.keys, input.nationalId)))
          ) {
            throw fieldError('nationalId', 'taken', 'DUPLICATE_NATIONAL_ID');
          }
          const { nationalId, ...fields } = input;
          await repo.insertPerson(tx, {
            id,
            ...fields,
            email: fields.email?.toLowerCase() ?? null,
            ...protectNationalId(nationalId),
            sourceAgencyId: actingAgency(actor),
          });
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
          if (nationalId) {
            const other = await repo.findPersonByNationalIdHash(tx, lookupHash(deps.keys, nationalId));
            if (other && other.id !== id) throw fieldError('nationalId', 'taken', 'DUPLICATE_NATIONAL_ID');
          }
          const set = {
            ...fields,
            ...(fields.email ? { email: fields.email.toLowerCase() } : {}),
            ...protectNationalId(nationalId),
          };
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
      const [rows, total] = await Promise.all([
        repo.listEnterprises(db, scope, { ...q, after }, q.limit),
        repo.countEnterprises(db, scope, q, TOTAL_CAP),
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
          if (await repo.findEnterpriseByUbn(tx, input.ubn))
            throw fieldError('ubn', 'taken', 'DUPLICATE_UBN');
          const status = smeStatus({
            paidInCapitalTwd: input.paidInCapitalTwd ?? null,
            regularEmployees: input.regularEmployees ?? null,
          });
          await repo.insertEnterprise(tx, {
            id,
            ...input,
            smeStatus: status,
            smeStatusAsOf: status ? today : null,
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
          if (set.ubn && set.ubn !== before.ubn && (await repo.findEnterpriseByUbn(tx, String(set.ubn)))) {
            throw fieldError('ubn', 'taken', 'DUPLICATE_UBN');
          }
          if (Object.keys(set).length === 0) return;
          if ('paidInCapitalTwd' in set || 'regularEmployees' in set) {
            const status = smeStatus({
              paidInCapitalTwd:
                (set.paidInCapitalTwd as number | null | undefined) ?? before.paidInCapitalTwd,
              regularEmployees:
                (set.regularEmployees as number | null | undefined) ?? before.regularEmployees,
            });
            // The status is kept with the date it was judged, so records made earlier keep theirs.
            if (status !== before.smeStatus)
              Object.assign(set, {
                smeStatus: status,
                smeStatusAsOf: status ? taipeiDate(deps.now()) : null,
              });
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
  };
}
export type RegistryService = ReturnType<typeof createRegistryService>;
