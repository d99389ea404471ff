import { useState, type FormEvent } from 'react';
import { Anchor, Badge, Button, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { IconBuildingPlus } from '@tabler/icons-react';
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
  enterpriseListQueryOptions,
  exportUrl,
  sectionsQueryOptions,
  type EnterpriseFilters,
} from '../api/registry-api';
import { ExportButtons } from './export-buttons';
import { countyName, countyOptions, optionsOf, sectionOptions, SME } from './options';

const EMPTY: EnterpriseFilters = {
  q: '',
  countyCode: '',
  industrySection: '',
  smeStatus: '',
  sort: 'createdAt',
};

export function EnterpriseListPage() {
  const { t, i18n } = useTranslation('registry');
  const { date } = useDates();
  const roles = rolesOf(useMe());
  const [draft, setDraft] = useState<EnterpriseFilters>(EMPTY);
  const [filters, setFilters] = useState<EnterpriseFilters>(EMPTY);
  const query = useInfiniteQuery(enterpriseListQueryOptions(filters));
  const counties = useQuery(countiesQueryOptions).data;
  const sections = useQuery(sectionsQueryOptions).data;
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
        <PageTitle>{t('enterprises.title')}</PageTitle>
        {canCreate && (
          <Button
            component={Link}
            to="/enterprises/new"
            leftSection={<IconBuildingPlus size={18} aria-hidden />}
          >
            {t('enterprises.create')}
          </Button>
        )}
      </Group>
      <form onSubmit={onSubmit} role="search" aria-label={t('enterprises.searchLabel')}>
        <Group align="flex-end" wrap="wrap" mb="md">
          <TextInput
            label={t('enterprises.q')}
            description={t('enterprises.qHelp')}
            value={draft.q}
            onChange={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
            type="search"
            w={{ base: '100%', sm: 260 }}
          />
          <NativeSelect
            label={t('fields.countyCode')}
            value={draft.countyCode}
            onChange={(e) => setDraft({ ...draft, countyCode: e.currentTarget.value })}
            data={countyOptions(counties, i18n.language, t('common:list.all'))}
            w={{ base: '100%', sm: 160 }}
          />
          <NativeSelect
            label={t('fields.industrySection')}
            value={draft.industrySection}
            onChange={(e) => setDraft({ ...draft, industrySection: e.currentTarget.value })}
            data={sectionOptions(sections, i18n.language, t('common:list.all'))}
            w={{ base: '100%', sm: 260 }}
          />
          <NativeSelect
            label={t('fields.smeStatus')}
            value={draft.smeStatus}
            onChange={(e) =>
              setDraft({ ...draft, smeStatus: e.currentTarget.value as EnterpriseFilters['smeStatus'] })
            }
            data={optionsOf(t, 'sme', SME, t('common:list.all'))}
            w={{ base: '100%', sm: 160 }}
          />
          <NativeSelect
            label={t('list.sort')}
            value={draft.sort}
            onChange={(e) => setDraft({ ...draft, sort: e.currentTarget.value as EnterpriseFilters['sort'] })}
            data={[
              { value: 'createdAt', label: t('list.sortCreated') },
              { value: 'name', label: t('list.sortName') },
            ]}
            w={{ base: '100%', sm: 200 }}
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
      <Group justify="flex-end" mb="sm">
        <ExportButtons href={(format) => exportUrl('enterprises', filters, format, i18n.language)} />
      </Group>
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('common:list.empty')}</Text>
      ) : (
        <TableScroll label={t('enterprises.caption')} minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Caption>{t('enterprises.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('fields.enterpriseName')}</Table.Th>
                <Table.Th scope="col">{t('fields.ubn')}</Table.Th>
                <Table.Th scope="col">{t('fields.industryCode')}</Table.Th>
                <Table.Th scope="col">{t('fields.countyCode')}</Table.Th>
                <Table.Th scope="col">{t('fields.smeStatus')}</Table.Th>
                <Table.Th scope="col">{t('fields.createdAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => {
                const county = e.countyCode ? byCode.get(e.countyCode) : undefined;
                return (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <Anchor
                        renderRoot={(props) => (
                          <Link {...props} to="/enterprises/$enterpriseId" params={{ enterpriseId: e.id }} />
                        )}
                      >
                        {e.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td className="mono">{e.ubn}</Table.Td>
                    <Table.Td>
                      {e.industryCode ? `${e.industrySection ?? ''} ${e.industryCode}` : t('common:none')}
                    </Table.Td>
                    <Table.Td>{county ? countyName(county, i18n.language) : t('common:none')}</Table.Td>
                    <Table.Td>
                      {e.smeStatus ? (
                        <Badge variant="outline" color="gray.8">
                          {t(`sme.${e.smeStatus}`)}
                        </Badge>
                      ) : (
                        t('sme.unknown')
                      )}
                    </Table.Td>
                    <Table.Td>{date(e.createdAt)}</Table.Td>
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
