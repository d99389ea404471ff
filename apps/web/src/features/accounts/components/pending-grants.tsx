import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { GrantRequest } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { TableScroll } from '../../../components/table-scroll';
import { notify } from '../../../lib/notify';
import { useDates, useMe } from '../../../lib/session';
import { grantRequestsQueryOptions, useDecideGrantRequest } from '../api/accounts-api';

/**
 * Grants waiting for a second administrator (decision 020), with approve and reject. The
 * requester and the receiving account see their own requests without the approve button.
 */
export function PendingGrants() {
  const { t } = useTranslation('admin');
  const { dateTime } = useDates();
  const me = useMe();
  const query = useQuery(grantRequestsQueryOptions);
  const decide = useDecideGrantRequest();
  const items = query.data ?? [];
  if (!query.error && items.length === 0) return null;

  const scopeOf = (r: GrantRequest) =>
    r.scopeLabel ??
    (r.scopeId
      ? `${t(`common:scopeKinds.${r.scopeKind}`)} ${r.scopeId}`
      : t(`common:scopeKinds.${r.scopeKind}`));
  const onDecide = (r: GrantRequest, decision: 'approve' | 'reject') =>
    decide.mutate(
      { id: r.id, decision },
      {
        onSuccess: () =>
          notify(t(decision === 'approve' ? 'grantRequests.approved' : 'grantRequests.rejected')),
      },
    );

  return (
    <Card
      withBorder
      component="section"
      aria-labelledby="grant-requests-title"
      mb="lg"
      data-testid="grant-requests"
    >
      <Title order={2} size="h4" id="grant-requests-title">
        {t('grantRequests.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('grantRequests.intro')}
      </Text>
      <ErrorAlert error={query.error ?? decide.error} />
      {items.length > 0 && (
        <TableScroll label={t('grantRequests.caption')} minWidth={720}>
          <Table striped>
            <Table.Caption>{t('grantRequests.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('grantRequests.account')}</Table.Th>
                <Table.Th scope="col">{t('grantRequests.role')}</Table.Th>
                <Table.Th scope="col">{t('grantRequests.scope')}</Table.Th>
                <Table.Th scope="col">{t('grantRequests.requestedBy')}</Table.Th>
                <Table.Th scope="col">{t('grantRequests.requestedAt')}</Table.Th>
                <Table.Th scope="col">{t('grantRequests.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => {
                const role = t(`common:roles.${r.role}`);
                const own = me?.account.id === r.requestedBy || me?.account.id === r.accountId;
                return (
                  <Table.Tr key={r.id}>
                    <Table.Td className="break-all">
                      {r.accountName}
                      <Text size="xs">{r.accountEmail}</Text>
                    </Table.Td>
                    <Table.Td>{role}</Table.Td>
                    <Table.Td className="break-all">{scopeOf(r)}</Table.Td>
                    <Table.Td className="break-all">{r.requestedByEmail}</Table.Td>
                    <Table.Td>{dateTime(r.requestedAt)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {own ? (
                          <Text size="xs">{t('grantRequests.yours')}</Text>
                        ) : (
                          <Button
                            size="compact-sm"
                            onClick={() => onDecide(r, 'approve')}
                            loading={decide.isPending && decide.variables?.id === r.id}
                            aria-label={t('grantRequests.approveLabel', { email: r.accountEmail, role })}
                          >
                            {t('grantRequests.approve')}
                          </Button>
                        )}
                        <Button
                          size="compact-sm"
                          variant="outline"
                          color="red.9"
                          onClick={() => onDecide(r, 'reject')}
                          aria-label={t('grantRequests.rejectLabel', { email: r.accountEmail, role })}
                        >
                          {t('grantRequests.reject')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Card>
  );
}
