import { useState } from 'react';
import { Button, Group, Modal, NativeSelect, Table, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PersonClaim, PersonSummary } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { notify } from '../../../lib/notify';
import { useDates } from '../../../lib/session';
import { claimsQueryOptions, useDecideClaim } from '../api/personal-data-api';
import { InviteToClaim } from './invite-to-claim';

function PersonCell({ p }: { p: PersonSummary | null }) {
  const { t } = useTranslation('personalData');
  if (!p) return <Text size="sm">{t('claims.noMatch')}</Text>;
  return (
    <Text size="sm" className="break-all">
      {p.name}
      <br />
      {[p.email, p.nationalIdMasked, p.birthYear].filter(Boolean).join(' · ') || t('common:none')}
    </Text>
  );
}

/** 認領確認: staff confirm or reject an account's claim to an existing person record. */
export function ClaimsPage() {
  const { t } = useTranslation('personalData');
  const { date } = useDates();
  const [status, setStatus] = useState('pending');
  const query = useQuery(claimsQueryOptions(status));
  const decide = useDecideClaim();
  const [open, setOpen] = useState<{ claim: PersonClaim; decision: 'confirm' | 'reject' } | null>(null);
  const [note, setNote] = useState('');
  const items = query.data?.items ?? [];

  return (
    <>
      <PageTitle>{t('claims.title')}</PageTitle>
      <Text mb="md">{t('claims.intro')}</Text>
      <NativeSelect
        label={t('fields.status')}
        value={status}
        onChange={(e) => setStatus(e.currentTarget.value)}
        data={(['pending', 'confirmed', 'rejected'] as const).map((s) => ({
          value: s,
          label: t(`claimStatus.${s}`),
        }))}
        w={{ base: '100%', sm: 220 }}
        mb="md"
      />
      <ErrorAlert error={query.error ?? decide.error} />
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('common:list.empty')}</Text>
      ) : (
        <TableScroll label={t('claims.caption')} minWidth={860}>
          <Table striped>
            <Table.Caption>{t('claims.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('claims.account')}</Table.Th>
                <Table.Th scope="col">{t('claims.basis')}</Table.Th>
                <Table.Th scope="col">{t('claims.target')}</Table.Th>
                <Table.Th scope="col">{t('claims.claimant')}</Table.Th>
                <Table.Th scope="col">{t('claims.filed')}</Table.Th>
                <Table.Th scope="col">{t('queue.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td className="break-all">
                    {c.accountDisplayName}
                    <br />
                    {c.accountEmail}
                  </Table.Td>
                  <Table.Td>
                    {t(`claimBasis.${c.basis}`)}
                    {c.nationalIdMasked ? ` ${c.nationalIdMasked}` : ''}
                  </Table.Td>
                  <Table.Td>
                    <PersonCell p={c.target} />
                  </Table.Td>
                  <Table.Td>
                    <PersonCell p={c.claimant} />
                  </Table.Td>
                  <Table.Td>{date(c.createdAt)}</Table.Td>
                  <Table.Td>
                    {c.status === 'pending' ? (
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="compact-sm"
                          disabled={!c.target}
                          onClick={() => setOpen({ claim: c, decision: 'confirm' })}
                          aria-label={t('claims.confirmLabel', { name: c.accountDisplayName })}
                        >
                          {t('claims.confirm')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="outline"
                          color="red.9"
                          onClick={() => setOpen({ claim: c, decision: 'reject' })}
                          aria-label={t('claims.rejectLabel', { name: c.accountDisplayName })}
                        >
                          {t('claims.reject')}
                        </Button>
                      </Group>
                    ) : (
                      <Text size="sm">{c.decisionNote ?? t(`claimStatus.${c.status}`)}</Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      <InviteToClaim />
      <Modal
        opened={!!open}
        onClose={() => setOpen(null)}
        title={open ? t(open.decision === 'confirm' ? 'claims.confirmTitle' : 'claims.rejectTitle') : ''}
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        {open && (
          <>
            <Text mb="sm">
              {t(open.decision === 'confirm' ? 'claims.confirmBody' : 'claims.rejectBody', {
                name: open.claim.accountDisplayName,
              })}
            </Text>
            <Textarea
              label={t('claims.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Group justify="flex-end" mt="md">
              <Button variant="subtle" onClick={() => setOpen(null)}>
                {t('common:actions.cancel')}
              </Button>
              <Button
                color={open.decision === 'reject' ? 'red.9' : undefined}
                loading={decide.isPending}
                onClick={() =>
                  decide.mutate(
                    {
                      id: open.claim.id,
                      decision: open.decision,
                      ...(note.trim() ? { note: note.trim() } : {}),
                    },
                    {
                      onSuccess: () => {
                        notify(t(open.decision === 'confirm' ? 'claims.confirmed' : 'claims.rejected'));
                        setNote('');
                        setOpen(null);
                      },
                      onError: () => setOpen(null),
                    },
                  )
                }
              >
                {t('common:actions.confirm')}
              </Button>
            </Group>
          </>
        )}
      </Modal>
    </>
  );
}
