import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { RequireRole } from '../components/require-role';
import type { KpiSearch } from '../features/kpi/api/kpi-api';
import { KpiDashboardPage } from '../features/kpi/components/kpi-dashboard-page';
import { KpiDetailPage } from '../features/kpi/components/kpi-detail-page';
import { KpiReportPage, KpiReportsPage } from '../features/kpi/components/kpi-reports-page';
import { KpiTargetsPage } from '../features/kpi/components/kpi-targets-page';

// Loaded on first visit (the charts library is large); the router validates the search first.

export function KpiDashboardRoute() {
  const search = useSearch({ strict: false }) as KpiSearch;
  const navigate = useNavigate();
  return (
    <RequireRole roles={['pmo', 'agency']}>
      <KpiDashboardPage
        search={search}
        onSearch={(s) => void navigate({ to: '/kpi', search: s, replace: true })}
      />
    </RequireRole>
  );
}

export function KpiDetailRoute() {
  const search = useSearch({ strict: false }) as KpiSearch;
  const { code } = useParams({ strict: false }) as { code: string };
  const navigate = useNavigate();
  return (
    <RequireRole roles={['pmo', 'agency']}>
      <KpiDetailPage
        code={code}
        search={search}
        onSearch={(s) => void navigate({ to: '/kpi/$code', params: { code }, search: s, replace: true })}
      />
    </RequireRole>
  );
}

export function KpiTargetsRoute() {
  return (
    <RequireRole roles={['pmo']}>
      <KpiTargetsPage />
    </RequireRole>
  );
}

export function KpiReportsRoute() {
  return (
    <RequireRole roles={['pmo']}>
      <KpiReportsPage />
    </RequireRole>
  );
}

export function KpiReportRoute() {
  const { reportId } = useParams({ strict: false }) as { reportId: string };
  return (
    <RequireRole roles={['pmo']}>
      <KpiReportPage reportId={reportId} />
    </RequireRole>
  );
}
