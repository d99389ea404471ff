import { Alert, Anchor, Badge, Button, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { KpiOverviewItem } from '@dtp/contracts';
import { EChart } from '../../../components/echart';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { localized } from '../../../lib/localized';
import { useDates } from '../../../lib/session';
import { dashboardExportUrl, overviewQueryOptions, type KpiSearch } from '../api/kpi-api';
import { formatCount, formatPercent, formatValue } from '../format';
import { KpiFilters } from './kpi-filters';

const BENEFITS = ['transformation', 'talent_gap', 'youth_employment', 'integration', 'all', 'platform'];

/** Whether the figure is at or above target; colours carry no meaning on their own (text says it). */
export function AttainmentBar({ value, label }: { value: number | null; label: string }) {
  if (value === null) return <Text size="sm">—</Text>;
  return (
    <Stack gap={2} miw={110}>
      <Text size="sm">{label}</Text>
      <Progress
        value={Math.min(100, value)}
        color={value >= 100 ? 'green.8' : 'blue.8'}
        aria-hidden
        size="sm"
      />
    </Stack>
  );
}

export function ExportButtons({ search, kpiCode }: { search: KpiSearch; kpiCode?: string }) {
  const { t } = useTranslation('kpi');
  return (
    <Group gap="xs">
      <Button
        component="a"
        href={dashboardExportUrl(search, 'xlsx', kpiCode)}
        variant="outline"
        size="sm"
        download
      >
        {t('export.xlsx')}
      </Button>
      <Button
        component="a"
        href={dashboardExportUrl(search, 'pdf', kpiCode)}
        variant="outline"
        size="sm"
        download
      >
        {t('export.pdf')}
      </Button>
    </Group>
  );
}

function KpiTable({ items, search }: { items: KpiOverviewItem[]; search: KpiSearch }) {
  const { t, i18n } = useTranslation('kpi');
  const lang = i18n.language;
  return (
    <TableScroll label={t('dashboard.tableLabel')} minWidth={720}>
      <Table striped verticalSpacing="xs" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={64}>
              {t('col.code')}
            </Table.Th>
            <Table.Th scope="col">{t('col.name')}</Table.Th>
            <Table.Th scope="col" ta="right" w={150}>
              {t('col.target')}
            </Table.Th>
            <Table.Th scope="col" ta="right" w={130}>
              {t('col.actual')}
            </Table.Th>
            <Table.Th scope="col" w={170}>
              {t('col.attainment')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((k) => {
            const pct = k.attainment;
            return (
              <Table.Tr key={k.code}>
                <Table.Td>{k.code}</Table.Td>
                <Table.Td>
                  <Anchor
                    renderRoot={(props) => (
                      <Link {...props} to="/kpi/$code" params={{ code: k.code }} search={search} />
                    )}
                  >
                    {localized(k.name, lang)}
                  </Anchor>
                  <Text size="xs" c="gray.7">
                    {t(`unit.${k.unit}`)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {formatCount(k.target, lang)}
                  {k.targetIllustrative && (
                    <Badge ml={4} size="xs" variant="outline" color="gray.8">
                      {t('illustrative')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  {k.measured ? (
                    formatValue(k.actual?.value, k.kind, lang)
                  ) : (
                    <Badge variant="outline" color="gray.7" c="gray.9">
                      {t('notMeasured')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <AttainmentBar value={k.measured ? pct : null} label={formatPercent(pct, lang)} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </TableScroll>
  );
}

/** Target against actual for every KPI of a year; each row opens the KPI with its breakdowns. */
export function KpiDashboardPage({
  search,
  onSearch,
}: {
  search: KpiSearch;
  onSearch: (s: KpiSearch) => void;
}) {
  const { t, i18n } = useTranslation('kpi');
  const { calendar, dateTime } = useDates();
  const q = useQuery(overviewQueryOptions(search));
  const items = q.data?.items ?? [];
  const measured = items.filter((k) => k.measured && k.target);
  const chartItems = measured
    .filter((k) => k.attainment !== null)
    .map((k) => ({ code: k.code, pct: k.attainment ?? 0 }));

  return (
    <>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <Text mb="md">{t('dashboard.intro')}</Text>
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
        <KpiFilters search={search} onSearch={onSearch} calendar={calendar} />
        <ExportButtons search={search} />
      </Group>
      <ErrorAlert error={q.error} />
      {items.some((k) => k.targetIllustrative || k.measures.some((m) => m.targetIllustrative)) && (
        <Alert
          color="yellow"
          variant="light"
          mb="md"
          title={t('illustrativeTitle')}
          styles={{ title: { color: '#5c3c00' }, message: { color: '#3b2a00' } }}
        >
          {t('illustrativeNote')}
        </Alert>
      )}
      {q.data && (
        <Text size="sm" c="gray.7" mb="md">
          {t('dashboard.asOf', { at: dateTime(q.data.asOf) })}
        </Text>
      )}
      {chartItems.length > 0 && (
        <section aria-labelledby="kpi-attainment">
          <Title order={2} size="h3" id="kpi-attainment" mb="xs">
            {t('dashboard.attainmentTitle')}
          </Title>
          <EChart
            label={t('dashboard.attainmentChart')}
            height={Math.max(160, chartItems.length * 28 + 40)}
            option={{
              grid: { left: 48, right: 56, top: 8, bottom: 24 },
              tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
              xAxis: {
                type: 'value',
                max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10),
              },
              yAxis: { type: 'category', data: chartItems.map((c) => c.code), inverse: true },
              series: [
                {
                  type: 'bar',
                  data: chartItems.map((c) => Math.round(c.pct * 10) / 10),
                  itemStyle: { color: '#1c5fa8' },
                  label: {
                    show: true,
                    position: 'right',
                    formatter: (p: { value: number }) => `${p.value}%`,
                  },
                  markLine: {
                    symbol: 'none',
                    data: [{ xAxis: 100 }],
                    lineStyle: { color: '#1f6f33', type: 'dashed' },
                    label: { formatter: t('dashboard.target100') },
                  },
                },
              ],
            }}
          />
          <Text size="xs" c="gray.7" mb="lg">
            {t('dashboard.attainmentText', {
              list: chartItems.map((c) => `${c.code} ${formatPercent(c.pct, i18n.language)}`).join('、'),
            })}
          </Text>
        </section>
      )}
      {q.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : (
        BENEFITS.map((b) => {
          const group = items.filter((k) => k.benefit === b);
          if (!group.length) return null;
          return (
            <section key={b} aria-labelledby={`benefit-${b}`}>
              <Title order={2} size="h3" id={`benefit-${b}`} mt="lg" mb="xs">
                {t(`benefit.${b}`)}
              </Title>
              <KpiTable items={group} search={search} />
            </section>
          );
        })
      )}
    </>
  );
}
