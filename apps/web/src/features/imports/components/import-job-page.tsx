import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  Progress,
  Radio,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { ImportJob, ImportOnMatch, ImportRowStatus } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import {
  countiesQueryOptions,
  importJobQueryOptions,
  importProblemsQueryOptions,
  importRowsQueryOptions,
  useCommitImport,
  useDiscardImport,
  useRetryImport,
} from '../api/imports-api';
import { fieldLabel, formatSize, issueText, StatusBadge, valueText } from './import-parts';
import { COLOR_OK } from '../../../lib/colors';
import './imports.css';

/** One import: progress while it is checked, then the preview or the problems, the commit and its result. */
export function ImportJobPage({ jobId }: { jobId: string }) {
  const { t } = useTranslation('imports');
  const query = useQuery(importJobQueryOptions(jobId));
  const job = query.data;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!job) return <Text>{t('common:loading')}</Text>;
  const encoding = t(`job.encoding.${job.encoding ?? 'none'}`, { defaultValue: job.encoding ?? '' });
  return (
    <>
      <Anchor component={Link} to="/imports" size="sm">
        {t('job.back')}
      </Anchor>
      <PageTitle mt="xs" className="break-all">
        {job.fileName}
      </PageTitle>
      <Group mb="md" gap="sm">
        <StatusBadge status={job.status} />
        <Text size="sm">
          {t('job.summary', {
            kind: t(`kind.${job.kind}`, { defaultValue: job.kind }),
            format: job.format.toUpperCase(),
            encoding,
            size: formatSize(job.fileSize),
          })}
        </Text>
      </Group>
      <JobBody job={job} />
    </>
  );
}

