import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountDetail,
  AccountListQuery,
  AccountPage,
  Agency,
  CreateAccountInput,
  CreateAgencyInput,
  CreateGrantInput,
  Grant,
  GrantRequest,
  Ok,
  UpdateAccountInput,
} from '@dtp/contracts';
import type { AccountsService } from './accounts.service.ts';

const tags = ['accounts'];
const admin = ['admin'] as const;
const IdParams = z.object({ id: z.uuid() });

export const accountsRoutes: FastifyPluginAsyncZod<{ accounts: AccountsService }> = async (
  app,
  { accounts },
) => {
  app.get(
    '/accounts',
    {
      schema: {
        operationId: 'listAccounts',
        tags,
        querystring: AccountListQuery,
        response: { 200: AccountPage },
      },
      config: { access: admin },
    },
    async (req) => accounts.listAccounts(req.query),
  );
  app.post(
    '/accounts',
    {
      schema: {
        operationId: 'createAccount',
        tags,
        body: CreateAccountInput,
        response: { 201: AccountDetail },
      },
      config: { access: admin },
    },
    async (req, reply) => reply.status(201).send(await accounts.createAccount(req.ctx, req.body)),
  );
  app.get(
    '/accounts/:id',
    {
      schema: { operationId: 'getAccount', tags, params: IdParams, response: { 200: AccountDetail } },
      config: { access: admin },
    },
    async (req) => accounts.getAccount(req.params.id),
  );
  app.patch(
    '/accounts/:id',
    {
      schema: {
        operationId: 'updateAccount',
        tags,
        params: IdParams,
        body: UpdateAccountInput,
        response: { 200: AccountDetail },
      },
      config: { access: admin },
    },
    async (req) => accounts.updateAccount(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/accounts/:id/sign-in-unlock',
    {
      schema: { operationId: 'unlockSignIn', tags, params: IdParams, response: { 200: Ok } },
      config: { access: admin },
    },
    async (req) => {
      await accounts.unlockSignIn(req.ctx, req.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/accounts/:id/grants',
    {
      schema: {
        operationId: 'addGrant',
        tags,
        params: IdParams,
        body: CreateGrantInput,
        // 202: the grant waits for a second administrator (decision 020).
        response: { 201: Grant, 202: GrantRequest },
      },
      config: { access: admin },
    },
    async (req, reply) => {
      const r = await accounts.addGrant(req.ctx, req.params.id, req.body);
      return r.pending ? reply.status(202).send(r.pending) : reply.status(201).send(r.granted);
    },
  );
  app.get(
    '/grant-requests',
    {
      schema: { operationId: 'listGrantRequests', tags, response: { 200: z.array(GrantRequest) } },
      config: { access: admin },
    },
    async () => accounts.listGrantRequests(),
  );
  app.post(
    '/grant-requests/:id/approve',
    {
      schema: { operationId: 'approveGrantRequest', tags, params: IdParams, response: { 200: Grant } },
      config: { access: admin },
    },
    async (req) => accounts.approveGrantRequest(req.ctx, req.params.id),
  );
  app.post(
    '/grant-requests/:id/reject',
    {
      schema: { operationId: 'rejectGrantRequest', tags, params: IdParams, response: { 200: Ok } },
      config: { access: admin },
    },
    async (req) => {
      await accounts.rejectGrantRequest(req.ctx, req.params.id);
      return { ok: true as const };
    },
  );
  app.delete(
    '/accounts/:id/grants/:grantId',
    {
      schema: {
        operationId: 'revokeGrant',
        tags,
        params: z.object({ id: z.uuid(), grantId: z.uuid() }),
        response: { 200: Ok },
      },
      config: { access: admin },
    },
    async (req) => {
      await accounts.revokeGrant(req.ctx, req.params.id, req.params.grantId);
      return { ok: true as const };
    },
  );
  app.get(
    '/agencies',
    {
      schema: { operationId: 'listAgencies', tags: ['agencies'], response: { 200: z.array(Agency) } },
      config: { access: ['admin', 'pmo', 'agency'] },
    },
    async () => accounts.listAgencies(),
  );
  app.post(
    '/agencies',
    {
      schema: {
        operationId: 'createAgency',
        tags: ['agencies'],
        body: CreateAgencyInput,
        response: { 201: Agency },
      },
      config: { access: ['admin', 'pmo'] },
    },
    async (req, reply) => reply.status(201).send(await accounts.createAgency(req.ctx, req.body)),
  );
};
