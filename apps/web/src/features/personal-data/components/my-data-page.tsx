import { useEffect, useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  List,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  CreateClaimInput,
  CreatePersonalDataRequestInput,
  Education,
  EmploymentStatus,
  Gender,
  PDPA_DEADLINE_DAYS,
  PersonalDataRequestType,
  UpdateMyPersonInput,
  type MyPerson,
  type PersonalDataRequest,
  type PersonDetail,
} from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { useFormErrors } from '../../../lib/form';
import { notify } from '../../../lib/notify';
import { useDates, useMe } from '../../../lib/session';
import {
  countiesQueryOptions,
  DOWNLOAD_URL,
  myClaimsQueryOptions,
  myConsentsQueryOptions,
  myDataQueryOptions,
  myPersonQueryOptions,
  myRequestsQueryOptions,
  noticeQueryOptions,
  useCreateClaim,
  useCreateRequest,
  useUpdateMyConsents,
  useUpdateMyPerson,
} from '../api/personal-data-api';
import { RequestStatus } from './request-status';

const NS = 'personalData';
const useLang = () => (useTranslation().i18n.language === 'en' ? 'en' : 'zh-TW');

/** 我的個人資料: the person's own record, claims, consents, the JSON copy and their §3 requests. */
export function MyDataPage() {
  const { t } = useTranslation(NS);
  const person = useQuery(myPersonQueryOptions);
  return (
    <>
      <PageTitle>{t('mine.title')}</PageTitle>
      <Text mb="md">{t('mine.intro')}</Text>
      <ErrorAlert error={person.error} />
      {person.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : person.data ? (
        <Stack gap="lg">
          {person.data.person ? (
            <>
              <ProfileSection key={person.data.person.updatedAt} person={person.data.person} />
              <ClaimSection mine={person.data} />
            </>
          ) : (
            <StaffAccountSection />
          )}
          <ConsentsSection participant={!!person.data.person} />
          <DownloadSection />
          <RequestsSection />
        </Stack>
      ) : null}
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={`${id}-title`} padding="lg">
      <Title order={2} size="h3" id={`${id}-title`} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

type ProfileDraft = Record<
  | 'name'
  | 'phone'
  | 'birthDate'
  | 'gender'
  | 'countyCode'
  | 'education'
  | 'employmentStatus'
  | 'preferredLocale',
  string
>;

/**
 * A staff account is not a programme participant: no person record is made for it (decision 023).
 * Its own data is the account: shown here, in the download and through requests.
 */
function StaffAccountSection() {
  const { t } = useTranslation(NS);
  const me = useMe();
  return (
    <Section id="account" title={t('mine.staff.title')}>
      <Text mb="sm">{t('mine.staff.intro')}</Text>
      <Table variant="vertical" withTableBorder maw={640}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">{t('fields.email')}</Table.Th>
            <Table.Td className="break-all">{me?.account.email}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('mine.staff.name')}</Table.Th>
            <Table.Td>{me?.account.displayName}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Section>
  );
}

function ProfileSection({ person: p }: { person: PersonDetail }) {
  const { t, i18n } = useTranslation(NS);
  const counties = useQuery(countiesQueryOptions);
  const update = useUpdateMyPerson();
  const form = useFormErrors();
  const initial = (): ProfileDraft => ({
    name: p.name,
    phone: p.phone ?? '',
    birthDate: p.birthDate ?? '',
    gender: p.gender ?? '',
    countyCode: p.countyCode ?? '',
    education: p.education ?? '',
    employmentStatus: p.employmentStatus ?? '',
    preferredLocale: p.preferredLocale,
  });
  const [draft, setDraft] = useState<ProfileDraft>(initial);
  const set = (k: keyof ProfileDraft) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [k]: e.currentTarget.value });
  const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = {
      name: draft.name.trim(),
      phone: orNull(draft.phone),
      birthDate: orNull(draft.birthDate),
      gender: orNull(draft.gender),
      countyCode: orNull(draft.countyCode),
      education: orNull(draft.education),
      employmentStatus: orNull(draft.employmentStatus),
      preferredLocale: draft.preferredLocale,
    };
    if (!form.check(UpdateMyPersonInput, input)) return;
    update.mutate(input as UpdateMyPersonInput, {
      onSuccess: () => {
        form.clear();
        notify(t('common:saved'));
      },
      onError: form.fromApi,
    });
  };
  const options = (values: readonly string[], group: string) => [
    { value: '', label: t('mine.profile.notGiven') },
    ...values.map((v) => ({ value: v, label: t(`${group}.${v}`) })),
  ];

  return (
    <Section id="profile" title={t('mine.profile.title')}>
      {p.anonymised && <Alert mb="md">{t('mine.profile.anonymised')}</Alert>}
      <ErrorAlert error={update.error} />
      <Table variant="vertical" withTableBorder layout="fixed" mb="md" maw={640}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={140}>{t('fields.email')}</Table.Th>
            <Table.Td className="break-all">{p.email ?? t('common:none')}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('fields.nationalId')}</Table.Th>
            <Table.Td>{p.nationalIdMasked ?? t('mine.profile.noNationalId')}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="sm" mb="md">
        {t('mine.profile.fixedHelp')}
      </Text>
      <form onSubmit={onSubmit} noValidate aria-label={t('mine.profile.title')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('fields.name')}
            value={draft.name}
            onChange={set('name')}
            error={form.errors.name}
            required
          />
          <TextInput
            label={t('fields.phone')}
            type="tel"
            autoComplete="tel"
            value={draft.phone}
            onChange={set('phone')}
            error={form.errors.phone}
          />
          <TextInput
            label={t('fields.birthDate')}
            type="date"
            value={draft.birthDate}
            onChange={set('birthDate')}
            error={form.errors.birthDate}
          />
          <NativeSelect
            label={t('fields.gender')}
            value={draft.gender}
            onChange={set('gender')}
            data={options(Gender.options, 'gender')}
            error={form.errors.gender}
          />
          <NativeSelect
            label={t('fields.county')}
            value={draft.countyCode}
            onChange={set('countyCode')}
            data={[
              { value: '', label: t('mine.profile.notGiven') },
              ...(counties.data ?? []).map((c) => ({
                value: c.code,
                label: i18n.language === 'en' ? c.nameEn : c.nameZh,
              })),
            ]}
            error={form.errors.countyCode}
          />
          <NativeSelect
            label={t('fields.education')}
            value={draft.education}
            onChange={set('education')}
            data={options(Education.options, 'education')}
            error={form.errors.education}
          />
          <NativeSelect
            label={t('fields.employmentStatus')}
            value={draft.employmentStatus}
            onChange={set('employmentStatus')}
            data={options(EmploymentStatus.options, 'employment')}
            error={form.errors.employmentStatus}
          />
          <NativeSelect
            label={t('fields.preferredLocale')}
            value={draft.preferredLocale}
            onChange={set('preferredLocale')}
            data={[
              { value: 'zh-TW', label: t('common:language.zh-TW') },
              { value: 'en', label: t('common:language.en') },
            ]}
          />
        </SimpleGrid>
        <Button type="submit" mt="md" loading={update.isPending} disabled={p.anonymised}>
          {t('mine.profile.save')}
        </Button>
      </form>
    </Section>
  );
}