function JobBody({ job }: { job: ImportJob }) {
  const { t } = useTranslation('imports');
  const retry = useRetryImport(job.id);
  const discard = useDiscardImport(job.id);
  const canDiscard = ['uploaded', 'validating', 'preview', 'invalid', 'failed'].includes(job.status);
  return (
    <Stack gap="lg">
      <ErrorAlert error={retry.error ?? discard.error} />
      {(job.status === 'uploaded' || job.status === 'validating') && <CheckingProgress job={job} />}
      {(job.status === 'preview' || job.status === 'invalid') && <Counts job={job} />}
      {job.status === 'invalid' && (
        <>
          <Alert color="red" variant="outline" c="red.9" role="alert" title={t('status.invalid')}>
            <Stack gap="xs">
              <Text>{t('job.invalid', { count: job.errorCount })}</Text>
              <Anchor component={Link} to="/imports">
                {t('job.uploadAnother')}
              </Anchor>
            </Stack>
          </Alert>
          <Problems job={job} />
        </>
      )}
      {job.status === 'preview' && <CommitPanel job={job} />}
      {job.status === 'committing' && <CommitProgress job={job} />}
      {job.status === 'committed' && (
        <Alert color="green" variant="outline" c={COLOR_OK} role="status" title={t('status.committed')}>
          {t('job.committed', {
            created: job.createdCount,
            updated: job.updatedCount,
            skipped: job.skippedCount,
          })}
        </Alert>
      )}
      {job.status === 'failed' && (
        <Alert color="orange" variant="outline" c="orange.9" role="alert" title={t('status.failed')}>
          <Stack gap="sm" align="flex-start">
            <Text>
              {t(`job.failed.${job.failure ?? 'internal'}`, { defaultValue: t('job.failed.internal') })}
            </Text>
            {job.retryable && (
              <Button onClick={() => retry.mutate(undefined)} loading={retry.isPending}>
                {t('job.retry')}
              </Button>
            )}
          </Stack>
        </Alert>
      )}
      {job.status === 'discarded' && <Text>{t('job.discarded')}</Text>}
      {(job.status === 'preview' || job.status === 'committed') && <Preview job={job} />}
      {canDiscard && (
        <Group>
          <Button
            variant="outline"
            color="red.9"
            onClick={() => discard.mutate(undefined)}
            loading={discard.isPending}
          >
            {t('job.discard')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function CheckingProgress({ job }: { job: ImportJob }) {
  const { t } = useTranslation('imports');
  const total = job.rowsTotal ?? 0;
  const pct = total ? Math.min(100, Math.round((job.rowsDone / total) * 100)) : 0;
  const label = total
    ? t('job.checked', { done: job.rowsDone, total })
    : job.rowsDone
      ? t('job.checkedUnknown', { done: job.rowsDone })
      : t('job.checking');
  return (
    <Card withBorder>
      <Text mb="xs" aria-live="polite" data-testid="import-progress-text">
        {label}
      </Text>
      <Progress value={pct} size="xl" animated aria-label={label} />
    </Card>
  );
}

function CommitProgress({ job }: { job: ImportJob }) {
  const { t } = useTranslation('imports');
  const total = job.newCount + job.matchCount;
  const pct = total ? Math.min(100, Math.round((job.commitDone / total) * 100)) : 0;
  const label = t('job.writing', { done: job.commitDone, total });
  return (
    <Card withBorder>
      <Text mb="xs" aria-live="polite">
        {label}
      </Text>
      <Progress value={pct} size="xl" animated aria-label={label} />
    </Card>
  );
}

function Counts({ job }: { job: ImportJob }) {
  const { t } = useTranslation('imports');
  const items = [
    ['new', job.newCount, undefined],
    ['match', job.matchCount, undefined],
    ['error', job.errorCount, job.errorCount ? 'red.9' : undefined],
  ] as const;
  return (
    <SimpleGrid cols={3} spacing="xs" data-testid="import-counts">
      {items.map(([k, n, c]) => (
        <Card withBorder key={k} padding="sm">
          <Text size="sm">{t(`job.counts.${k}`)}</Text>
          <Text size="xl" fw={700} c={c} data-testid={`import-count-${k}`}>
            {n.toLocaleString()}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function CommitPanel({ job }: { job: ImportJob }) {
  const { t } = useTranslation('imports');
  const commit = useCommitImport(job.id);
  const [onMatch, setOnMatch] = useState<ImportOnMatch>('skip');
  return (
    <Card withBorder>
      <Stack gap="sm" align="flex-start">
        <Text>{t('job.clean')}</Text>
        <ErrorAlert error={commit.error} />
        {job.matchCount > 0 && (
          <Radio.Group
            label={t('job.onMatch.label')}
            value={onMatch}
            onChange={(v) => setOnMatch(v as ImportOnMatch)}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="skip" label={t('job.onMatch.skip')} />
              <Radio value="update" label={t('job.onMatch.update')} />
            </Stack>
          </Radio.Group>
        )}
        <Button onClick={() => commit.mutate(onMatch)} loading={commit.isPending}>
          {t('job.commit', { count: job.newCount + job.matchCount })}
        </Button>
      </Stack>
    </Card>
  );
}

function Preview({ job }: { job: ImportJob }) {
  const { t, i18n } = useTranslation('imports');
  const [status, setStatus] = useState<ImportRowStatus | ''>('');
  const rows = useInfiniteQuery({
    ...importRowsQueryOptions(job.id, status),
    enabled: job.status === 'preview',
  });
  const { data: counties } = useQuery(countiesQueryOptions);
  if (job.status !== 'preview') return null;
  const items = rows.data?.pages.flatMap((p) => p.items) ?? [];
  const first = rows.data?.pages[0];
  const fields = [...new Set((job.columns ?? []).flatMap((c) => (c.field ? [c.field] : [])))];
  const county = (code: unknown) => {
    const c = counties?.find((x) => x.code === code);
    return c ? (i18n.language === 'en' ? c.nameEn : c.nameZh) : null;
  };
  return (
    <section aria-labelledby="import-preview">
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={2} size="h3" id="import-preview">
          {t('preview.title')}
        </Title>
        <NativeSelect
          label={t('preview.filter')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as ImportRowStatus | '')}
          data={[
            { value: '', label: t('preview.all') },
            { value: 'new', label: t('job.counts.new') },
            { value: 'match', label: t('job.counts.match') },
          ]}
        />
      </Group>
      <ErrorAlert error={rows.error} />
      <TableScroll label={t('preview.caption')} minWidth={200 + fields.length * 120}>
        <Table striped data-testid="import-preview">
          <Table.Caption>{t('preview.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('preview.row')}</Table.Th>
              <Table.Th scope="col">{t('preview.result')}</Table.Th>
              {fields.map((f) => (
                <Table.Th scope="col" key={f}>
                  {fieldLabel(t, f)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.rowNumber}>
                <Table.Td>{r.rowNumber}</Table.Td>
                <Table.Td>
                  {r.status === 'match'
                    ? `${t('job.counts.match')}：${r.match?.inScope ? (r.match.label ?? '') : t('preview.otherScope')}`
                    : t(`job.counts.${r.status}`)}
                </Table.Td>
                {fields.map((f) => (
                  <Table.Td key={f} className="break-all">
                    {f === 'countyCode'
                      ? (county(r.values[f]) ?? valueText(t, f, r.values[f]))
                      : valueText(t, f, r.values[f])}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {first && (
        <LoadMore
          shown={items.length}
          total={first.total}
          totalCapped={first.totalCapped}
          hasMore={!!rows.hasNextPage}
          loading={rows.isFetchingNextPage}
          onMore={() => void rows.fetchNextPage()}
        />
      )}
    </section>
  );
}

function Problems({ job }: { job: ImportJob }) {
  const { t } = useTranslation('imports');
  const query = useInfiniteQuery(importProblemsQueryOptions(job.id));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const first = query.data?.pages[0];
  return (
    <section aria-labelledby="import-problems">
      <Group justify="space-between" align="center" mb="sm" wrap="wrap">
        <Title order={2} size="h3" id="import-problems">
          {t('problems.title')}
        </Title>
        <Group gap="xs">
          <Text size="sm">{t('problems.download')}</Text>
          {(['csv', 'xlsx'] as const).map((f) => (
            <Button
              key={f}
              component="a"
              href={`/api/imports/${job.id}/problems/export?format=${f}`}
              variant="outline"
              size="compact-sm"
              leftSection={<IconDownload aria-hidden size={16} />}
              aria-label={`${t('problems.download')} (${t(`problems.${f}`)})`}
            >
              {t(`problems.${f}`)}
            </Button>
          ))}
        </Group>
      </Group>
      <ErrorAlert error={query.error} />
      <ul className="import-problem-list import-narrow" aria-label={t('problems.caption')}>
        {items.map((p, i) => (
          <li key={`${p.rowNumber}-${i}`}>
            <Text fw={700} size="sm">
              {p.rowNumber === 0 ? t('problems.file') : t('problems.rowN', { row: p.rowNumber })}
              {p.field ? `・${fieldLabel(t, p.field)}` : ''}
            </Text>
            <Text size="sm">{issueText(t, p)}</Text>
            {p.value && (
              <Text size="sm" className="break-all">
                {t('problems.value')}：{p.value}
              </Text>
            )}
          </li>
        ))}
      </ul>
      <div className="import-wide">
        <TableScroll label={t('problems.caption')} minWidth={640}>
          <Table striped data-testid="import-problems">
            <Table.Caption>{t('problems.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('problems.row')}</Table.Th>
                <Table.Th scope="col">{t('problems.field')}</Table.Th>
                <Table.Th scope="col">{t('problems.column')}</Table.Th>
                <Table.Th scope="col">{t('problems.issue')}</Table.Th>
                <Table.Th scope="col">{t('problems.value')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p, i) => (
                <Table.Tr key={`${p.rowNumber}-${i}`}>
                  <Table.Td>{p.rowNumber === 0 ? t('problems.file') : p.rowNumber}</Table.Td>
                  <Table.Td>{fieldLabel(t, p.field)}</Table.Td>
                  <Table.Td className="break-all">{p.column ?? '—'}</Table.Td>
                  <Table.Td>{issueText(t, p)}</Table.Td>
                  <Table.Td className="break-all">{p.value ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      </div>
      {first && (
        <LoadMore
          shown={items.length}
          total={first.total}
          totalCapped={first.totalCapped}
          hasMore={!!query.hasNextPage}
          loading={query.isFetchingNextPage}
          onMore={() => void query.fetchNextPage()}
        />
      )}
    </section>
  );
}
