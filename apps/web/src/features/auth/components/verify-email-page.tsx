import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Loader, Stack, Text, TextInput } from '@mantine/core';
import { Link, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { EmailInput } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { useFormErrors } from '../../../lib/form';
import { useResendVerification, useVerifyEmail } from '../api/auth-api';
import { AuthCard } from './auth-card';

/** The landing page of the e-mailed link `/verify-email?token=…`. */
export function VerifyEmailPage() {
  const { t } = useTranslation('auth');
  const { token } = useSearch({ from: '/verify-email' });
  const verify = useVerifyEmail();
  const started = useRef(false);
  useEffect(() => {
    // The token is single-use: send it once, even when effects run twice in development.
    if (started.current || !token) return;
    started.current = true;
    verify.mutate(token);
  }, [token, verify]);

  return (
    <AuthCard title={t('verify.title')}>
      {!token ? (
        <Stack gap="sm">
          <Text>{t('verify.noToken')}</Text>
          <ResendForm />
        </Stack>
      ) : verify.isSuccess ? (
        <Stack gap="sm">
          <Alert color="green" variant="outline" c="dark.9" role="status">
            {t('verify.success')}
          </Alert>
          <Button component={Link} to="/sign-in">
            {t('verify.toSignIn')}
          </Button>
        </Stack>
      ) : verify.isError ? (
        <Stack gap="sm">
          <ErrorAlert error={verify.error} />
          <ResendForm />
        </Stack>
      ) : (
        <Stack align="flex-start" gap="xs" role="status">
          <Loader size="sm" aria-hidden />
          <Text>{t('verify.pending')}</Text>
        </Stack>
      )}
    </AuthCard>
  );
}

function ResendForm() {
  const { t } = useTranslation('auth');
  const resend = useResendVerification();
  const form = useFormErrors();
  const [email, setEmail] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(EmailInput, { email: email.trim() })) return;
    resend.mutate(email.trim(), { onError: (err) => form.fromApi(err) });
  };
  if (resend.isSuccess) return <Text role="status">{t('signIn.resent')}</Text>;
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('verify.resendIntro')}</Text>
        <ErrorAlert error={resend.error} />
        <TextInput
          label={t('fields.email')}
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={form.errors.email}
          required
        />
        <Button type="submit" variant="outline" loading={resend.isPending}>
          {t('signUp.resend')}
        </Button>
        <Anchor component={Link} to="/sign-in">
          {t('signUp.toSignIn')}
        </Anchor>
      </Stack>
    </form>
  );
}
