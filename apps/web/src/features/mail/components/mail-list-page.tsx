import { useState, type FormEvent } from 'react';
import { Anchor, Badge, Button, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { OutboxStatus } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { TableScroll } from '../../../components/table-scroll';
import { LoadMore } from '../../../components/load-more';
import { PageTitle } from '../../../components/page-title';
import { useDates } from '../../../lib/session';
import { mailListQueryOptions, type MailFilters } from '../api/mail-api';

const EMPTY: MailFilters = { to: '', status: '' };

export function MailListPage() {
  const { t } = useTranslation('admin');
  const { dateTime } = useDates();
  const [draft, setDraft] = useState<MailFilters>(EMPTY);
  const [filters, setFilters] = useState<MailFilters>(EMPTY);
  const query = useInfiniteQuery(mailListQueryOptions(filters));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const first = query.data?.pages[0];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };
  return (
    <>
      <PageTitle>{t('mail.title')}</PageTitle>
      <Text mb="md">{t('mail.intro')}</Text>
      <form onSubmit={onSubmit} role="search" aria-label={t('mail.searchLabel')}>
        <Group align="flex-end" wrap="wrap" mb="md">
          <TextInput
            label={t('mail.to')}
            type="search"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            w={{ base: '100%', sm: 300 }}
          />
          <NativeSelect
            label={t('mail.status')}
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value })}
            data={[
              { value: '', label: t('common:list.all') },
              ...OutboxStatus.options.map((s) => ({ value: s, label: t(`mail.statuses.${s}`) })),
            ]}
            w={{ base: '100%', sm: 180 }}
          />
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
          <Button variant="outline" onClick={() => void query.refetch()} loading={query.isRefetching}>
            {t('mail.refresh')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('common:list.empty')}</Text>
      ) : (
        <TableScroll label={t('mail.caption')} minWidth={720}>
          <Table striped highlightOnHover>
            <Table.Caption>{t('mail.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('mail.to')}</Table.Th>
                <Table.Th scope="col">{t('mail.subject')}</Table.Th>
                <Table.Th scope="col">{t('mail.status')}</Table.Th>
                <Table.Th scope="col">{t('mail.createdAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td className="break-all">{m.toAddress}</Table.Td>
                  <Table.Td>
                    <Anchor
                      renderRoot={(props) => (
                        <Link {...props} to="/admin/mail/$mailId" params={{ mailId: m.id }} />
                      )}
                    >
                      {m.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="outline"
                      color={m.status === 'failed' || m.status === 'dead' ? 'red.9' : 'gray.8'}
                    >
                      {t(`mail.statuses.${m.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(m.createdAt)}</Table.Td>
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
    </>
  );
}
