export { createKpiService, figureOf, type KpiService } from './kpi.service.ts';
export { kpiRoutes } from './kpi.routes.ts';
export {
  createMetricRegistry,
  factSql,
  type FactInput,
  type MetricRegistration,
  type MetricRegistry,
  type RecordLabel,
} from './kpi.metrics.ts';
