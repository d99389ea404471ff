import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ClaimInvitation,
  CreateClaimInput,
  CreateClaimInvitationInput,
  DecideClaimInput,
  DuplicateList,
  MergePeopleInput,
  MergeResult,
  MyClaim,
  MyPerson,
  Ok,
  PersonClaimPage,
  PersonClaimQuery,
  TokenInput,
  UpdateMyPersonInput,
} from '@dtp/contracts';
import type { Actor } from '../../context.ts';
import type { IdentityService } from './identity.service.ts';

const IdParams = z.object({ id: z.uuid() });
const actorOf = (a: Actor | null): Actor => a!;
const staff = ['pmo', 'agency'] as const;

/** One identity per person: the account's own record, claims of existing records, duplicates and merge. */
export const identityRoutes: FastifyPluginAsyncZod<{ identity: IdentityService }> = async (
  app,
  { identity },
) => {
  const tags = ['people'];
  app.get(
    '/me/person',
    {
      schema: { operationId: 'getMyPerson', tags, response: { 200: MyPerson } },
      config: { access: 'signed-in' },
    },
    async (req) => identity.getMyPerson(req.ctx, actorOf(req.actor)),
  );
  app.patch(
    '/me/person',
    {
      schema: { operationId: 'updateMyPerson', tags, body: UpdateMyPersonInput, response: { 200: MyPerson } },
      config: { access: 'signed-in' },
    },
    async (req) => identity.updateMyPerson(req.ctx, actorOf(req.actor), req.body),
  );
  app.get(
    '/me/person/claims',
    {
      schema: { operationId: 'listMyClaims', tags, response: { 200: z.array(MyClaim) } },
      config: { access: 'signed-in' },
    },
    async (req) => identity.listMyClaims(actorOf(req.actor)),
  );
  app.post(
    '/me/person/claims',
    {
      schema: { operationId: 'createClaim', tags, body: CreateClaimInput, response: { 201: MyClaim } },
      config: { access: 'signed-in' },
    },
    async (req, reply) =>
      reply.status(201).send(await identity.createClaim(req.ctx, actorOf(req.actor), req.body)),
  );
  app.post(
    '/me/person/claim-invitations/accept',
    {
      schema: { operationId: 'acceptClaimInvitation', tags, body: TokenInput, response: { 200: MyPerson } },
      config: { access: 'signed-in' },
    },
    async (req) => identity.acceptInvitation(req.ctx, actorOf(req.actor), req.body.token),
  );
  app.get(
    '/person-claims',
    {
      schema: {
        operationId: 'listPersonClaims',
        tags,
        querystring: PersonClaimQuery,
        response: { 200: PersonClaimPage },
      },
      config: { access: staff },
    },
    async (req) => identity.listClaims(actorOf(req.actor), req.query),
  );
  app.post(
    '/person-claims/:id/decision',
    {
      schema: {
        operationId: 'decidePersonClaim',
        tags,
        params: IdParams,
        body: DecideClaimInput,
        response: { 200: Ok },
      },
      config: { access: staff },
    },
    async (req) => {
      await identity.decideClaim(req.ctx, actorOf(req.actor), req.params.id, req.body);
      return { ok: true as const };
    },
  );
  app.post(
    '/people/:id/claim-invitations',
    {
      schema: {
        operationId: 'inviteToClaimPerson',
        tags,
        params: IdParams,
        body: CreateClaimInvitationInput,
        response: { 201: ClaimInvitation },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await identity.inviteToClaim(req.ctx, actorOf(req.actor), req.params.id, req.body)),
  );
  app.get(
    '/people/duplicates',
    {
      schema: { operationId: 'listDuplicatePeople', tags, response: { 200: DuplicateList } },
      config: { access: ['pmo'] },
    },
    async () => identity.listDuplicates(),
  );
  app.post(
    '/people/merge',
    {
      schema: { operationId: 'mergePeople', tags, body: MergePeopleInput, response: { 200: MergeResult } },
      config: { access: ['pmo'] },
    },
    async (req) => identity.mergePeople(req.ctx, req.body),
  );
};
