import { useState, type FormEvent } from 'react';
import { Anchor, Badge, Button, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ROLES, type AccountStatus, type Role } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { TableScroll } from '../../../components/table-scroll';
import { COLOR_OK } from '../../../lib/colors';
import { LoadMore } from '../../../components/load-more';
import { PageTitle } from '../../../components/page-title';
import { useDates } from '../../../lib/session';
import { accountListQueryOptions, type AccountFilters } from '../api/accounts-api';
import { PendingGrants } from './pending-grants';

const EMPTY: AccountFilters = { q: '', role: '', status: '' };

export function AccountsListPage() {
  const { t } = useTranslation('admin');
  const { date } = useDates();
  const [draft, setDraft] = useState<AccountFilters>(EMPTY);
  const [filters, setFilters] = useState<AccountFilters>(EMPTY);
  const query = useInfiniteQuery(accountListQueryOptions(filters));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const first = query.data?.pages[0];

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };

  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <PageTitle>{t('accounts.title')}</PageTitle>
        <Button
          component={Link}
          to="/admin/accounts/new"
          leftSection={<IconUserPlus size={18} aria-hidden />}
        >
          {t('accounts.invite')}
        </Button>
      </Group>
      <PendingGrants />
      <form onSubmit={onSubmit} role="search" aria-label={t('accounts.searchLabel')}>
        <Group align="flex-end" wrap="wrap" mb="md">
          <TextInput
            label={t('accounts.q')}
            value={draft.q}
            onChange={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
            type="search"
            w={{ base: '100%', sm: 280 }}
          />
          <NativeSelect
            label={t('accounts.role')}
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value as Role | '' })}
            data={[
              { value: '', label: t('common:list.all') },
              ...ROLES.map((r) => ({ value: r, label: t(`common:roles.${r}`) })),
            ]}
            w={{ base: '100%', sm: 200 }}
          />
          <NativeSelect
            label={t('accounts.status')}
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value as AccountStatus | '' })}
            data={[
              { value: '', label: t('common:list.all') },
              { value: 'active', label: t('common:status.active') },
              { value: 'disabled', label: t('common:status.disabled') },
            ]}
            w={{ base: '100%', sm: 160 }}
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
        </Group>
      </form>
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('common:list.empty')}</Text>
      ) : (
        <TableScroll label={t('accounts.caption')} minWidth={720}>
          <Table striped highlightOnHover>
            <Table.Caption>{t('accounts.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('accounts.colName')}</Table.Th>
                <Table.Th scope="col">{t('accounts.colEmail')}</Table.Th>
                <Table.Th scope="col">{t('accounts.colRoles')}</Table.Th>
                <Table.Th scope="col">{t('accounts.colStatus')}</Table.Th>
                <Table.Th scope="col">{t('accounts.colMfa')}</Table.Th>
                <Table.Th scope="col">{t('accounts.colCreated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Anchor
                      renderRoot={(props) => (
                        <Link {...props} to="/admin/accounts/$accountId" params={{ accountId: a.id }} />
                      )}
                    >
                      {a.displayName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="break-all">{a.email}</Table.Td>
                  <Table.Td>
                    {a.roles.length
                      ? a.roles.map((r) => t(`common:roles.${r}`)).join('、')
                      : t('common:none')}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color={a.status === 'active' ? COLOR_OK : 'red.9'}>
                      {t(`common:status.${a.status}`)}
                    </Badge>
                    {!a.emailVerified && (
                      <Text size="xs" mt={2}>
                        {t('accounts.unverified')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{a.mfaEnabled ? t('common:yes') : t('common:no')}</Table.Td>
                  <Table.Td>{date(a.createdAt)}</Table.Td>
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
