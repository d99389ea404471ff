import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssignAgencyInput,
  CreateKpiInput,
  CreateMeasureInput,
  EndAssignmentInput,
  Kpi,
  KpiCode,
  KpiTarget,
  KpiTargetQuery,
  Measure,
  MeasureCode,
  Ok,
  ProgrammeStructure,
  SetKpiTargetInput,
  UpdateKpiInput,
  UpdateMeasureInput,
  UpdateProgrammeInput,
} from '@dtp/contracts';
import type { ProgrammeService } from './programme.service.ts';

const tags = ['programme'];
const pmo = ['pmo'] as const;
const staff = ['admin', 'pmo', 'agency'] as const;
const MeasureParams = z.object({ code: MeasureCode });
const KpiParams = z.object({ code: KpiCode });

/** The structure and KPI definitions are public; targets are for staff; the programme office edits. */
export const programmeRoutes: FastifyPluginAsyncZod<{ programme: ProgrammeService }> = async (
  app,
  { programme },
) => {
  app.get(
    '/programme',
    {
      schema: { operationId: 'getProgramme', tags, response: { 200: ProgrammeStructure } },
      config: { access: 'public' },
    },
    async () => programme.getStructure(),
  );
  app.patch(
    '/programme',
    {
      schema: {
        operationId: 'updateProgramme',
        tags,
        body: UpdateProgrammeInput,
        response: { 200: ProgrammeStructure },
      },
      config: { access: pmo },
    },
    async (req) => programme.updateProgramme(req.ctx, req.body),
  );
  app.post(
    '/programme/measures',
    {
      schema: { operationId: 'createMeasure', tags, body: CreateMeasureInput, response: { 201: Measure } },
      config: { access: pmo },
    },
    async (req, reply) => reply.status(201).send(await programme.createMeasure(req.ctx, req.body)),
  );
  app.patch(
    '/programme/measures/:code',
    {
      schema: {
        operationId: 'updateMeasure',
        tags,
        params: MeasureParams,
        body: UpdateMeasureInput,
        response: { 200: Measure },
      },
      config: { access: pmo },
    },
    async (req) => programme.updateMeasure(req.ctx, req.params.code, req.body),
  );
  app.post(
    '/programme/measures/:code/agencies',
    {
      schema: {
        operationId: 'assignAgency',
        tags,
        params: MeasureParams,
        body: AssignAgencyInput,
        response: { 201: Measure },
      },
      config: { access: pmo },
    },
    async (req, reply) =>
      reply.status(201).send(await programme.assignAgency(req.ctx, req.params.code, req.body)),
  );
  app.patch(
    '/programme/assignments/:id',
    {
      schema: {
        operationId: 'endAssignment',
        tags,
        params: z.object({ id: z.uuid() }),
        body: EndAssignmentInput,
        response: { 200: Ok },
      },
      config: { access: pmo },
    },
    async (req) => {
      await programme.endAssignment(req.ctx, req.params.id, req.body.validTo);
      return { ok: true as const };
    },
  );
  app.get(
    '/kpis',
    {
      schema: { operationId: 'listKpis', tags: ['kpis'], response: { 200: z.array(Kpi) } },
      config: { access: 'public' },
    },
    async () => programme.listKpis(),
  );
  app.post(
    '/kpis',
    {
      schema: { operationId: 'createKpi', tags: ['kpis'], body: CreateKpiInput, response: { 201: Kpi } },
      config: { access: pmo },
    },
    async (req, reply) => reply.status(201).send(await programme.createKpi(req.ctx, req.body)),
  );
  app.patch(
    '/kpis/:code',
    {
      schema: {
        operationId: 'updateKpi',
        tags: ['kpis'],
        params: KpiParams,
        body: UpdateKpiInput,
        response: { 200: Kpi },
      },
      config: { access: pmo },
    },
    async (req) => programme.updateKpi(req.ctx, req.params.code, req.body),
  );
  app.get(
    '/kpi-targets',
    {
      schema: {
        operationId: 'listKpiTargets',
        tags: ['kpis'],
        querystring: KpiTargetQuery,
        response: { 200: z.array(KpiTarget) },
      },
      config: { access: staff },
    },
    async (req) => programme.listTargets(req.query),
  );
  app.put(
    '/kpis/:code/targets',
    {
      schema: {
        operationId: 'setKpiTarget',
        tags: ['kpis'],
        params: KpiParams,
        body: SetKpiTargetInput,
        response: { 200: KpiTarget },
      },
      config: { access: pmo },
    },
    async (req) => programme.setTarget(req.ctx, req.params.code, req.body),
  );
};