function ClaimSection({ mine }: { mine: MyPerson }) {
  const { t } = useTranslation(NS);
  const { date } = useDates();
  const claims = useQuery(myClaimsQueryOptions);
  const create = useCreateClaim();
  const form = useFormErrors();
  const [nationalId, setNationalId] = useState('');
  const pending = (claims.data ?? []).filter((c) => c.status === 'pending');
  const byEmailPending = pending.some((c) => c.basis === 'email');
  const done = () => notify(t('mine.claim.filed'));

  const onNationalId = (e: FormEvent) => {
    e.preventDefault();
    const input = { basis: 'national_id' as const, nationalId: nationalId.trim() };
    if (!form.check(CreateClaimInput, input)) return;
    create.mutate(input, {
      onSuccess: () => {
        setNationalId('');
        form.clear();
        done();
      },
      onError: form.fromApi,
    });
  };

  return (
    <Section id="claim" title={t('mine.claim.title')}>
      <Text mb="sm">{t('mine.claim.intro')}</Text>
      <ErrorAlert error={create.error} />
      {mine.claimableByEmail && !byEmailPending && (
        <Alert mb="md" title={t('mine.claim.byEmailTitle')}>
          <Text mb="sm">{t('mine.claim.byEmailBody')}</Text>
          <Button
            variant="outline"
            loading={create.isPending && create.variables?.basis === 'email'}
            onClick={() => create.mutate({ basis: 'email' }, { onSuccess: done })}
          >
            {t('mine.claim.byEmailAction')}
          </Button>
        </Alert>
      )}
      <form onSubmit={onNationalId} noValidate aria-label={t('mine.claim.byIdTitle')}>
        <Stack gap="xs" align="flex-start">
          <TextInput
            label={t('mine.claim.byIdLabel')}
            description={t('mine.claim.byIdHelp')}
            value={nationalId}
            onChange={(e) => setNationalId(e.currentTarget.value)}
            error={form.errors.nationalId}
            autoComplete="off"
            w={{ base: '100%', sm: 320 }}
          />
          <Button type="submit" variant="outline" loading={create.isPending}>
            {t('mine.claim.byIdAction')}
          </Button>
        </Stack>
      </form>
      {(claims.data ?? []).length > 0 && (
        <List mt="md" size="sm" aria-label={t('mine.claim.mine')}>
          {claims.data!.map((c) => (
            <List.Item key={c.id}>
              {t('mine.claim.item', {
                date: date(c.createdAt),
                basis: t(`claimBasis.${c.basis}`),
                status: t(`claimStatus.${c.status}`),
              })}
            </List.Item>
          ))}
        </List>
      )}
    </Section>
  );
}

