import { Anchor, Badge, Card, Group, List, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { kpiFilterValue, type KpiDimension } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { localized } from '../../../lib/localized';
import { useDates } from '../../../lib/session';
import {
  kpiDefinitionsQueryOptions,
  overviewQueryOptions,
  recordsQueryOptions,
  type KpiSearch,
} from '../api/kpi-api';
import { formatCount, formatPercent, formatValue } from '../format';
import { BreakdownChart } from './breakdown-chart';
import { useDimensionLabel } from './dimension-label';
import { AttainmentBar, ExportButtons } from './kpi-dashboard-page';
import { KpiFilters } from './kpi-filters';

/** Which search key a click on each breakdown sets (the unknown bucket's key '' as `unknown`). */
const PICK: Partial<Record<KpiDimension, keyof KpiSearch>> = {
  county: 'county',
  region: 'region',
  industry: 'industry',
  sme: 'sme',
  gender: 'gender',
  age_band: 'age',
};
const ORDER: KpiDimension[] = [
  'month',
  'county',
  'region',
  'industry',
  'sme',
  'gender',
  'age_band',
  'category',
];

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="gray.7">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="gray.7">
          {hint}
        </Text>
      )}
    </Card>
  );
}

/** One KPI: target and actual, by measure, its breakdowns as charts, and the records behind it. */
export function KpiDetailPage({
  code,
  search,
  onSearch,
}: {
  code: string;
  search: KpiSearch;
  onSearch: (s: KpiSearch) => void;
}) {
  const { t, i18n } = useTranslation('kpi');
  const lang = i18n.language;
  const { calendar, date } = useDates();
  const label = useDimensionLabel();
  const overview = useQuery(overviewQueryOptions(search));
  const defs = useQuery(kpiDefinitionsQueryOptions);
  const k = overview.data?.items.find((i) => i.code === code);
  const def = defs.data?.find((d) => d.code === code);
  const records = useInfiniteQuery({ ...recordsQueryOptions(code, search), enabled: !!k?.measured });
  const items = records.data?.pages.flatMap((p) => p.items) ?? [];
  const first = records.data?.pages[0];

  if (overview.error) return <ErrorAlert error={overview.error} />;
  if (!k || !def) return <Text>{t('common:loading')}</Text>;

  const name = localized(k.name, lang);
  // Attainment is the API's (one rule with the exports): "—" where a filter narrows the figure.
  const pct = k.attainment;
  const dims = ORDER.filter((d) => k.metrics.some((m) => m.breakdowns.includes(d)));

  return (
    <>
      <Anchor renderRoot={(props) => <Link {...props} to="/kpi" search={search} />} size="sm">
        ← {t('detail.back')}
      </Anchor>
      <PageTitle mt="xs">{`${k.code} ${name}`}</PageTitle>
      <Text mb="xs">{localized(def.definition, lang)}</Text>
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
        <KpiFilters search={search} onSearch={onSearch} calendar={calendar} />
        {k.measured && <ExportButtons search={search} kpiCode={code} />}
      </Group>

      {!k.measured ? (
        <Card withBorder>
          <Badge variant="outline" color="gray.7" c="gray.9" mb="xs">
            {t('notMeasured')}
          </Badge>
          <Text>
            {t('detail.notMeasuredBody', {
              module: t(`module.${def.sourceModule}`, { defaultValue: def.sourceModule }),
            })}
          </Text>
        </Card>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, xs: 3 }} mb="md">
            <Stat
              label={t('col.target')}
              value={formatCount(k.target, lang)}
              {...(k.targetIllustrative ? { hint: t('illustrative') } : {})}
            />
            <Stat
              label={t('col.actual')}
              value={formatValue(k.actual?.value, k.kind, lang)}
              {...(k.actual?.denominator !== null && k.actual?.denominator !== undefined
                ? {
                    hint: t('detail.parts', {
                      numerator: formatCount(k.actual.numerator, lang),
                      denominator: formatCount(k.actual.denominator, lang),
                    }),
                  }
                : {})}
            />
            <Stat label={t('col.attainment')} value={formatPercent(pct, lang)} />
          </SimpleGrid>

          <section aria-labelledby="kpi-measures">
            <Title order={2} size="h3" id="kpi-measures" mb="xs">
              {t('detail.byMeasure')}
            </Title>
            <TableScroll label={t('detail.byMeasure')} minWidth={520}>
              <Table striped mb="lg">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('col.measure')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('col.target')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('col.actual')}
                    </Table.Th>
                    <Table.Th scope="col">{t('col.attainment')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {k.measures.map((m) => {
                    const p = m.attainment;
                    return (
                      <Table.Tr key={m.measureCode ?? 'none'}>
                        <Table.Td>{m.measureCode ?? t('noMeasure')}</Table.Td>
                        <Table.Td ta="right">
                          {formatCount(m.target, lang)}
                          {m.targetIllustrative && (
                            <Badge ml={4} size="xs" variant="outline" color="gray.8">
                              {t('illustrative')}
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td ta="right">{formatValue(m.actual?.value, k.kind, lang)}</Table.Td>
                        <Table.Td>
                          <AttainmentBar value={p} label={formatPercent(p, lang)} />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </TableScroll>
          </section>

          <Title order={2} size="h3" mb="xs">
            {t('detail.breakdowns')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} mb="lg">
            {dims.map((by) => (
              <BreakdownChart
                key={by}
                code={code}
                kind={k.kind}
                search={search}
                by={by}
                target={k.target}
                {...(PICK[by]
                  ? { onPick: (key: string) => onSearch({ ...search, [PICK[by]!]: kpiFilterValue(key) }) }
                  : {})}
              />
            ))}
          </SimpleGrid>

          <section aria-labelledby="kpi-records">
            <Title order={2} size="h3" id="kpi-records" mb="xs">
              {t('detail.records')}
            </Title>
            <Text size="sm" mb="xs">
              {t('detail.recordsIntro')}
            </Text>
            <List size="sm" mb="sm">
              {k.metrics.map((m) => (
                <List.Item key={m.code}>
                  {t('detail.metric', {
                    counts: localized(m.counts, lang),
                    date: localized(m.dateBasis, lang),
                    place: t(`place.${m.placeBasis}`),
                  })}
                  {m.distinct !== 'none' && ` ${t(`distinct.${m.distinct}`)}`}
                </List.Item>
              ))}
            </List>
            <ErrorAlert error={records.error} />
            {records.isPending ? (
              <Text>{t('common:loading')}</Text>
            ) : items.length === 0 ? (
              <Text>{t('common:list.empty')}</Text>
            ) : (
              <TableScroll label={t('detail.records')} minWidth={720}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('col.record')}</Table.Th>
                      <Table.Th scope="col">{t('col.date')}</Table.Th>
                      <Table.Th scope="col">{t('col.measure')}</Table.Th>
                      <Table.Th scope="col">{t('by.county')}</Table.Th>
                      <Table.Th scope="col">{t('by.industry')}</Table.Th>
                      <Table.Th scope="col">{t('by.gender')}</Table.Th>
                      <Table.Th scope="col">{t('by.age_band')}</Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('col.value')}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((r) => (
                      <Table.Tr key={r.factId}>
                        <Table.Td>
                          {r.href ? (
                            <Anchor href={r.href} size="sm">
                              {r.label}
                            </Anchor>
                          ) : (
                            r.label
                          )}
                        </Table.Td>
                        <Table.Td>{date(r.eventDate)}</Table.Td>
                        <Table.Td>{r.measureCode ?? '—'}</Table.Td>
                        <Table.Td>{label('county', r.countyCode ?? '')}</Table.Td>
                        <Table.Td>{label('industry', r.industrySection ?? '')}</Table.Td>
                        <Table.Td>{label('gender', r.gender ?? '')}</Table.Td>
                        <Table.Td>{label('age_band', r.ageBand ?? '')}</Table.Td>
                        <Table.Td ta="right">{formatCount(r.value, lang)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </TableScroll>
            )}
            {first && (
              <LoadMore
                shown={items.length}
                total={first.total}
                totalCapped={first.totalCapped}
                hasMore={!!records.hasNextPage}
                loading={records.isFetchingNextPage}
                onMore={() => void records.fetchNextPage()}
              />
            )}
          </section>
        </>
      )}
    </>
  );
}
