import { useState, type FormEvent } from 'react';
import {
  Anchor,
  Button,
  Checkbox,
  Group,
  List,
  NativeSelect,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN, SignUpInput, type Locale } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { RequiredNote } from '../../../components/required-note';
import { useFormErrors } from '../../../lib/form';
import { useResendVerification, useSignUp } from '../api/auth-api';
import { AuthCard } from './auth-card';

const NOTICE = ['organisation', 'purpose', 'data', 'use', 'rights', 'optional'] as const;

export function SignUpPage() {
  const { t, i18n } = useTranslation('auth');
  const signUp = useSignUp();
  const resend = useResendVerification();
  const form = useFormErrors();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<Locale>(i18n.language === 'en' ? 'en' : 'zh-TW');
  const [consent, setConsent] = useState(false);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = { displayName: displayName.trim(), email: email.trim(), password, locale };
    const extra = consent ? {} : { consent: t('errors:field.consent') };
    if (!form.check(SignUpInput, input, extra)) return;
    signUp.mutate(input, { onError: (err) => form.fromApi(err) });
  };

  if (signUp.isSuccess) {
    return (
      <AuthCard title={t('signUp.checkTitle')}>
        <Stack gap="sm">
          <Text role="status">{t('signUp.checkBody', { email: email.trim() })}</Text>
          <Text size="sm">{t('signUp.checkHint')}</Text>
          <ErrorAlert error={resend.error} />
          <Group>
            <Button
              variant="outline"
              onClick={() => resend.mutate(email.trim())}
              loading={resend.isPending}
              disabled={resend.isSuccess}
            >
              {t('signUp.resend')}
            </Button>
            <Anchor component={Link} to="/sign-in">
              {t('signUp.toSignIn')}
            </Anchor>
          </Group>
          {resend.isSuccess && <Text role="status">{t('signIn.resent')}</Text>}
        </Stack>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('signUp.title')}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={signUp.error} />
          <RequiredNote />
          <TextInput
            label={t('fields.displayName')}
            autoComplete="name"
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={form.errors.displayName}
            required
          />
          <TextInput
            label={t('fields.email')}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={form.errors.email}
            required
          />
          <PasswordInput
            label={t('fields.password')}
            description={t('fields.passwordHelp', { min: PASSWORD_MIN })}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={form.errors.password}
            required
            visibilityToggleButtonProps={{ 'aria-label': t('fields.togglePassword') }}
          />
          <NativeSelect
            label={t('fields.locale')}
            value={locale}
            onChange={(e) => setLocale(e.currentTarget.value === 'en' ? 'en' : 'zh-TW')}
            data={[
              { value: 'zh-TW', label: t('common:language.zh-TW') },
              { value: 'en', label: t('common:language.en') },
            ]}
            error={form.errors.locale}
          />
          <Paper withBorder p="sm" bg="gray.0" component="section" aria-labelledby="notice-title">
            <Title order={2} size="h5" id="notice-title" mb="xs">
              {t('notice.title')}
            </Title>
            <List size="sm" spacing={4}>
              {NOTICE.map((k) => (
                <List.Item key={k}>{t(`notice.${k}`)}</List.Item>
              ))}
            </List>
            <Text size="sm" mt="xs">
              {t('notice.more')}{' '}
              <Anchor component={Link} to="/privacy" target="_blank">
                {t('notice.privacyLink')}
              </Anchor>
            </Text>
          </Paper>
          <Checkbox
            label={t('notice.consent')}
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
            error={form.errors.consent}
            required
          />
          <Button type="submit" loading={signUp.isPending}>
            {t('signUp.submit')}
          </Button>
          <Anchor component={Link} to="/sign-in">
            {t('signUp.haveAccount')}
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
