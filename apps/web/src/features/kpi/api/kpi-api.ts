import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  County,
  Industry,
  Kpi,
  KpiBreakdown,
  KpiDimension,
  KpiOverview,
  KpiRecordPage,
  KpiReportDetail,
  KpiReportSummary,
  KpiTarget,
  ProgrammeStructure,
} from '@dtp/contracts';
import { api, withQuery } from '../../../lib/api';

/** The dashboard's filters, as they stand in the page's URL. */
export type KpiSearch = {
  year: number;
  /** Year to date up to this month (a quarter's end: 3, 6, 9); absent: the whole year. */
  through?: number | undefined;
  measure?: string | undefined;
  county?: string | undefined;
  region?: string | undefined;
  industry?: string | undefined;
  sme?: string | undefined;
  gender?: string | undefined;
  age?: string | undefined;
};

/** The API's filter parameters for the page's filters. */
export const filterParams = (s: KpiSearch) => ({
  year: s.year,
  throughMonth: s.through,
  measureCode: s.measure,
  countyCode: s.county,
  region: s.region,
  industrySection: s.industry,
  smeStatus: s.sme,
  gender: s.gender,
  ageBand: s.age,
});

export const kpiKeys = {
  all: ['kpi'] as const,
  overview: (s: KpiSearch) => ['kpi', 'overview', s] as const,
  breakdown: (code: string, s: KpiSearch, by: KpiDimension) => ['kpi', 'breakdown', code, s, by] as const,
  records: (code: string, s: KpiSearch) => ['kpi', 'records', code, s] as const,
  definitions: ['kpi', 'definitions'] as const,
  targets: (year: number) => ['kpi', 'targets', year] as const,
  reports: ['kpi', 'reports'] as const,
  report: (id: string) => ['kpi', 'reports', id] as const,
  reportRecords: (id: string, code: string) => ['kpi', 'reports', id, 'records', code] as const,
};

export const overviewQueryOptions = (s: KpiSearch) =>
  queryOptions({
    queryKey: kpiKeys.overview(s),
    queryFn: () => api.get<KpiOverview>('/api/kpi-overview', filterParams(s)),
  });

export const breakdownQueryOptions = (code: string, s: KpiSearch, by: KpiDimension) =>
  queryOptions({
    queryKey: kpiKeys.breakdown(code, s, by),
    queryFn: () => api.get<KpiBreakdown>(`/api/kpis/${code}/breakdown`, { ...filterParams(s), by }),
  });

export const recordsQueryOptions = (code: string, s: KpiSearch) =>
  infiniteQueryOptions({
    queryKey: kpiKeys.records(code, s),
    queryFn: ({ pageParam }) =>
      api.get<KpiRecordPage>(`/api/kpis/${code}/records`, {
        ...filterParams(s),
        limit: 50,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const kpiDefinitionsQueryOptions = queryOptions({
  queryKey: kpiKeys.definitions,
  queryFn: () => api.get<Kpi[]>('/api/kpis'),
});

export const targetsQueryOptions = (year: number) =>
  queryOptions({
    queryKey: kpiKeys.targets(year),
    queryFn: () => api.get<KpiTarget[]>('/api/kpi-targets', { year }),
  });

export const programmeQueryOptions = queryOptions({
  queryKey: ['programme'],
  queryFn: () => api.get<ProgrammeStructure>('/api/programme'),
  staleTime: 10 * 60_000,
});

export const countiesQueryOptions = queryOptions({
  queryKey: ['reference', 'counties'],
  queryFn: () => api.get<County[]>('/api/reference/counties'),
  staleTime: 60 * 60_000,
});

export const sectionsQueryOptions = queryOptions({
  queryKey: ['reference', 'industries', 'section'],
  queryFn: () => api.get<Industry[]>('/api/reference/industries', { level: 'section' }),
  staleTime: 60 * 60_000,
});

export const reportsQueryOptions = queryOptions({
  queryKey: kpiKeys.reports,
  queryFn: () => api.get<KpiReportSummary[]>('/api/kpi-reports'),
});

export const reportQueryOptions = (id: string) =>
  queryOptions({
    queryKey: kpiKeys.report(id),
    queryFn: () => api.get<KpiReportDetail>(`/api/kpi-reports/${id}`),
  });

/** The file of what is on screen: the overview, and the open KPI's breakdowns. */
export const dashboardExportUrl = (s: KpiSearch, format: 'xlsx' | 'pdf', kpiCode?: string) =>
  withQuery('/api/kpi-overview/export', { ...filterParams(s), format, kpiCode });

export const reportExportUrl = (id: string, format: 'xlsx' | 'pdf') =>
  withQuery(`/api/kpi-reports/${id}/export`, { format });

export function useSetTarget(year: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kpiCode: string; measureCode: string | null; target: number; note?: string }) =>
      api.put<KpiTarget>(`/api/kpis/${v.kpiCode}/targets`, {
        year,
        measureCode: v.measureCode,
        target: v.target,
        note: v.note ?? '',
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: kpiKeys.all }),
  });
}

export function useSetKpiActive() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { code: string; active: boolean }) =>
      api.patch<Kpi>(`/api/kpis/${v.code}`, { active: v.active }),
    onSuccess: () => qc.invalidateQueries({ queryKey: kpiKeys.all }),
  });
}

export function useSubmitReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { year: number; quarter: number; reason?: string }) =>
      api.post<KpiReportDetail>('/api/kpi-reports', v),
    onSuccess: () => qc.invalidateQueries({ queryKey: kpiKeys.reports }),
  });
}
