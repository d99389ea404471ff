import { useState, type FormEvent } from 'react';
import { Anchor, Badge, Button, Card, Group, Select, Table, Text, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { ApiError } from '../../../lib/api';
import { fieldIssueText } from '../../../lib/errors';
import { localized } from '../../../lib/localized';
import { notify } from '../../../lib/notify';
import { useDates } from '../../../lib/session';
import {
  programmeQueryOptions,
  reportExportUrl,
  reportQueryOptions,
  reportsQueryOptions,
  useSubmitReport,
} from '../api/kpi-api';
import { rocYear, todayIso } from '@dtp/contracts';
import { attainment, formatCount, formatPercent, formatValue } from '../format';

/** Closed quarters submitted to the ministry; each submission freezes figures and records. */
export function KpiReportsPage() {
  const { t } = useTranslation('kpi');
  const { calendar, dateTime, quarter: quarterText } = useDates();
  const programme = useQuery(programmeQueryOptions);
  const reports = useQuery(reportsQueryOptions);
  const submit = useSubmitReport();
  // Today in Asia/Taipei, whatever the browser's time zone.
  const today = todayIso();
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(String(thisYear));
  const [quarter, setQuarter] = useState(
    String(Math.max(1, Math.floor((Number(today.slice(5, 7)) - 1) / 3))),
  );
  const [reason, setReason] = useState('');
  const start = programme.data?.startYear ?? thisYear;
  const end = programme.data?.endYear ?? thisYear;
  const years = Array.from({ length: end - start + 1 }, (_, i) => start + i).map((y) => ({
    value: String(y),
    label: calendar === 'roc' ? t('filters.rocYear', { roc: rocYear(y), year: y }) : String(y),
  }));
  const existing = (reports.data ?? []).filter(
    (r) => r.year === Number(year) && r.quarter === Number(quarter),
  );
  const fieldError = (f: string) =>
    submit.error instanceof ApiError
      ? submit.error.fields.filter((x) => x.field === f).map((x) => fieldIssueText(t, x))[0]
      : undefined;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate(
      { year: Number(year), quarter: Number(quarter), ...(reason.trim() ? { reason: reason.trim() } : {}) },
      {
        onSuccess: (r) => {
          setReason('');
          notify(t('reports.submitted', { period: quarterText(r.year, r.quarter), version: r.version }));
        },
      },
    );
  };

  return (
    <>
      <PageTitle>{t('reports.title')}</PageTitle>
      <Text mb="md">{t('reports.intro')}</Text>
      <Card withBorder component="section" aria-labelledby="report-submit" mb="lg" maw={640}>
        <Title order={2} size="h3" id="report-submit" mb="xs">
          {t('reports.submitTitle')}
        </Title>
        <form onSubmit={onSubmit} noValidate>
          <Group align="flex-start" wrap="wrap">
            <Select
              label={t('filters.year')}
              data={years}
              value={year}
              onChange={(v) => v && setYear(v)}
              allowDeselect={false}
              w={170}
            />
            <Select
              label={t('reports.quarter')}
              data={[1, 2, 3, 4].map((q) => ({ value: String(q), label: t('reports.quarterN', { q }) }))}
              value={quarter}
              onChange={(v) => v && setQuarter(v)}
              allowDeselect={false}
              w={140}
              error={fieldError('quarter')}
            />
          </Group>
          {existing.length > 0 && (
            <Textarea
              mt="sm"
              label={t('reports.reason')}
              description={t('reports.reasonHelp', { version: existing[0]!.version })}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={fieldError('reason')}
              required
              autosize
              minRows={2}
            />
          )}
          {submit.error && !(submit.error instanceof ApiError && submit.error.fields.length) && (
            <ErrorAlert error={submit.error} />
          )}
          <Button type="submit" mt="md" loading={submit.isPending}>
            {existing.length ? t('reports.submitCorrection') : t('reports.submit')}
          </Button>
        </form>
      </Card>

      <Title order={2} size="h3" mb="xs">
        {t('reports.listTitle')}
      </Title>
      <ErrorAlert error={reports.error} />
      {!reports.data ? (
        <Text>{t('common:loading')}</Text>
      ) : reports.data.length === 0 ? (
        <Text>{t('reports.none')}</Text>
      ) : (
        <TableScroll label={t('reports.listTitle')} minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('reports.period')}</Table.Th>
                <Table.Th scope="col">{t('reports.version')}</Table.Th>
                <Table.Th scope="col">{t('reports.submittedAt')}</Table.Th>
                <Table.Th scope="col">{t('reports.submittedBy')}</Table.Th>
                <Table.Th scope="col">{t('reports.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reports.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor
                      renderRoot={(props) => (
                        <Link {...props} to="/kpi/reports/$reportId" params={{ reportId: r.id }} />
                      )}
                    >
                      {t('reports.periodLabel', { period: quarterText(r.year, r.quarter) })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    v{r.version}{' '}
                    {r.current && (
                      <Badge size="xs" variant="light" color="green.9">
                        {t('reports.current')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{dateTime(r.submittedAt)}</Table.Td>
                  <Table.Td>{r.submittedBy ?? '—'}</Table.Td>
                  <Table.Td>{r.reason ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </>
  );
}

/** One frozen report: its figures as submitted, and its files. */
export function KpiReportPage({ reportId }: { reportId: string }) {
  const { t, i18n } = useTranslation('kpi');
  const lang = i18n.language;
  const { date, dateTime, quarter } = useDates();
  const q = useQuery(reportQueryOptions(reportId));
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text>{t('common:loading')}</Text>;
  const r = q.data;
  return (
    <>
      <Anchor component={Link} to="/kpi/reports" size="sm">
        ← {t('reports.back')}
      </Anchor>
      <PageTitle mt="xs">
        {t('reports.detailTitle', { period: quarter(r.year, r.quarter), version: r.version })}
      </PageTitle>
      <Text size="sm">{t('reports.periodEnd', { date: date(r.periodEnd) })}</Text>
      <Text size="sm">
        {t('reports.submittedLine', { at: dateTime(r.submittedAt), by: r.submittedBy ?? '—' })}
      </Text>
      {r.reason && <Text size="sm">{t('reports.reasonLine', { reason: r.reason })}</Text>}
      {!r.current && (
        <Badge color="gray.8" variant="light" mt="xs">
          {t('reports.superseded')}
        </Badge>
      )}
      <Group my="md" gap="xs">
        <Button component="a" href={reportExportUrl(r.id, 'xlsx')} variant="outline" size="sm" download>
          {t('export.xlsx')}
        </Button>
        <Button component="a" href={reportExportUrl(r.id, 'pdf')} variant="outline" size="sm" download>
          {t('export.pdf')}
        </Button>
      </Group>
      <TableScroll label={t('reports.figures')} minWidth={760}>
        <Table striped>
          <Table.Caption>{t('reports.figures')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('col.code')}</Table.Th>
              <Table.Th scope="col">{t('col.name')}</Table.Th>
              <Table.Th scope="col">{t('col.measure')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('col.target')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('col.actual')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('col.attainment')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('col.records')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.figures.map((f) => (
              <Table.Tr
                key={`${f.kpiCode}-${f.level}-${f.measureCode ?? ''}`}
                fw={f.level === 'kpi' ? 600 : undefined}
              >
                <Table.Td>{f.kpiCode}</Table.Td>
                <Table.Td>{f.level === 'kpi' ? localized(f.name, lang) : ''}</Table.Td>
                <Table.Td>
                  {f.level === 'kpi' ? t('allMeasures') : (f.measureCode ?? t('noMeasure'))}
                </Table.Td>
                <Table.Td ta="right">{formatCount(f.target, lang)}</Table.Td>
                <Table.Td ta="right">{formatValue(f.actual.value, f.kind, lang)}</Table.Td>
                <Table.Td ta="right">{formatPercent(attainment(f.actual, f.target), lang)}</Table.Td>
                <Table.Td ta="right">{formatCount(f.records, lang)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    </>
  );
}
