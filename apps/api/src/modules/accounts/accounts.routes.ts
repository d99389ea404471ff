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
        response: { 201: Grant },
      },
      config: { access: admin },
    },
    async (req, reply) => reply.status(201).send(await accounts.addGrant(req.ctx, req.params.id, req.body)),
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
