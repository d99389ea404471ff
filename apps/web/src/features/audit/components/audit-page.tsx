import { Fragment, useState, type FormEvent } from 'react';
import { Button, Code, Group, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { TableScroll } from '../../../components/table-scroll';
import { LoadMore } from '../../../components/load-more';
import { PageTitle } from '../../../components/page-title';
import { useDates } from '../../../lib/session';
import { auditListQueryOptions, type AuditFilters } from '../api/audit-api';

const EMPTY: AuditFilters = { action: '', targetType: '', targetId: '', from: '', to: '' };

const json = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 2));

export function AuditPage() {
  const { t } = useTranslation('admin');
  const { dateTime } = useDates();
  const [draft, setDraft] = useState<AuditFilters>(EMPTY);
  const [filters, setFilters] = useState<AuditFilters>(EMPTY);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const query = useInfiniteQuery(auditListQueryOptions(filters));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const first = query.data?.pages[0];
  const field = (k: keyof AuditFilters) => ({
    value: draft[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [k]: e.currentTarget.value }),
  });
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };

  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Text mb="md">{t('audit.intro')}</Text>
      <form onSubmit={onSubmit} role="search" aria-label={t('audit.searchLabel')}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }} mb="sm">
          <TextInput label={t('audit.action')} description={t('audit.actionHelp')} {...field('action')} />
          <TextInput
            label={t('audit.targetType')}
            description={t('audit.targetTypeHelp')}
            {...field('targetType')}
          />
          <TextInput label={t('audit.targetId')} {...field('targetId')} />
          <TextInput label={t('audit.from')} type="date" {...field('from')} />
          <TextInput label={t('audit.to')} type="date" {...field('to')} />
        </SimpleGrid>
        <Group mb="md">
          <Button type="submit">{t('common:actions.search')}</Button>
          <Button
            variant="subtle"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
          >
            {t('common:actions.clear')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('common:list.empty')}</Text>
      ) : (
        <TableScroll label={t('audit.caption')} minWidth={760}>
          <Table striped>
            <Table.Caption>{t('audit.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('audit.at')}</Table.Th>
                <Table.Th scope="col">{t('audit.actor')}</Table.Th>
                <Table.Th scope="col">{t('audit.action')}</Table.Th>
                <Table.Th scope="col">{t('audit.target')}</Table.Th>
                <Table.Th scope="col">{t('audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Fragment key={a.id}>
                  <Table.Tr>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(a.at)}</Table.Td>
                    <Table.Td className="break-all">{a.actorEmail ?? t('audit.system')}</Table.Td>
                    <Table.Td>
                      <Code>{a.action}</Code>
                    </Table.Td>
                    <Table.Td className="break-all">
                      {a.targetType}
                      {a.targetId ? ` / ${a.targetId}` : ''}
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="outline"
                        onClick={() => toggle(a.id)}
                        aria-expanded={open.has(a.id)}
                        aria-controls={`audit-detail-${a.id}`}
                      >
                        {open.has(a.id) ? t('audit.hideChanges') : t('audit.showChanges')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                  {open.has(a.id) && (
                    <Table.Tr id={`audit-detail-${a.id}`}>
                      <Table.Td colSpan={5}>
                        <AuditDetail entry={a} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
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
    </>
  );
}

function AuditDetail({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation('admin');
  return (
    <>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <div>
          <Text fw={600} size="sm">
            {t('audit.before')}
          </Text>
          <Code block className="json-view">
            {json(entry.before)}
          </Code>
        </div>
        <div>
          <Text fw={600} size="sm">
            {t('audit.after')}
          </Text>
          <Code block className="json-view">
            {json(entry.after)}
          </Code>
        </div>
      </SimpleGrid>
      <Text size="xs" mt="xs" className="break-all">
        {t('audit.meta', { ip: entry.ip ?? '—', requestId: entry.requestId ?? '—' })}
      </Text>
    </>
  );
}
