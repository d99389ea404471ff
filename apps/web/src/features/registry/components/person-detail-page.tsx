import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Modal, Table, Text, Title } from '@mantine/core';
import { IconEye, IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { PersonDetail, UpdatePersonInput } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { notify } from '../../../lib/notify';
import { rolesOf, useDates, useMe } from '../../../lib/session';
import {
  countiesQueryOptions,
  personQueryOptions,
  useRevealNationalId,
  useUpdatePerson,
} from '../api/registry-api';
import { countyName } from './options';
import { PersonForm } from './person-form';

export function PersonDetailPage({ personId }: { personId: string }) {
  const { t } = useTranslation('registry');
  const { data: person, error, isPending } = useQuery(personQueryOptions(personId));
  const roles = rolesOf(useMe());
  const [editing, setEditing] = useState(false);
  const canEdit = roles.includes('pmo') || roles.includes('agency');
  return (
    <>
      <Anchor component={Link} to="/people" size="sm">
        {t('people.backToList')}
      </Anchor>
      {isPending ? (
        <Text mt="md">{t('common:loading')}</Text>
      ) : !person ? (
        <>
          <PageTitle mt="xs">{t('person.title')}</PageTitle>
          <ErrorAlert error={error} />
        </>
      ) : (
        <>
          <Group justify="space-between" align="flex-start" wrap="wrap" mt="xs">
            <PageTitle>{person.name}</PageTitle>
            {canEdit && !editing && !person.anonymised && (
              <Button
                variant="outline"
                leftSection={<IconPencil size={16} aria-hidden />}
                onClick={() => setEditing(true)}
              >
                {t('person.edit')}
              </Button>
            )}
          </Group>
          {editing ? (
            <EditPerson person={person} onDone={() => setEditing(false)} />
          ) : (
            <Profile person={person} canReveal={roles.includes('pmo')} />
          )}
        </>
      )}
    </>
  );
}

function EditPerson({ person, onDone }: { person: PersonDetail; onDone: () => void }) {
  const { t } = useTranslation('registry');
  const update = useUpdatePerson(person.id);
  return (
    <Card withBorder component="section" aria-labelledby="edit-person-title" padding="lg">
      <Title order={2} size="h3" id="edit-person-title" mb="sm">
        {t('person.editTitle')}
      </Title>
      <PersonForm
        person={person}
        saving={update.isPending}
        error={update.error}
        onCancel={onDone}
        onSave={(input, form) =>
          update.mutate(input as UpdatePersonInput, {
            onSuccess: () => {
              notify(t('common:saved'));
              onDone();
            },
            onError: form.fromApi,
          })
        }
      />
    </Card>
  );
}

function Profile({ person, canReveal }: { person: PersonDetail; canReveal: boolean }) {
  const { t, i18n } = useTranslation('registry');
  const { date } = useDates();
  const counties = useQuery(countiesQueryOptions).data;
  const county = counties?.find((c) => c.code === person.countyCode);
  const none = t('common:none');
  const rows: [string, React.ReactNode][] = [
    [t('fields.nationalId'), <NationalId key="id" person={person} canReveal={canReveal} />],
    [t('fields.email'), person.email ?? none],
    [t('fields.phone'), person.phone ?? none],
    [t('fields.birthDate'), person.birthDate ? date(person.birthDate, 'long') : none],
    [t('fields.gender'), person.gender ? t(`gender.${person.gender}`) : none],
    [t('fields.nationality'), person.nationality],
    [t('fields.countyCode'), county ? countyName(county, i18n.language) : none],
    [t('fields.education'), person.education ? t(`education.${person.education}`) : none],
    [
      t('fields.employmentStatus'),
      person.employmentStatus ? t(`employmentStatus.${person.employmentStatus}`) : none,
    ],
    [
      t('fields.employer'),
      person.employerEnterpriseId ? (
        <Anchor
          renderRoot={(props) => (
            <Link
              {...props}
              to="/enterprises/$enterpriseId"
              params={{ enterpriseId: person.employerEnterpriseId! }}
            />
          )}
        >
          {person.employerName}
        </Anchor>
      ) : (
        none
      ),
    ],
    [t('fields.preferredLocale'), t(`common:language.${person.preferredLocale}`)],
    [t('fields.hasAccount'), person.hasAccount ? t('common:yes') : t('common:no')],
    [t('fields.createdAt'), date(person.createdAt)],
    [t('fields.updatedAt'), date(person.updatedAt)],
  ];
  return (
    <Card withBorder component="section" aria-labelledby="profile-title" padding="lg">
      <Group gap="xs" mb="sm">
        <Title order={2} size="h3" id="profile-title">
          {t('person.profile')}
        </Title>
        {person.anonymised && (
          <Badge variant="outline" color="gray.8">
            {t('person.anonymised')}
          </Badge>
        )}
      </Group>
      <Table variant="vertical" withTableBorder layout="fixed" maw={720}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={{ base: 120, sm: 180 }}>{label}</Table.Th>
              <Table.Td className="break-all">{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** The masked number; the programme office may reveal it after a confirmation (audited by the API). */
function NationalId({ person, canReveal }: { person: PersonDetail; canReveal: boolean }) {
  const { t } = useTranslation('registry');
  const reveal = useRevealNationalId(person.id);
  const [confirm, setConfirm] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  if (!person.nationalIdMasked) return <>{t('common:none')}</>;
  return (
    <Group gap="xs" wrap="wrap">
      <Text component="span" className="mono" data-testid="national-id">
        {shown ?? person.nationalIdMasked}
      </Text>
      {person.nationalIdKind && (
        <Text component="span" size="sm">
          （{t(`nationalIdKind.${person.nationalIdKind}`)}）
        </Text>
      )}
      {canReveal &&
        (shown ? (
          <Button size="compact-sm" variant="subtle" onClick={() => setShown(null)}>
            {t('common:actions.hide')}
          </Button>
        ) : (
          <Button
            size="compact-sm"
            variant="outline"
            leftSection={<IconEye size={14} aria-hidden />}
            onClick={() => setConfirm(true)}
          >
            {t('person.reveal')}
          </Button>
        ))}
      <ErrorAlert error={reveal.error} />
      <Modal
        opened={confirm}
        onClose={() => setConfirm(false)}
        title={t('person.revealTitle')}
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        <Text mb="md">{t('person.revealConfirm', { name: person.name })}</Text>
        <Group justify="flex-end">
          <Button variant="subtle" onClick={() => setConfirm(false)}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            color="red.9"
            loading={reveal.isPending}
            onClick={() =>
              reveal.mutate(undefined, {
                onSuccess: (r) => {
                  setShown(r.nationalId);
                  setConfirm(false);
                },
                onError: () => setConfirm(false),
              })
            }
          >
            {t('person.revealGo')}
          </Button>
        </Group>
      </Modal>
    </Group>
  );
}
