import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  ChangePasswordInput,
  MfaCodeInput,
  PASSWORD_MIN,
  UpdateMeInput,
  type CalendarStyle,
  type Locale,
  type Me,
} from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { notify } from '../../../lib/notify';
import { TableScroll } from '../../../components/table-scroll';
import { COLOR_OK } from '../../../lib/colors';
import { RequiredNote } from '../../../components/required-note';
import { PageTitle } from '../../../components/page-title';
import { useFormErrors } from '../../../lib/form';
import { meQueryOptions, storeCalendar, useDates } from '../../../lib/session';
import {
  sessionsQueryOptions,
  useChangePassword,
  useDisableMfa,
  useRegenerateCodes,
  useRevokeSession,
  useUpdateMe,
} from '../api/auth-api';
import { MfaEnrolmentPanel } from './mfa-enrolment-panel';
import { RecoveryCodesPanel } from './recovery-codes-panel';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={id} padding="lg">
      <Title order={2} size="h3" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

export function AccountPage() {
  const { t } = useTranslation('auth');
  const { data: me } = useQuery(meQueryOptions);
  if (!me) return null;
  return (
    <>
      <PageTitle>{t('account.title')}</PageTitle>
      <Stack gap="lg">
        <ProfileSection me={me} />
        <PreferencesSection me={me} />
        <PasswordSection />
        <MfaSection me={me} />
        <SessionsSection />
      </Stack>
    </>
  );
}

const saved = (t: (k: string) => string) => notify(t('common:saved'));

function ProfileSection({ me }: { me: Me }) {
  const { t } = useTranslation('auth');
  const update = useUpdateMe();
  const form = useFormErrors();
  const [displayName, setDisplayName] = useState(me.account.displayName);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(UpdateMeInput, { displayName })) return;
    update.mutate({ displayName: displayName.trim() }, { onSuccess: () => saved(t), onError: form.fromApi });
  };
  return (
    <Section id="profile-title" title={t('account.profile')}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm" maw={480}>
          <ErrorAlert error={update.error} />
          <Text size="sm">
            {t('fields.email')}：<strong>{me.account.email}</strong>{' '}
            <Badge variant="outline" color={me.account.emailVerified ? COLOR_OK : 'gray.8'}>
              {me.account.emailVerified ? t('account.verified') : t('account.unverified')}
            </Badge>
          </Text>
          <TextInput
            label={t('fields.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={form.errors.displayName}
            required
          />
          <Group>
            <Button type="submit" loading={update.isPending}>
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function PreferencesSection({ me }: { me: Me }) {
  const { t, i18n } = useTranslation('auth');
  const update = useUpdateMe();
  const [locale, setLocale] = useState<Locale>(me.account.locale);
  const [calendar, setCalendar] = useState<CalendarStyle>(me.account.calendar);
  const { date } = useDates();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { locale, calendar },
      {
        onSuccess: () => {
          storeCalendar(calendar);
          if (i18n.language !== locale) void i18n.changeLanguage(locale);
          saved(t);
        },
      },
    );
  };
  const today = new Date().toISOString();
  return (
    <Section id="prefs-title" title={t('account.preferences')}>
      <form onSubmit={onSubmit}>
        <Stack gap="md">
          <ErrorAlert error={update.error} />
          <Radio.Group
            label={t('fields.locale')}
            value={locale}
            onChange={(v) => setLocale(v === 'en' ? 'en' : 'zh-TW')}
          >
            <Group mt="xs">
              <Radio value="zh-TW" label={t('common:language.zh-TW')} />
              <Radio value="en" label={t('common:language.en')} />
            </Group>
          </Radio.Group>
          <Radio.Group
            label={t('fields.calendar')}
            description={t('account.calendarHelp', { today: date(today, 'long') })}
            value={calendar}
            onChange={(v) => setCalendar(v === 'gregorian' ? 'gregorian' : 'roc')}
          >
            <Group mt="xs">
              <Radio value="roc" label={t('common:calendar.roc')} />
              <Radio value="gregorian" label={t('common:calendar.gregorian')} />
            </Group>
          </Radio.Group>
          <Group>
            <Button type="submit" loading={update.isPending}>
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function PasswordSection() {
  const { t } = useTranslation('auth');
  const change = useChangePassword();
  const form = useFormErrors();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const extra = confirm !== newPassword ? { confirm: t('errors:field.mismatch') } : {};
    if (!form.check(ChangePasswordInput, { currentPassword, newPassword }, extra)) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrent('');
          setNew('');
          setConfirm('');
          notify(t('account.passwordChanged'));
        },
        onError: form.fromApi,
      },
    );
  };
  const toggle = { 'aria-label': t('fields.togglePassword') };
  return (
    <Section id="password-title" title={t('account.password')}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm" maw={480}>
          <ErrorAlert error={change.error} />
          <RequiredNote />
          <PasswordInput
            label={t('fields.currentPassword')}
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={form.errors.currentPassword}
            required
            visibilityToggleButtonProps={toggle}
          />
          <PasswordInput
            label={t('fields.newPassword')}
            description={t('fields.passwordHelp', { min: PASSWORD_MIN })}
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNew(e.currentTarget.value)}
            error={form.errors.newPassword}
            required
            visibilityToggleButtonProps={toggle}
          />
          <PasswordInput
            label={t('fields.confirmPassword')}
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={form.errors.confirm}
            required
            visibilityToggleButtonProps={toggle}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('account.changePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function MfaSection({ me }: { me: Me }) {
  const { t } = useTranslation('auth');
  const qc = useQueryClient();
  const [enrolling, setEnrolling] = useState(false);
  // On as soon as the code is accepted, while the recovery codes are still on screen.
  const [enabledHere, setEnabledHere] = useState(false);
  const on = me.account.mfaEnabled || enabledHere;
  return (
    <Section id="mfa-title" title={t('account.mfa')}>
      <Stack gap="sm">
        <Group gap="xs">
          <Text>{t('account.mfaStatus')}</Text>
          <Badge variant="outline" color={on ? COLOR_OK : 'gray.8'} data-testid="mfa-status">
            {on ? t('account.mfaOn') : t('account.mfaOff')}
          </Badge>
        </Group>
        {me.account.mfaRequired && <Text size="sm">{t('account.mfaRequired')}</Text>}
        {enrolling ? (
          <MfaEnrolmentPanel
            onEnabled={() => setEnabledHere(true)}
            onDone={() => {
              setEnrolling(false);
              void qc
                .invalidateQueries({ queryKey: meQueryOptions.queryKey })
                .then(() => setEnabledHere(false));
            }}
          />
        ) : on ? (
          <MfaManage required={me.account.mfaRequired} />
        ) : (
          <Group>
            <Button onClick={() => setEnrolling(true)}>{t('account.mfaEnable')}</Button>
          </Group>
        )}
      </Stack>
    </Section>
  );
}

