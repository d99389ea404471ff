import { useState, type FormEvent } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  LinkPersonInput,
  UpdateLinkInput,
  type EnterpriseDetail,
  type EnterprisePersonLink,
  type UpdateEnterpriseInput,
} from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { COLOR_NEUTRAL, COLOR_OK } from '../../../lib/colors';
import { todayIso } from '@dtp/contracts';
import { useFormErrors } from '../../../lib/form';
import { notify } from '../../../lib/notify';
import { rolesOf, useDates, useMe } from '../../../lib/session';
import {
  countiesQueryOptions,
  enterpriseQueryOptions,
  searchPeople,
  useLinkPerson,
  useUpdateEnterprise,
  useUpdateLink,
} from '../api/registry-api';
import { EnterpriseForm } from './enterprise-form';
import { countyName, optionsOf, RELATIONS } from './options';
import { RecordPicker } from './record-picker';

export function EnterpriseDetailPage({ enterpriseId }: { enterpriseId: string }) {
  const { t } = useTranslation('registry');
  const { data: e, error, isPending } = useQuery(enterpriseQueryOptions(enterpriseId));
  const roles = rolesOf(useMe());
  const [editing, setEditing] = useState(false);
  const canEdit = roles.some((r) => r === 'pmo' || r === 'agency' || r === 'enterprise');
  const canLink = roles.includes('pmo') || roles.includes('agency');
  return (
    <>
      <Anchor component={Link} to="/enterprises" size="sm">
        {t('enterprises.backToList')}
      </Anchor>
      {isPending ? (
        <Text mt="md">{t('common:loading')}</Text>
      ) : !e ? (
        <>
          <PageTitle mt="xs">{t('enterprise.title')}</PageTitle>
          <ErrorAlert error={error} />
        </>
      ) : (
        <>
          <Group justify="space-between" align="flex-start" wrap="wrap" mt="xs">
            <PageTitle>{e.name}</PageTitle>
            {canEdit && !editing && (
              <Button
                variant="outline"
                leftSection={<IconPencil size={16} aria-hidden />}
                onClick={() => setEditing(true)}
              >
                {t('enterprise.edit')}
              </Button>
            )}
          </Group>
          <Stack gap="lg">
            {editing ? <EditEnterprise enterprise={e} onDone={() => setEditing(false)} /> : <Profile e={e} />}
            <Sme e={e} />
            <Representatives e={e} />
            <Links e={e} canLink={canLink} />
          </Stack>
        </>
      )}
    </>
  );
}

