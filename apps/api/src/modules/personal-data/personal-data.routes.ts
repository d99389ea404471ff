import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Consents,
  CreatePersonalDataRequestInput,
  DecideRequestInput,
  ExtendRequestInput,
  PersonalDataExport,
  PersonalDataRequest,
  PersonalDataRequestPage,
  PersonalDataRequestQuery,
  PrivacyNotice,
  UpdateConsentsInput,
} from '@dtp/contracts';
import type { Actor } from '../../context.ts';
import { taipeiDate } from '@dtp/contracts';
import type { PersonalDataService } from './personal-data.service.ts';

const IdParams = z.object({ id: z.uuid() });
const actorOf = (a: Actor | null): Actor => a!;

/** 個資法: the §8 notice, consent by purpose, the §3 rights (view, download, requests) and their queue. */
export const personalDataRoutes: FastifyPluginAsyncZod<{ personalData: PersonalDataService }> = async (
  app,
  { personalData },
) => {
  const tags = ['personal data'];
  app.get(
    '/privacy-notice',
    {
      schema: { operationId: 'getPrivacyNotice', tags, response: { 200: PrivacyNotice } },
      config: { access: 'public' },
    },
    async () => personalData.getNotice(),
  );
  app.get(
    '/me/consents',
    {
      schema: { operationId: 'getMyConsents', tags, response: { 200: Consents } },
      config: { access: 'signed-in' },
    },
    async (req) => personalData.getMyConsents(req.ctx, actorOf(req.actor)),
  );
  app.put(
    '/me/consents',
    {
      schema: {
        operationId: 'updateMyConsents',
        tags,
        body: UpdateConsentsInput,
        response: { 200: Consents },
      },
      config: { access: 'signed-in' },
    },
    async (req) => personalData.updateMyConsents(req.ctx, actorOf(req.actor), req.body),
  );
  app.get(
    '/people/:id/consents',
    {
      schema: { operationId: 'getPersonConsents', tags, params: IdParams, response: { 200: Consents } },
      config: { access: ['pmo', 'agency'] },
    },
    async (req) => personalData.getPersonConsents(actorOf(req.actor), req.params.id),
  );
  app.put(
    '/people/:id/consents',
    {
      schema: {
        operationId: 'setPersonConsents',
        tags,
        params: IdParams,
        body: UpdateConsentsInput,
        response: { 200: Consents },
      },
      config: { access: ['pmo', 'agency'] },
    },
    async (req) => personalData.setPersonConsents(req.ctx, actorOf(req.actor), req.params.id, req.body),
  );
  app.get(
    '/me/personal-data',
    {
      schema: { operationId: 'getMyPersonalData', tags, response: { 200: PersonalDataExport } },
      config: { access: 'signed-in' },
    },
    async (req) => personalData.myData(req.ctx, actorOf(req.actor), false),
  );
  app.get(
    '/me/personal-data/download',
    {
      schema: { operationId: 'downloadMyPersonalData', tags, response: { 200: PersonalDataExport } },
      config: { access: 'signed-in' },
    },
    async (req, reply) => {
      const data = await personalData.myData(req.ctx, actorOf(req.actor), true);
      const name = `personal-data-${taipeiDate(new Date(data.generatedAt))}.json`;
      return reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  app.get(
    '/me/personal-data-requests',
    {
      schema: {
        operationId: 'listMyPersonalDataRequests',
        tags,
        response: { 200: z.array(PersonalDataRequest) },
      },
      config: { access: 'signed-in' },
    },
    async (req) => personalData.listMyRequests(req.ctx, actorOf(req.actor)),
  );
  app.post(
    '/me/personal-data-requests',
    {
      schema: {
        operationId: 'createPersonalDataRequest',
        tags,
        body: CreatePersonalDataRequestInput,
        response: { 201: PersonalDataRequest },
      },
      config: { access: 'signed-in' },
    },
    async (req, reply) =>
      reply.status(201).send(await personalData.createRequest(req.ctx, actorOf(req.actor), req.body)),
  );
  app.get(
    '/personal-data-requests',
    {
      schema: {
        operationId: 'listPersonalDataRequests',
        tags,
        querystring: PersonalDataRequestQuery,
        response: { 200: PersonalDataRequestPage },
      },
      config: { access: ['pmo'] },
    },
    async (req) => personalData.listRequests(req.query),
  );
  app.get(
    '/personal-data-requests/:id',
    {
      schema: {
        operationId: 'getPersonalDataRequest',
        tags,
        params: IdParams,
        response: { 200: PersonalDataRequest },
      },
      config: { access: ['pmo'] },
    },
    async (req) => personalData.getRequest(req.params.id),
  );
  app.post(
    '/personal-data-requests/:id/extension',
    {
      schema: {
        operationId: 'extendPersonalDataRequest',
        tags,
        params: IdParams,
        body: ExtendRequestInput,
        response: { 200: PersonalDataRequest },
      },
      config: { access: ['pmo'] },
    },
    async (req) => personalData.extendRequest(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/personal-data-requests/:id/decision',
    {
      schema: {
        operationId: 'decidePersonalDataRequest',
        tags,
        params: IdParams,
        body: DecideRequestInput,
        response: { 200: PersonalDataRequest },
      },
      config: { access: ['pmo'] },
    },
    async (req) => personalData.decideRequest(req.ctx, actorOf(req.actor), req.params.id, req.body),
  );
};