/** With MFA on: new recovery codes, or turning it off; both ask for a current code. */
function MfaManage({ required }: { required: boolean }) {
  const { t } = useTranslation('auth');
  const regen = useRegenerateCodes();
  const disable = useDisableMfa();
  const form = useFormErrors();
  const [code, setCode] = useState('');
  const [confirmOff, setConfirmOff] = useState(false);
  const run = (what: 'regen' | 'disable') => {
    if (!form.check(MfaCodeInput, { code })) return;
    const m = what === 'regen' ? regen : disable;
    regen.reset();
    disable.reset();
    m.mutate(code.trim(), {
      onSuccess: () => {
        setCode('');
        setConfirmOff(false);
        if (what === 'disable') notify(t('account.mfaDisabled'));
      },
      onError: form.fromApi,
    });
  };
  if (regen.data) return <RecoveryCodesPanel codes={regen.data.recoveryCodes} onDone={() => regen.reset()} />;
  return (
    <Stack gap="sm" maw={480}>
      <Text size="sm">{t('account.mfaManageIntro')}</Text>
      <ErrorAlert error={regen.error ?? disable.error} />
      <TextInput
        label={t('mfa.verifyCodeLabel')}
        description={t('mfa.verifyCodeHelp')}
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
        error={form.errors.code}
        autoComplete="one-time-code"
      />
      <Group>
        <Button variant="outline" onClick={() => run('regen')} loading={regen.isPending}>
          {t('account.regenerate')}
        </Button>
        {!required &&
          (confirmOff ? (
            <>
              <Button color="red.9" onClick={() => run('disable')} loading={disable.isPending}>
                {t('account.mfaDisableConfirm')}
              </Button>
              <Button variant="subtle" onClick={() => setConfirmOff(false)}>
                {t('common:actions.cancel')}
              </Button>
            </>
          ) : (
            <Button variant="outline" color="red.9" onClick={() => setConfirmOff(true)}>
              {t('account.mfaDisable')}
            </Button>
          ))}
      </Group>
      {confirmOff && (
        <Alert color="red" variant="outline" c="red.9">
          {t('account.mfaDisableWarning')}
        </Alert>
      )}
    </Stack>
  );
}

function SessionsSection() {
  const { t } = useTranslation('auth');
  const { data, error, isPending } = useQuery(sessionsQueryOptions);
  const revoke = useRevokeSession();
  const { dateTime } = useDates();
  return (
    <Section id="sessions-title" title={t('account.sessions')}>
      <Text size="sm" mb="sm">
        {t('account.sessionsIntro')}
      </Text>
      <ErrorAlert error={error ?? revoke.error} />
      {isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : (
        <TableScroll label={t('account.sessions')} minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('account.sessionDevice')}</Table.Th>
                <Table.Th scope="col">{t('account.sessionIp')}</Table.Th>
                <Table.Th scope="col">{t('account.sessionCreated')}</Table.Th>
                <Table.Th scope="col">{t('account.sessionLastSeen')}</Table.Th>
                <Table.Th scope="col">{t('account.sessionAction')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(data ?? []).map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td className="break-all" style={{ maxWidth: 260 }}>
                    {s.userAgent ?? t('common:none')}
                  </Table.Td>
                  <Table.Td>{s.ip ?? t('common:none')}</Table.Td>
                  <Table.Td>{dateTime(s.createdAt)}</Table.Td>
                  <Table.Td>{dateTime(s.lastSeenAt)}</Table.Td>
                  <Table.Td>
                    {s.current ? (
                      <Badge variant="outline" color={COLOR_OK}>
                        {t('account.sessionCurrent')}
                      </Badge>
                    ) : (
                      <Button
                        size="compact-sm"
                        variant="outline"
                        color="red.9"
                        onClick={() => revoke.mutate(s.id)}
                        loading={revoke.isPending && revoke.variables === s.id}
                        aria-label={t('account.sessionRevokeLabel', { when: dateTime(s.lastSeenAt) })}
                      >
                        {t('account.sessionRevoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Section>
  );
}
