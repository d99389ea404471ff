import { useState, type FormEvent } from 'react';
import { Anchor, Button, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { rolesOf, useDates, useMe } from '../../../lib/session';
import {
  countiesQueryOptions,
  exportUrl,
  peopleListQueryOptions,
  searchEnterprises,
  type PersonFilters,
} from '../api/registry-api';
import { ExportButtons } from './export-buttons';
import { countyName, countyOptions, GENDERS, optionsOf } from './options';
import { RecordPicker } from './record-picker';

const EMPTY: PersonFilters = {
  q: '',
  countyCode: '',
  gender: '',
  employerEnterpriseId: '',
  sort: 'createdAt',
};

export function PeopleListPage() {
  const { t, i18n } = useTranslation('registry');
  const { date } = useDates();
  const roles = rolesOf(useMe());
  const [draft, setDraft] = useState<PersonFilters>(EMPTY);
  const [filters, setFilters] = useState<PersonFilters>(EMPTY);
  const query = useInfiniteQuery(peopleListQueryOptions(filters));
  const counties = useQuery(countiesQueryOptions).data;
  const byCode = new Map((counties ?? []).map((c) => [c.code, c]));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const first = query.data?.pages[0];
  const canCreate = roles.includes('pmo') || roles.includes('agency');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };

  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <PageTitle>{t('people.title')}</PageTitle>
        {canCreate && (
          <Button component={Link} to="/people/new" leftSection={<IconUserPlus size={18} aria-hidden />}>
            {t('people.create')}
          </Button>
        )}
      </Group>
      <form onSubmit={onSubmit} role="search" aria-label={t('people.searchLabel')}>
        <Group align="flex-end" wrap="wrap" mb="md">
          <TextInput
            label={t('people.q')}
            description={t('people.qHelp')}
            value={draft.q}
            onChange={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
            type="search"
            w={{ base: '100%', sm: 280 }}
          />
          <NativeSelect
            label={t('fields.countyCode')}
            value={draft.countyCode}
            onChange={(e) => setDraft({ ...draft, countyCode: e.currentTarget.value })}
            data={countyOptions(counties, i18n.language, t('common:list.all'))}
            w={{ base: '100%', sm: 160 }}
          />
          <NativeSelect
            label={t('fields.gender')}
            value={draft.gender}
            onChange={(e) => setDraft({ ...draft, gender: e.currentTarget.value as PersonFilters['gender'] })}
            data={optionsOf(t, 'gender', GENDERS, t('common:list.all'))}
            w={{ base: '100%', sm: 140 }}
          />
          <NativeSelect
            label={t('list.sort')}
            value={draft.sort}
            onChange={(e) => setDraft({ ...draft, sort: e.currentTarget.value as PersonFilters['sort'] })}
            data={[
              { value: 'createdAt', label: t('list.sortCreated') },
              { value: 'name', label: t('list.sortName') },
            ]}
            w={{ base: '100%', sm: 200 }}
          />
        </Group>
        <Group align="flex-end" wrap="wrap" mb="md">
          <RecordPicker
            label={t('fields.employer')}
            searchLabel={t('people.employerSearch')}
            value={draft.employerEnterpriseId}
            onChange={(v) => setDraft({ ...draft, employerEnterpriseId: v })}
            search={async (q) =>
              (await searchEnterprises(q)).items.map((e) => ({ value: e.id, label: `${e.name}（${e.ubn}）` }))
            }
          />
        </Group>
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
      <Group justify="flex-end" mb="sm">
        <ExportButtons
          href={(format, unmasked) => exportUrl('people', filters, format, i18n.language, unmasked)}
          canUnmask={roles.includes('pmo')}
        />
      </Group>
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('common:list.empty')}</Text>
      ) : (
        <TableScroll label={t('people.caption')} minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Caption>{t('people.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('fields.name')}</Table.Th>
                <Table.Th scope="col">{t('fields.nationalId')}</Table.Th>
                <Table.Th scope="col">{t('fields.gender')}</Table.Th>
                <Table.Th scope="col">{t('fields.birthYear')}</Table.Th>
                <Table.Th scope="col">{t('fields.countyCode')}</Table.Th>
                <Table.Th scope="col">{t('fields.employer')}</Table.Th>
                <Table.Th scope="col">{t('fields.createdAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => {
                const county = p.countyCode ? byCode.get(p.countyCode) : undefined;
                return (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor
                        renderRoot={(props) => (
                          <Link {...props} to="/people/$personId" params={{ personId: p.id }} />
                        )}
                      >
                        {p.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td className="mono">{p.nationalIdMasked ?? t('common:none')}</Table.Td>
                    <Table.Td>{p.gender ? t(`gender.${p.gender}`) : t('common:none')}</Table.Td>
                    <Table.Td>{p.birthYear ?? t('common:none')}</Table.Td>
                    <Table.Td>{county ? countyName(county, i18n.language) : t('common:none')}</Table.Td>
                    <Table.Td>{p.employerName ?? t('common:none')}</Table.Td>
                    <Table.Td>{date(p.createdAt)}</Table.Td>
                  </Table.Tr>
                );
              })}
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
