import { useState, type FormEvent } from 'react';
import { Anchor, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { CreateAccountInput, type Locale } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { notify } from '../../../lib/notify';
import { RequiredNote } from '../../../components/required-note';
import { PageTitle } from '../../../components/page-title';
import { useFormErrors } from '../../../lib/form';
import { useInviteAccount } from '../api/accounts-api';

export function InviteAccountPage() {
  const { t } = useTranslation('admin');
  const invite = useInviteAccount();
  const form = useFormErrors();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [locale, setLocale] = useState<Locale>('zh-TW');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = { email: email.trim(), displayName: displayName.trim(), locale };
    if (!form.check(CreateAccountInput, input)) return;
    invite.mutate(input, {
      onSuccess: (a) => {
        notify(t('invite.sent', { email: a.email }));
        void navigate({ to: '/admin/accounts/$accountId', params: { accountId: a.id } });
      },
      onError: form.fromApi,
    });
  };
  return (
    <>
      <Anchor component={Link} to="/admin/accounts" size="sm">
        {t('accounts.backToList')}
      </Anchor>
      <PageTitle mt="xs">{t('invite.title')}</PageTitle>
      <Text mb="md">{t('invite.intro')}</Text>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm" maw={480}>
          <ErrorAlert error={invite.error} />
          <RequiredNote />
          <TextInput
            label={t('auth:fields.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={form.errors.email}
            required
          />
          <TextInput
            label={t('auth:fields.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={form.errors.displayName}
            required
          />
          <NativeSelect
            label={t('invite.locale')}
            value={locale}
            onChange={(e) => setLocale(e.currentTarget.value === 'en' ? 'en' : 'zh-TW')}
            data={[
              { value: 'zh-TW', label: t('common:language.zh-TW') },
              { value: 'en', label: t('common:language.en') },
            ]}
          />
          <Group>
            <Button type="submit" loading={invite.isPending}>
              {t('invite.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
