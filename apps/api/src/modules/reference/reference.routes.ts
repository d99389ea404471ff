import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  County,
  Industry,
  IndustryQuery,
  IpasItem,
  UpdateCountyInput,
  UpdateIndustryInput,
  UpdateIpasItemInput,
} from '@dtp/contracts';
import type { ReferenceService } from './reference.service.ts';

const tags = ['reference'];
const editors = ['pmo'] as const;

/** Reference data is public to read (forms and open statistics use it); the programme office edits it. */
export const referenceRoutes: FastifyPluginAsyncZod<{ reference: ReferenceService }> = async (
  app,
  { reference },
) => {
  app.get(
    '/counties',
    {
      schema: { operationId: 'listCounties', tags, response: { 200: z.array(County) } },
      config: { access: 'public' },
    },
    async () => reference.listCounties(),
  );
  app.patch(
    '/counties/:code',
    {
      schema: {
        operationId: 'updateCounty',
        tags,
        params: z.object({ code: z.string().regex(/^\d{5}$/) }),
        body: UpdateCountyInput,
        response: { 200: County },
      },
      config: { access: editors },
    },
    async (req) => reference.updateCounty(req.ctx, req.params.code, req.body),
  );
  app.get(
    '/industries',
    {
      schema: {
        operationId: 'listIndustries',
        tags,
        querystring: IndustryQuery,
        response: { 200: z.array(Industry) },
      },
      config: { access: 'public' },
    },
    async (req) => reference.listIndustries(req.query),
  );
  app.patch(
    '/industries/:code',
    {
      schema: {
        operationId: 'updateIndustry',
        tags,
        params: z.object({ code: z.string().regex(/^([A-S]|\d{2,4})$/) }),
        body: UpdateIndustryInput,
        response: { 200: Industry },
      },
      config: { access: editors },
    },
    async (req) => reference.updateIndustry(req.ctx, req.params.code, req.body),
  );
  app.get(
    '/ipas-items',
    {
      schema: { operationId: 'listIpasItems', tags, response: { 200: z.array(IpasItem) } },
      config: { access: 'public' },
    },
    async () => reference.listIpasItems(),
  );
  app.patch(
    '/ipas-items/:id',
    {
      schema: {
        operationId: 'updateIpasItem',
        tags,
        params: z.object({ id: z.uuid() }),
        body: UpdateIpasItemInput,
        response: { 200: IpasItem },
      },
      config: { access: editors },
    },
    async (req) => reference.updateIpasItem(req.ctx, req.params.id, req.body),
  );
};