function EditEnterprise({ enterprise, onDone }: { enterprise: EnterpriseDetail; onDone: () => void }) {
  const { t } = useTranslation('registry');
  const update = useUpdateEnterprise(enterprise.id);
  const roles = rolesOf(useMe());
  return (
    <Card withBorder component="section" aria-labelledby="edit-enterprise-title" padding="lg">
      <Title order={2} size="h3" id="edit-enterprise-title" mb="sm">
        {t('enterprise.editTitle')}
      </Title>
      <EnterpriseForm
        enterprise={enterprise}
        ubnLocked={!roles.some((r) => r === 'pmo' || r === 'agency')}
        saving={update.isPending}
        error={update.error}
        onCancel={onDone}
        onSave={(input, form) =>
          update.mutate(input as UpdateEnterpriseInput, {
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

const twd = (n: number | null, lang: string) =>
  n == null ? null : new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-TW').format(n);

function Profile({ e }: { e: EnterpriseDetail }) {
  const { t, i18n } = useTranslation('registry');
  const counties = useQuery(countiesQueryOptions).data;
  const county = counties?.find((c) => c.code === e.countyCode);
  const none = t('common:none');
  const rows: [string, string][] = [
    [t('fields.ubn'), e.ubn],
    [t('fields.industryCode'), e.industryCode ? `${e.industrySection ?? ''} ${e.industryCode}` : none],
    [t('fields.countyCode'), county ? countyName(county, i18n.language) : none],
    [t('fields.address'), e.address ?? none],
    [t('fields.paidInCapitalTwd'), twd(e.paidInCapitalTwd, i18n.language) ?? none],
    [t('fields.regularEmployees'), e.regularEmployees == null ? none : String(e.regularEmployees)],
  ];
  return (
    <Card withBorder component="section" aria-labelledby="ent-profile-title" padding="lg">
      <Title order={2} size="h3" id="ent-profile-title" mb="sm">
        {t('enterprise.profile')}
      </Title>
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

function Sme({ e }: { e: EnterpriseDetail }) {
  const { t, i18n } = useTranslation('registry');
  const { date } = useDates();
  return (
    <Card withBorder component="section" aria-labelledby="sme-title" padding="lg">
      <Title order={2} size="h3" id="sme-title" mb="sm">
        {t('enterprise.sme')}
      </Title>
      <Group gap="xs" mb="sm">
        <Badge variant="outline" color={COLOR_NEUTRAL} size="lg" data-testid="sme-status">
          {e.smeStatus ? t(`sme.${e.smeStatus}`) : t('sme.unknown')}
        </Badge>
        {e.smeStatusAsOf && (
          <Text size="sm">{t('enterprise.smeAsOf', { date: date(e.smeStatusAsOf, 'long') })}</Text>
        )}
      </Group>
      <Text size="sm" mb="sm">
        {t('enterprise.smeRule')}
      </Text>
      {e.smeHistory.length > 0 && (
        <TableScroll label={t('enterprise.smeHistory')} minWidth={480}>
          <Table striped>
            <Table.Caption>{t('enterprise.smeHistory')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('enterprise.smeDate')}</Table.Th>
                <Table.Th scope="col">{t('fields.smeStatus')}</Table.Th>
                <Table.Th scope="col">{t('fields.paidInCapitalTwd')}</Table.Th>
                <Table.Th scope="col">{t('fields.regularEmployees')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {e.smeHistory.map((h) => (
                <Table.Tr key={h.asOf}>
                  <Table.Td>{date(h.asOf)}</Table.Td>
                  <Table.Td>{h.status ? t(`sme.${h.status}`) : t('sme.unknown')}</Table.Td>
                  <Table.Td>{twd(h.paidInCapitalTwd, i18n.language) ?? t('common:none')}</Table.Td>
                  <Table.Td>{h.regularEmployees ?? t('common:none')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Card>
  );
}

function Representatives({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation('registry');
  const { date } = useDates();
  return (
    <Card withBorder component="section" aria-labelledby="reps-title" padding="lg">
      <Title order={2} size="h3" id="reps-title" mb="sm">
        {t('enterprise.representatives')}
      </Title>
      {e.representatives.length === 0 ? (
        <Text>{t('enterprise.noRepresentatives')}</Text>
      ) : (
        <TableScroll label={t('enterprise.representatives')} minWidth={480}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('fields.name')}</Table.Th>
                <Table.Th scope="col">{t('fields.email')}</Table.Th>
                <Table.Th scope="col">{t('enterprise.since')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {e.representatives.map((r) => (
                <Table.Tr key={r.accountId}>
                  <Table.Td>{r.displayName}</Table.Td>
                  <Table.Td className="break-all">{r.email}</Table.Td>
                  <Table.Td>{date(r.since)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Card>
  );
}

function Links({ e, canLink }: { e: EnterpriseDetail; canLink: boolean }) {
  const { t } = useTranslation('registry');
  const { date } = useDates();
  const [editing, setEditing] = useState<EnterprisePersonLink | null>(null);
  const today = todayIso();
  return (
    <Card withBorder component="section" aria-labelledby="links-title" padding="lg">
      <Title order={2} size="h3" id="links-title" mb="xs">
        {t('links.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('links.help')}
      </Text>
      {e.people.length === 0 ? (
        <Text mb="md">{t('links.none')}</Text>
      ) : (
        <TableScroll label={t('links.title')} minWidth={640}>
          <Table striped mb="md" data-testid="links-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('fields.name')}</Table.Th>
                <Table.Th scope="col">{t('links.relation')}</Table.Th>
                <Table.Th scope="col">{t('links.jobTitle')}</Table.Th>
                <Table.Th scope="col">{t('links.validFrom')}</Table.Th>
                <Table.Th scope="col">{t('links.validTo')}</Table.Th>
                {canLink && <Table.Th scope="col">{t('links.action')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {e.people.map((l) => {
                const ended = !!l.validTo && l.validTo < today;
                return (
                  <Table.Tr key={l.id}>
                    <Table.Td>
                      <Anchor
                        renderRoot={(props) => (
                          <Link {...props} to="/people/$personId" params={{ personId: l.personId }} />
                        )}
                      >
                        {l.personName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color={l.relation === 'employee' ? COLOR_NEUTRAL : COLOR_OK}>
                        {t(`relation.${l.relation}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{l.title ?? t('common:none')}</Table.Td>
                    <Table.Td>{date(l.validFrom)}</Table.Td>
                    <Table.Td>
                      {l.validTo ? date(l.validTo) : t('links.current')}
                      {ended && (
                        <Text component="span" size="sm">
                          {' '}
                          （{t('links.ended')}）
                        </Text>
                      )}
                    </Table.Td>
                    {canLink && (
                      <Table.Td>
                        <Button
                          size="compact-sm"
                          variant="outline"
                          onClick={() => setEditing(l)}
                          aria-label={t('links.editLabel', { name: l.personName })}
                        >
                          {t('links.edit')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      {canLink && <AddLinkForm enterpriseId={e.id} />}
      <Modal
        opened={!!editing}
        onClose={() => setEditing(null)}
        title={t('links.editTitle')}
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        {editing && <EditLinkForm enterpriseId={e.id} link={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Card>
  );
}

function AddLinkForm({ enterpriseId }: { enterpriseId: string }) {
  const { t } = useTranslation('registry');
  const link = useLinkPerson(enterpriseId);
  const form = useFormErrors();
  const [personId, setPersonId] = useState('');
  const [relation, setRelation] = useState<string>('employee');
  const [title, setTitle] = useState('');
  const [validFrom, setValidFrom] = useState(todayIso());
  const [validTo, setValidTo] = useState('');
  const onSubmit = (ev: FormEvent) => {
    ev.preventDefault();
    const input = {
      personId,
      relation,
      title: title.trim() || null,
      validFrom,
      validTo: validTo || null,
    };
    const extra = personId ? {} : { personId: t('errors:field.required') };
    if (!form.check(LinkPersonInput, input, extra)) return;
    link.mutate(input as LinkPersonInput, {
      onSuccess: () => {
        notify(t('links.added'));
        setPersonId('');
        setTitle('');
        setValidTo('');
        form.clear();
      },
      onError: form.fromApi,
    });
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="add-link-title">
      <Title order={3} size="h4" id="add-link-title" mb="xs">
        {t('links.addTitle')}
      </Title>
      <ErrorAlert error={link.error} />
      <RecordPicker
        label={t('links.person')}
        searchLabel={t('links.personSearch')}
        value={personId}
        onChange={setPersonId}
        error={form.errors.personId}
        search={async (q) =>
          (await searchPeople(q)).items.map((p) => ({
            value: p.id,
            label: p.nationalIdMasked ? `${p.name}（${p.nationalIdMasked}）` : p.name,
          }))
        }
      />
      <Group align="flex-start" wrap="wrap" mt="xs">
        <NativeSelect
          label={t('links.relation')}
          value={relation}
          onChange={(ev) => setRelation(ev.currentTarget.value)}
          data={optionsOf(t, 'relation', RELATIONS, t('links.chooseRelation')).slice(1)}
          error={form.errors.relation}
          w={{ base: '100%', sm: 180 }}
        />
        <TextInput
          label={`${t('links.jobTitle')}${t('optional')}`}
          value={title}
          onChange={(ev) => setTitle(ev.currentTarget.value)}
          error={form.errors.title}
          w={{ base: '100%', sm: 200 }}
        />
        <TextInput
          label={t('links.validFrom')}
          type="date"
          value={validFrom}
          onChange={(ev) => setValidFrom(ev.currentTarget.value)}
          error={form.errors.validFrom}
          w={{ base: '100%', sm: 180 }}
        />
        <TextInput
          label={`${t('links.validTo')}${t('optional')}`}
          type="date"
          value={validTo}
          onChange={(ev) => setValidTo(ev.currentTarget.value)}
          error={form.errors.validTo}
          w={{ base: '100%', sm: 180 }}
        />
      </Group>
      <Button type="submit" mt="sm" loading={link.isPending}>
        {t('links.add')}
      </Button>
    </form>
  );
}

function EditLinkForm({
  enterpriseId,
  link,
  onDone,
}: {
  enterpriseId: string;
  link: EnterprisePersonLink;
  onDone: () => void;
}) {
  const { t } = useTranslation('registry');
  const update = useUpdateLink(enterpriseId);
  const form = useFormErrors();
  const [relation, setRelation] = useState<string>(link.relation);
  const [title, setTitle] = useState(link.title ?? '');
  const [validFrom, setValidFrom] = useState(link.validFrom);
  const [validTo, setValidTo] = useState(link.validTo ?? '');
  const save = (end: boolean) => {
    const input = {
      relation,
      title: title.trim() || null,
      validFrom,
      validTo: end ? todayIso() : validTo || null,
    };
    const extra =
      input.validTo && input.validTo < validFrom
        ? { validTo: t('errors:fieldIssue.validTo.before_start') }
        : {};
    if (!form.check(UpdateLinkInput, input, extra)) return;
    update.mutate(
      { linkId: link.id, ...(input as UpdateLinkInput) },
      {
        onSuccess: () => {
          notify(end ? t('links.endedNotice') : t('common:saved'));
          onDone();
        },
        onError: form.fromApi,
      },
    );
  };
  return (
    <form
      onSubmit={(ev) => {
        ev.preventDefault();
        save(false);
      }}
      noValidate
    >
      <Text mb="sm">{link.personName}</Text>
      <ErrorAlert error={update.error} />
      <Stack gap="sm">
        <NativeSelect
          label={t('links.relation')}
          value={relation}
          onChange={(ev) => setRelation(ev.currentTarget.value)}
          data={optionsOf(t, 'relation', RELATIONS, '').slice(1)}
          error={form.errors.relation}
        />
        <TextInput
          label={`${t('links.jobTitle')}${t('optional')}`}
          value={title}
          onChange={(ev) => setTitle(ev.currentTarget.value)}
          error={form.errors.title}
        />
        <TextInput
          label={t('links.validFrom')}
          type="date"
          value={validFrom}
          onChange={(ev) => setValidFrom(ev.currentTarget.value)}
          error={form.errors.validFrom}
        />
        <TextInput
          label={`${t('links.validTo')}${t('optional')}`}
          description={t('links.validToHelp')}
          type="date"
          value={validTo}
          onChange={(ev) => setValidTo(ev.currentTarget.value)}
          error={form.errors.validTo}
        />
      </Stack>
      <Group justify="space-between" mt="md" wrap="wrap">
        {!link.validTo && (
          <Button variant="outline" color="red.9" onClick={() => save(true)} loading={update.isPending}>
            {t('links.endToday')}
          </Button>
        )}
        <Group ml="auto">
          <Button variant="subtle" onClick={onDone}>
            {t('common:actions.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Group>
    </form>
  );
}
