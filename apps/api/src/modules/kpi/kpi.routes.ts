import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ExportFormatQuery,
  KpiBreakdown,
  KpiBreakdownQuery,
  KpiCode,
  KpiDashboardExportQuery,
  KpiFilter,
  KpiOverview,
  KpiRecordPage,
  KpiRecordQuery,
  KpiReportDetail,
  KpiReportRecordPage,
  KpiReportRecordQuery,
  KpiReportSummary,
  MetricDefinition,
  SubmitKpiReportInput,
  Year,
} from '@dtp/contracts';
import type { Actor } from '../../context.ts';
import { attachment } from '../../lib/spreadsheet.ts';
import { dashboardFile, reportFile } from './kpi.export.ts';
import type { KpiService } from './kpi.service.ts';

const tags = ['kpi'];
const readers = ['pmo', 'agency'] as const;
const pmo = ['pmo'] as const;
const KpiParams = z.object({ code: KpiCode });
const IdParams = z.object({ id: z.uuid() });
const actorOf = (a: Actor | null): Actor => a!;

/** Actuals computed from the records' facts, their drill-down, exports and frozen quarterly reports. */
export const kpiRoutes: FastifyPluginAsyncZod<{ kpi: KpiService }> = async (app, { kpi }) => {
  app.get(
    '/kpi-metrics',
    {
      schema: { operationId: 'listKpiMetrics', tags, response: { 200: z.array(MetricDefinition) } },
      config: { access: 'public' },
    },
    async () => kpi.listMetrics(),
  );
  app.get(
    '/kpi-overview',
    {
      schema: { operationId: 'getKpiOverview', tags, querystring: KpiFilter, response: { 200: KpiOverview } },
      config: { access: readers },
    },
    async (req) => kpi.overview(actorOf(req.actor), req.query),
  );
  app.get(
    '/kpi-overview/export',
    {
      schema: { operationId: 'exportKpiOverview', tags, querystring: KpiDashboardExportQuery },
      config: { access: readers },
    },
    async (req, reply) => {
      const actor = actorOf(req.actor);
      const { format, kpiCode, ...filter } = req.query;
      const data = await kpi.dashboardData(actor, filter, kpiCode);
      const file = await dashboardFile(format, actor.locale, filter, data, actor.calendar);
      return reply
        .type(file.contentType)
        .header('content-disposition', attachment(file.fileName))
        .send(file.body);
    },
  );
  app.get(
    '/kpis/:code/breakdown',
    {
      schema: {
        operationId: 'getKpiBreakdown',
        tags,
        params: KpiParams,
        querystring: KpiBreakdownQuery,
        response: { 200: KpiBreakdown },
      },
      config: { access: readers },
    },
    async (req) => kpi.breakdown(actorOf(req.actor), req.params.code, req.query),
  );
  app.get(
    '/kpis/:code/records',
    {
      schema: {
        operationId: 'listKpiRecords',
        tags,
        params: KpiParams,
        querystring: KpiRecordQuery,
        response: { 200: KpiRecordPage },
      },
      config: { access: readers },
    },
    async (req) => kpi.records(actorOf(req.actor), req.params.code, req.query),
  );

  app.post(
    '/kpi-reports',
    {
      schema: {
        operationId: 'submitKpiReport',
        tags,
        body: SubmitKpiReportInput,
        response: { 201: KpiReportDetail },
      },
      config: { access: pmo },
    },
    async (req, reply) =>
      reply.status(201).send(await kpi.submitReport(req.ctx, actorOf(req.actor), req.body)),
  );
  app.get(
    '/kpi-reports',
    {
      schema: {
        operationId: 'listKpiReports',
        tags,
        querystring: z.object({ year: Year.optional() }),
        response: { 200: z.array(KpiReportSummary) },
      },
      config: { access: pmo },
    },
    async (req) => kpi.listReports(req.query.year),
  );
  app.get(
    '/kpi-reports/:id',
    {
      schema: { operationId: 'getKpiReport', tags, params: IdParams, response: { 200: KpiReportDetail } },
      config: { access: pmo },
    },
    async (req) => kpi.getReport(req.params.id),
  );
  app.get(
    '/kpi-reports/:id/records',
    {
      schema: {
        operationId: 'listKpiReportRecords',
        tags,
        params: IdParams,
        querystring: KpiReportRecordQuery,
        response: { 200: KpiReportRecordPage },
      },
      config: { access: pmo },
    },
    async (req) => kpi.reportRecords(req.params.id, req.query),
  );
  app.get(
    '/kpi-reports/:id/export',
    {
      schema: { operationId: 'exportKpiReport', tags, params: IdParams, querystring: ExportFormatQuery },
      config: { access: pmo },
    },
    async (req, reply) => {
      const report = await kpi.getReport(req.params.id);
      const actor = actorOf(req.actor);
      const file = await reportFile(req.query.format, actor.locale, report, actor.calendar);
      return reply
        .type(file.contentType)
        .header('content-disposition', attachment(file.fileName))
        .send(file.body);
    },
  );
};
