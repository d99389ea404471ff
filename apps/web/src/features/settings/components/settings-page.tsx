import { useState, type FormEvent } from 'react';
import { Button, Card, Checkbox, Group, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type Setting } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { notify } from '../../../lib/notify';
import { PageTitle } from '../../../components/page-title';
import { useFormErrors } from '../../../lib/form';
import { useDates } from '../../../lib/session';
import { settingsQueryOptions, useUpdateSetting } from '../api/settings-api';

type Lockout = { maxFailures: number; lockMinutes: number };

export function SettingsPage() {
  const { t } = useTranslation('admin');
  const { data, error, isPending } = useQuery(settingsQueryOptions);
  const byKey = (k: string) => data?.find((s) => s.key === k);
  const mfa = byKey('auth.mfaRequiredRoles');
  const lockout = byKey('auth.signInLockout');
  return (
    <>
      <PageTitle>{t('settings.title')}</PageTitle>
      <Text mb="md">{t('settings.intro')}</Text>
      <ErrorAlert error={error} />
      {isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : (
        <Stack gap="lg">
          {mfa && <MfaRolesForm setting={mfa} key={`mfa-${mfa.updatedAt}`} />}
          {lockout && <LockoutForm setting={lockout} key={`lock-${lockout.updatedAt}`} />}
        </Stack>
      )}
    </>
  );
}

function UpdatedAt({ setting }: { setting: Setting }) {
  const { t } = useTranslation('admin');
  const { dateTime } = useDates();
  return (
    <Text size="sm" mt="xs">
      {setting.updatedAt
        ? t('settings.updatedAt', { at: dateTime(setting.updatedAt) })
        : t('settings.default')}
    </Text>
  );
}

function MfaRolesForm({ setting }: { setting: Setting }) {
  const { t } = useTranslation('admin');
  const update = useUpdateSetting();
  const [roles, setRoles] = useState<string[]>(Array.isArray(setting.value) ? (setting.value as Role[]) : []);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { key: setting.key, value: ROLES.filter((r) => roles.includes(r)) },
      { onSuccess: () => notify(t('common:saved')) },
    );
  };
  return (
    <Card withBorder component="section" aria-labelledby="mfa-roles-title" padding="lg">
      <Title order={2} size="h3" id="mfa-roles-title" mb="xs">
        {t('settings.mfaTitle')}
      </Title>
      <form onSubmit={onSubmit}>
        <ErrorAlert error={update.error} />
        <Checkbox.Group
          label={t('settings.mfaLabel')}
          description={t('settings.mfaHelp')}
          value={roles}
          onChange={setRoles}
        >
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} mt="sm" spacing="xs">
            {ROLES.map((r) => (
              <Checkbox key={r} value={r} label={t(`common:roles.${r}`)} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <UpdatedAt setting={setting} />
        <Button type="submit" mt="md" loading={update.isPending}>
          {t('common:actions.save')}
        </Button>
      </form>
    </Card>
  );
}

function LockoutForm({ setting }: { setting: Setting }) {
  const { t } = useTranslation('admin');
  const update = useUpdateSetting();
  const form = useFormErrors();
  const initial = (setting.value ?? {}) as Partial<Lockout>;
  const [maxFailures, setMax] = useState<number | string>(initial.maxFailures ?? 5);
  const [lockMinutes, setMinutes] = useState<number | string>(initial.lockMinutes ?? 15);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    form.clear();
    update.mutate(
      { key: setting.key, value: { maxFailures: Number(maxFailures), lockMinutes: Number(lockMinutes) } },
      {
        onSuccess: () => notify(t('common:saved')),
        onError: form.fromApi,
      },
    );
  };
  return (
    <Card withBorder component="section" aria-labelledby="lockout-title" padding="lg">
      <Title order={2} size="h3" id="lockout-title" mb="xs">
        {t('settings.lockoutTitle')}
      </Title>
      <Text size="sm" mb="sm">
        {t('settings.lockoutHelp')}
      </Text>
      <form onSubmit={onSubmit} noValidate>
        <ErrorAlert error={update.error} />
        <Group align="flex-start" wrap="wrap">
          <NumberInput
            label={t('settings.maxFailures')}
            value={maxFailures}
            onChange={setMax}
            min={1}
            max={1000}
            allowDecimal={false}
            error={form.errors['value.maxFailures']}
            w={{ base: '100%', sm: 220 }}
            required
          />
          <NumberInput
            label={t('settings.lockMinutes')}
            value={lockMinutes}
            onChange={setMinutes}
            min={1}
            max={1440}
            allowDecimal={false}
            error={form.errors['value.lockMinutes']}
            w={{ base: '100%', sm: 220 }}
            required
          />
        </Group>
        <UpdatedAt setting={setting} />
        <Button type="submit" mt="md" loading={update.isPending}>
          {t('common:actions.save')}
        </Button>
      </form>
    </Card>
  );
}
