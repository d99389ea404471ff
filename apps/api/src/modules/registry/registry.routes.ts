import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateEnterpriseInput,
  CreatePersonInput,
  EnterpriseDetail,
  EnterpriseExportQuery,
  EnterpriseListQuery,
  EnterprisePage,
  LinkPersonInput,
  PersonDetail,
  PersonExportQuery,
  PersonListQuery,
  PersonPage,
  RevealedNationalId,
  UpdateEnterpriseInput,
  UpdateLinkInput,
  UpdatePersonInput,
} from '@dtp/contracts';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../context.ts';
import { attachment } from '../../lib/spreadsheet.ts';
import type { ExportFile, RegistryService } from './registry.service.ts';

const IdParams = z.object({ id: z.uuid() });
const readers = ['pmo', 'agency', 'enterprise'] as const;
const writers = ['pmo', 'agency'] as const;
const actorOf = (a: Actor | null): Actor => a!;
const sendFile = (reply: FastifyReply, file: ExportFile) =>
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachment(file.fileName))
    .header('cache-control', 'no-store')
    .send(file.stream);
const fileDescription = 'CSV (UTF-8 with BOM) or XLSX, streamed';

/** People and enterprises: one identity each across the platform; scope decides which ones a caller reaches. */
export const registryRoutes: FastifyPluginAsyncZod<{ registry: RegistryService }> = async (
  app,
  { registry },
) => {
  const tags = ['people'];
  app.get(
    '/people',
    {
      schema: {
        operationId: 'listPeople',
        tags,
        querystring: PersonListQuery,
        response: { 200: PersonPage },
      },
      config: { access: readers },
    },
    async (req) => registry.listPeople(actorOf(req.actor), req.query),
  );
  app.get(
    '/people/export',
    {
      schema: {
        operationId: 'exportPeople',
        tags,
        description: `The people list's query as a file: ${fileDescription}.`,
        querystring: PersonExportQuery,
      },
      config: { access: readers },
    },
    async (req, reply) =>
      sendFile(reply, await registry.exportPeople(req.ctx, actorOf(req.actor), req.query)),
  );
  app.post(
    '/people',
    {
      schema: { operationId: 'createPerson', tags, body: CreatePersonInput, response: { 201: PersonDetail } },
      config: { access: writers },
    },
    async (req, reply) =>
      reply.status(201).send(await registry.createPerson(req.ctx, actorOf(req.actor), req.body)),
  );
  app.get(
    '/people/:id',
    {
      schema: { operationId: 'getPerson', tags, params: IdParams, response: { 200: PersonDetail } },
      config: { access: readers },
    },
    async (req) => registry.getPerson(actorOf(req.actor), req.params.id),
  );
  app.patch(
    '/people/:id',
    {
      schema: {
        operationId: 'updatePerson',
        tags,
        params: IdParams,
        body: UpdatePersonInput,
        response: { 200: PersonDetail },
      },
      config: { access: writers },
    },
    async (req) => registry.updatePerson(req.ctx, actorOf(req.actor), req.params.id, req.body),
  );
  app.post(
    '/people/:id/national-id/reveal',
    {
      schema: {
        operationId: 'revealNationalId',
        tags,
        params: IdParams,
        response: { 200: RevealedNationalId },
      },
      config: { access: ['pmo'] },
    },
    async (req) => registry.revealNationalId(req.ctx, actorOf(req.actor), req.params.id),
  );

  const etags = ['enterprises'];
  app.get(
    '/enterprises',
    {
      schema: {
        operationId: 'listEnterprises',
        tags: etags,
        querystring: EnterpriseListQuery,
        response: { 200: EnterprisePage },
      },
      config: { access: readers },
    },
    async (req) => registry.listEnterprises(actorOf(req.actor), req.query),
  );
  app.get(
    '/enterprises/export',
    {
      schema: {
        operationId: 'exportEnterprises',
        tags: etags,
        description: `The enterprise list's query as a file: ${fileDescription}.`,
        querystring: EnterpriseExportQuery,
      },
      config: { access: readers },
    },
    async (req, reply) =>
      sendFile(reply, await registry.exportEnterprises(req.ctx, actorOf(req.actor), req.query)),
  );
  app.post(
    '/enterprises',
    {
      schema: {
        operationId: 'createEnterprise',
        tags: etags,
        body: CreateEnterpriseInput,
        response: { 201: EnterpriseDetail },
      },
      config: { access: writers },
    },
    async (req, reply) =>
      reply.status(201).send(await registry.createEnterprise(req.ctx, actorOf(req.actor), req.body)),
  );
  app.get(
    '/enterprises/:id',
    {
      schema: {
        operationId: 'getEnterprise',
        tags: etags,
        params: IdParams,
        response: { 200: EnterpriseDetail },
      },
      config: { access: readers },
    },
    async (req) => registry.getEnterprise(actorOf(req.actor), req.params.id),
  );
  app.patch(
    '/enterprises/:id',
    {
      schema: {
        operationId: 'updateEnterprise',
        tags: etags,
        params: IdParams,
        body: UpdateEnterpriseInput,
        response: { 200: EnterpriseDetail },
      },
      config: { access: readers },
    },
    async (req) => registry.updateEnterprise(req.ctx, actorOf(req.actor), req.params.id, req.body),
  );
  app.post(
    '/enterprises/:id/people',
    {
      schema: {
        operationId: 'linkEnterprisePerson',
        tags: etags,
        params: IdParams,
        body: LinkPersonInput,
        response: { 201: EnterpriseDetail },
      },
      config: { access: writers },
    },
    async (req, reply) =>
      reply.status(201).send(await registry.linkPerson(req.ctx, actorOf(req.actor), req.params.id, req.body)),
  );
  app.patch(
    '/enterprises/:id/people/:linkId',
    {
      schema: {
        operationId: 'updateEnterprisePerson',
        tags: etags,
        params: z.object({ id: z.uuid(), linkId: z.uuid() }),
        body: UpdateLinkInput,
        response: { 200: EnterpriseDetail },
      },
      config: { access: writers },
    },
    async (req) =>
      registry.updateLink(req.ctx, actorOf(req.actor), req.params.id, req.params.linkId, req.body),
  );
};