function ConsentsSection({ participant }: { participant: boolean }) {
  const { t } = useTranslation(NS);
  const lang = useLang();
  const { date } = useDates();
  const consents = useQuery(myConsentsQueryOptions);
  const notice = useQuery(noticeQueryOptions);
  const update = useUpdateMyConsents();
  const [choices, setChoices] = useState<Record<string, boolean>>({});
  const [showNotice, setShowNotice] = useState(false);
  useEffect(() => {
    if (consents.data) setChoices(Object.fromEntries(consents.data.items.map((i) => [i.purpose, i.granted])));
  }, [consents.data]);
  const purpose = (code: string) => notice.data?.purposes.find((p) => p.code === code);
  const changed = (consents.data?.items ?? []).filter(
    (i) => choices[i.purpose] !== i.granted && !(i.required && i.granted),
  );

  const onSave = () => {
    if (!notice.data) return;
    update.mutate(
      {
        noticeVersion: notice.data.version,
        consents: Object.fromEntries(changed.map((i) => [i.purpose, !!choices[i.purpose]])),
      },
      { onSuccess: () => notify(t('common:saved')) },
    );
  };

  return (
    <Section id="consents" title={t('mine.consents.title')}>
      <Text mb="sm">{participant ? t('mine.consents.intro') : t('mine.consents.staff')}</Text>
      <ErrorAlert error={consents.error ?? notice.error ?? update.error} />
      <Stack gap="sm">
        {(consents.data?.items ?? []).map((i) => (
          <Checkbox
            key={i.purpose}
            label={purpose(i.purpose)?.label[lang] ?? i.purpose}
            description={
              <>
                {purpose(i.purpose)?.description[lang]}
                {i.recordedAt && (
                  <>
                    <br />
                    {t('mine.consents.recorded', {
                      date: date(i.recordedAt),
                      version: i.noticeVersion,
                      answer: t(i.granted ? 'mine.consents.yes' : 'mine.consents.no'),
                    })}
                  </>
                )}
              </>
            }
            checked={!!choices[i.purpose]}
            // A required purpose, once agreed, is withdrawn only by a request to stop use.
            disabled={!participant || (i.required && i.granted)}
            onChange={(e) => {
              const checked = e.currentTarget.checked;
              setChoices((c) => ({ ...c, [i.purpose]: checked }));
            }}
          />
        ))}
      </Stack>
      <Group mt="md">
        {participant && (
          <Button onClick={onSave} disabled={changed.length === 0} loading={update.isPending}>
            {t('mine.consents.save')}
          </Button>
        )}
        <Button
          variant="subtle"
          onClick={() => setShowNotice((v) => !v)}
          aria-expanded={showNotice}
          aria-controls="notice-text"
        >
          {showNotice ? t('mine.consents.hideNotice') : t('mine.consents.showNotice')}
        </Button>
      </Group>
      {showNotice && notice.data && (
        <div id="notice-text">
          <Title order={3} size="h4" mt="md" mb="xs">
            {notice.data.title[lang]}（{t('mine.consents.version', { version: notice.data.version })}）
          </Title>
          <List size="sm" spacing={4}>
            {notice.data.sections.map((s) => (
              <List.Item key={s.key}>
                <strong>
                  {s.heading[lang]}
                  {lang === 'en' ? ': ' : '：'}
                </strong>
                {s.body[lang]}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </Section>
  );
}

function DownloadSection() {
  const { t } = useTranslation(NS);
  const [show, setShow] = useState(false);
  const data = useQuery({ ...myDataQueryOptions, enabled: show });
  return (
    <Section id="download" title={t('mine.download.title')}>
      <Text mb="sm">{t('mine.download.intro')}</Text>
      <Group>
        <Button component="a" href={DOWNLOAD_URL} download data-testid="download-json">
          {t('mine.download.action')}
        </Button>
        <Button
          variant="outline"
          onClick={() => setShow((v) => !v)}
          aria-expanded={show}
          aria-controls="my-data-json"
        >
          {show ? t('mine.download.hide') : t('mine.download.view')}
        </Button>
      </Group>
      {show && (
        <div id="my-data-json">
          <ErrorAlert error={data.error} />
          {data.data && (
            <div
              className="table-scroll"
              role="region"
              aria-label={t('mine.download.viewLabel')}
              tabIndex={0}
            >
              <Code block mt="md" style={{ maxHeight: 420 }}>
                {JSON.stringify(data.data, null, 2)}
              </Code>
            </div>
          )}
        </div>
      )}
    </Section>
  );
}

function RequestsSection() {
  const { t } = useTranslation(NS);
  const { date } = useDates();
  const requests = useQuery(myRequestsQueryOptions);
  const create = useCreateRequest();
  const form = useFormErrors();
  const [type, setType] = useState<PersonalDataRequestType>('access');
  const [details, setDetails] = useState('');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = { type, ...(details.trim() ? { details: details.trim() } : {}) };
    if (!form.check(CreatePersonalDataRequestInput, input)) return;
    create.mutate(input, {
      onSuccess: (r) => {
        setDetails('');
        form.clear();
        notify(t('mine.requests.filed', { date: date(r.dueOn) }));
      },
      onError: form.fromApi,
    });
  };

  return (
    <Section id="requests" title={t('mine.requests.title')}>
      <Text mb="sm">{t('mine.requests.intro')}</Text>
      <ErrorAlert error={create.error} />
      <form onSubmit={onSubmit} noValidate aria-label={t('mine.requests.newTitle')}>
        <Title order={3} size="h4" mb="xs">
          {t('mine.requests.newTitle')}
        </Title>
        <Stack gap="sm" maw={640}>
          <NativeSelect
            label={t('fields.requestType')}
            value={type}
            onChange={(e) => setType(e.currentTarget.value as PersonalDataRequestType)}
            data={PersonalDataRequestType.options.map((v) => ({ value: v, label: t(`types.${v}`) }))}
            description={t('mine.requests.deadline', { days: PDPA_DEADLINE_DAYS[type] })}
            error={form.errors.type}
          />
          {type === 'deletion' && <Alert color="orange">{t('mine.requests.deletionWarning')}</Alert>}
          <Textarea
            label={t('fields.details')}
            description={t(
              type === 'correction' ? 'mine.requests.detailsCorrection' : 'mine.requests.detailsHelp',
            )}
            value={details}
            onChange={(e) => setDetails(e.currentTarget.value)}
            error={form.errors.details}
            required={type === 'correction'}
            autosize
            minRows={2}
          />
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('mine.requests.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      <Title order={3} size="h4" mt="lg" mb="xs">
        {t('mine.requests.listTitle')}
      </Title>
      <ErrorAlert error={requests.error} />
      {(requests.data ?? []).length === 0 ? (
        <Text>{t('mine.requests.none')}</Text>
      ) : (
        <MyRequestsTable items={requests.data!} />
      )}
      <Text size="sm" mt="sm">
        <Anchor href="/privacy">{t('mine.requests.privacyLink')}</Anchor>
      </Text>
    </Section>
  );
}

function MyRequestsTable({ items }: { items: PersonalDataRequest[] }) {
  const { t } = useTranslation(NS);
  const { date } = useDates();
  return (
    <TableScroll label={t('mine.requests.listTitle')} minWidth={620}>
      <Table striped data-testid="my-requests">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('fields.requestType')}</Table.Th>
            <Table.Th scope="col">{t('fields.receivedOn')}</Table.Th>
            <Table.Th scope="col">{t('fields.dueOn')}</Table.Th>
            <Table.Th scope="col">{t('fields.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                {t(`types.${r.type}`)}
                {r.details && (
                  <Text size="xs" c="dimmed" className="break-all">
                    {r.details}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{date(r.receivedOn)}</Table.Td>
              <Table.Td>
                {date(r.dueOn)}
                {r.extended && (
                  <Badge ml="xs" variant="outline" color="gray.8">
                    {t('queue.extended')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <RequestStatus request={r} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </TableScroll>
  );
}
