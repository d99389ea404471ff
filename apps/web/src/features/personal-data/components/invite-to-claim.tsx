import { useState, type FormEvent } from 'react';
import { Button, Card, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CreateClaimInvitationInput, type PersonSummary } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { TableScroll } from '../../../components/table-scroll';
import { useFormErrors } from '../../../lib/form';
import { notify } from '../../../lib/notify';
import { personSearchQueryOptions, useInviteToClaim } from '../api/personal-data-api';

/** Staff find a record without an account and e-mail its owner a single-use link to claim it. */
export function InviteToClaim() {
  const { t } = useTranslation('personalData');
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<PersonSummary | null>(null);
  const [email, setEmail] = useState('');
  const found = useQuery(personSearchQueryOptions(q));
  const invite = useInviteToClaim();
  const form = useFormErrors();

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setQ(draft.trim());
    setChosen(null);
  };
  const onInvite = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    const input = email.trim() ? { email: email.trim() } : {};
    if (!form.check(CreateClaimInvitationInput, input)) return;
    invite.mutate(
      { personId: chosen.id, ...input },
      {
        onSuccess: (r) => {
          notify(t('invite.sent', { email: r.email }));
          setChosen(null);
          setEmail('');
          form.clear();
        },
        onError: form.fromApi,
      },
    );
  };

  return (
    <Card withBorder component="section" aria-labelledby="invite-title" padding="lg" mt="xl">
      <Title order={2} size="h3" id="invite-title" mb="xs">
        {t('invite.title')}
      </Title>
      <Text mb="sm">{t('invite.intro')}</Text>
      <form onSubmit={onSearch} role="search" aria-label={t('invite.search')}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('invite.search')}
            description={t('invite.searchHelp')}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            w={{ base: '100%', sm: 320 }}
          />
          <Button type="submit" variant="outline">
            {t('common:actions.search')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={found.error} />
      {q && found.data && (
        <>
          {found.data.items.length === 0 ? (
            <Text mt="sm">{t('common:list.empty')}</Text>
          ) : (
            <TableScroll label={t('invite.results')} minWidth={560}>
              <Table mt="sm">
                <Table.Caption>{t('invite.results')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('fields.name')}</Table.Th>
                    <Table.Th scope="col">{t('fields.email')}</Table.Th>
                    <Table.Th scope="col">{t('fields.nationalId')}</Table.Th>
                    <Table.Th scope="col">{t('queue.action')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {found.data.items.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>{p.name}</Table.Td>
                      <Table.Td className="break-all">{p.email ?? t('common:none')}</Table.Td>
                      <Table.Td>{p.nationalIdMasked ?? t('common:none')}</Table.Td>
                      <Table.Td>
                        {p.hasAccount ? (
                          <Text size="sm">{t('duplicates.hasAccount')}</Text>
                        ) : (
                          <Button
                            size="compact-sm"
                            variant={chosen?.id === p.id ? 'filled' : 'outline'}
                            onClick={() => {
                              setChosen(p);
                              setEmail(p.email ?? '');
                            }}
                            aria-label={t('invite.chooseLabel', { name: p.name })}
                          >
                            {t('invite.choose')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableScroll>
          )}
        </>
      )}
      {chosen && (
        <form onSubmit={onInvite} noValidate aria-label={t('invite.formLabel', { name: chosen.name })}>
          <ErrorAlert error={invite.error} />
          <Group align="flex-end" wrap="wrap" mt="md">
            <TextInput
              label={t('invite.email', { name: chosen.name })}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={form.errors.email}
              w={{ base: '100%', sm: 320 }}
            />
            <Button type="submit" loading={invite.isPending}>
              {t('invite.send')}
            </Button>
          </Group>
        </form>
      )}
    </Card>
  );
}
