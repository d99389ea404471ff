import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import {
  Accordion,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Progress,
  Radio,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { IMPORT_MAX_BYTES, type ImportKindName } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { useDates } from '../../../lib/session';
import { importKeys, importKindQueryOptions, importListQueryOptions, uploadImport } from '../api/imports-api';
import { formatSize, StatusBadge } from './import-parts';

import './imports.css';

const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Upload (choose or drop a file), the columns a kind accepts, and the recent imports. */
export function ImportsPage() {
  const { t } = useTranslation('imports');
  const qc = useQueryClient();
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [kind, setKind] = useState<ImportKindName>('people');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  const choose = (f: File | undefined | null) => {
    setError(null);
    if (!f) return;
    if (!/\.(csv|xlsx|txt|tsv)$/i.test(f.name)) {
      setFile(null);
      setFileError(t('upload.wrongType'));
      return;
    }
    if (f.size > IMPORT_MAX_BYTES) {
      setFile(null);
      setFileError(t('upload.tooLarge'));
      return;
    }
    setFileError(null);
    setFile(f);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files[0]);
  };
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setFileError(t('upload.none'));
      inputRef.current?.focus();
      return;
    }
    setProgress(0);
    try {
      const job = await uploadImport(qc, kind, file, setProgress);
      void qc.invalidateQueries({ queryKey: importKeys.list() });
      void navigate({ to: '/imports/$jobId', params: { jobId: job.id } });
    } catch (err) {
      setError(err);
      setProgress(null);
    }
  };

  return (
    <>
      <PageTitle>{t('title')}</PageTitle>
      <Text mb="md">{t('intro')}</Text>
      <Card withBorder padding="md" mb="lg" component="section" aria-labelledby={`${inputId}-title`}>
        <Title order={2} size="h3" mb="sm" id={`${inputId}-title`}>
          {t('upload.title')}
        </Title>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <ErrorAlert error={error} />
            <Radio.Group
              label={t('kind.label')}
              value={kind}
              onChange={(v) => setKind(v as ImportKindName)}
              required
            >
              <Group mt="xs">
                <Radio value="people" label={t('kind.people')} />
                <Radio value="enterprises" label={t('kind.enterprises')} />
              </Group>
            </Radio.Group>
            <div
              className="import-dropzone"
              data-dragging={dragging || undefined}
              data-testid="import-dropzone"
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
            >
              <IconUpload aria-hidden size={32} />
              <Text>
                {t('upload.drop')}{' '}
                <label htmlFor={inputId} className="import-choose">
                  {t('upload.choose')}
                </label>
              </Text>
              <input
                ref={inputRef}
                id={inputId}
                type="file"
                accept={ACCEPT}
                className="visually-hidden-input"
                aria-describedby={`${inputId}-hint ${inputId}-status`}
                aria-invalid={!!fileError || undefined}
                onChange={(e) => choose(e.currentTarget.files?.[0])}
              />
              <Text size="sm" id={`${inputId}-hint`}>
                {t('upload.hint')}
              </Text>
              <Text
                size="sm"
                fw={600}
                id={`${inputId}-status`}
                aria-live="polite"
                c={fileError ? 'red.9' : undefined}
              >
                {fileError ??
                  (file
                    ? t('upload.selected', { name: file.name, size: formatSize(file.size) })
                    : t('upload.none'))}
              </Text>
            </div>
            {progress !== null && (
              <Progress
                value={Math.round(progress * 100)}
                aria-label={t('upload.progress', { percent: Math.round(progress * 100) })}
                size="lg"
              />
            )}
            <Group>
              <Button
                type="submit"
                loading={progress !== null}
                leftSection={<IconUpload aria-hidden size={18} />}
              >
                {t('upload.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      <ColumnHelp kind={kind} />
      <RecentImports />
    </>
  );
}

function ColumnHelp({ kind }: { kind: ImportKindName }) {
  const { t, i18n } = useTranslation('imports');
  const { data } = useQuery(importKindQueryOptions(kind));
  const lang = i18n.language === 'en' ? 'en' : 'zh-TW';
  if (!data) return null;
  return (
    <Accordion variant="contained" mb="lg">
      <Accordion.Item value="columns">
        <Accordion.Control>{t('columns.title')}</Accordion.Control>
        <Accordion.Panel>
          <TableScroll label={t('columns.caption', { kind: t(`kind.${kind}`) })} minWidth={480}>
            <Table>
              <Table.Caption>{t('columns.caption', { kind: t(`kind.${kind}`) })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('columns.field')}</Table.Th>
                  <Table.Th scope="col">{t('columns.headers')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.columns.map((c) => (
                  <Table.Tr key={c.field}>
                    <Table.Td>
                      {t(`fields.${c.field}`)}{' '}
                      <Badge variant="outline" color={c.required ? 'red.9' : 'gray.8'} size="sm">
                        {c.required ? t('columns.required') : t('columns.optional')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {[...c.headers[lang], ...c.headers[lang === 'en' ? 'zh-TW' : 'en']].join('、')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

function RecentImports() {
  const { t } = useTranslation('imports');
  const { dateTime } = useDates();
  const query = useInfiniteQuery(importListQueryOptions());
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const first = query.data?.pages[0];
  return (
    <section aria-labelledby="recent-imports">
      <Title order={2} size="h3" mb="sm" id="recent-imports">
        {t('list.title')}
      </Title>
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('list.empty')}</Text>
      ) : (
        <TableScroll label={t('list.caption')} minWidth={640}>
          <Table striped>
            <Table.Caption>{t('list.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('list.file')}</Table.Th>
                <Table.Th scope="col">{t('list.kind')}</Table.Th>
                <Table.Th scope="col">{t('list.status')}</Table.Th>
                <Table.Th scope="col">{t('list.rows')}</Table.Th>
                <Table.Th scope="col">{t('list.at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((j) => (
                <Table.Tr key={j.id}>
                  <Table.Td className="break-all">
                    <Anchor
                      renderRoot={(props) => (
                        <Link {...props} to="/imports/$jobId" params={{ jobId: j.id }} />
                      )}
                    >
                      {j.fileName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`kind.${j.kind}`, { defaultValue: j.kind })}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={j.status} />
                  </Table.Td>
                  <Table.Td>{j.rowsTotal ?? '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(j.createdAt)}</Table.Td>
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
          hasMore={!!query.hasNextPage}
          loading={query.isFetchingNextPage}
          onMore={() => void query.fetchNextPage()}
        />
      )}
    </section>
  );
}
