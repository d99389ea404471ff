import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { EmailInput } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { useFormErrors } from '../../../lib/form';
import { useForgotPassword } from '../api/auth-api';
import { AuthCard } from './auth-card';

export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
  const forgot = useForgotPassword();
  const form = useFormErrors();
  const [email, setEmail] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(EmailInput, { email: email.trim() })) return;
    forgot.mutate(email.trim(), { onError: (err) => form.fromApi(err) });
  };
  return (
    <AuthCard title={t('forgot.title')}>
      {forgot.isSuccess ? (
        <Stack gap="sm">
          <Alert color="green" variant="outline" c="dark.9" role="status">
            {t('forgot.sent', { email: email.trim() })}
          </Alert>
          <Anchor component={Link} to="/sign-in">
            {t('signUp.toSignIn')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="sm">
            <Text>{t('forgot.intro')}</Text>
            <ErrorAlert error={forgot.error} />
            <TextInput
              label={t('fields.email')}
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={form.errors.email}
              required
            />
            <Button type="submit" loading={forgot.isPending}>
              {t('forgot.submit')}
            </Button>
            <Anchor component={Link} to="/sign-in">
              {t('signUp.toSignIn')}
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
