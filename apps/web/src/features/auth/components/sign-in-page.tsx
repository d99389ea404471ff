import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { Link, useNavigate, useRouter, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { SignInInput } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { ApiError } from '../../../lib/api';
import { useFormErrors } from '../../../lib/form';
import { useMe } from '../../../lib/session';
import { useResendVerification, useSignIn } from '../api/auth-api';
import { AuthCard } from './auth-card';

/** A same-site path to return to after signing in; anything else goes to the dashboard. */
const safeRedirect = (r: string | undefined) => (r && r.startsWith('/') && !r.startsWith('//') ? r : null);

export function SignInPage() {
  const { t } = useTranslation('auth');
  const { redirect } = useSearch({ from: '/sign-in' });
  const navigate = useNavigate();
  const router = useRouter();
  const me = useMe();
  const signIn = useSignIn();
  const resend = useResendVerification();
  const form = useFormErrors();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    resend.reset();
    if (!form.check(SignInInput, { email: email.trim(), password })) return;
    signIn.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (r) => {
          if (r.stage !== 'signed_in') return void navigate({ to: '/sign-in/mfa' });
          const back = safeRedirect(redirect);
          if (back) router.history.push(back);
          else void navigate({ to: '/dashboard' });
        },
        onError: (err) => form.fromApi(err),
      },
    );
  };

  const notVerified = signIn.error instanceof ApiError && signIn.error.reason === 'EMAIL_NOT_VERIFIED';

  return (
    <AuthCard title={t('signIn.title')}>
      {me?.stage === 'signed_in' && (
        <Alert variant="outline" mb="md" c="dark.9">
          {t('signIn.already', { name: me.account.displayName })}{' '}
          <Anchor component={Link} to="/dashboard">
            {t('signIn.goDashboard')}
          </Anchor>
        </Alert>
      )}
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={signIn.error} />
          {notVerified && (
            <Group gap="sm">
              <Button
                variant="outline"
                onClick={() => resend.mutate(email.trim())}
                loading={resend.isPending}
                disabled={resend.isSuccess}
              >
                {t('signIn.resend')}
              </Button>
              {resend.isSuccess && (
                <Text role="status" size="sm">
                  {t('signIn.resent')}
                </Text>
              )}
            </Group>
          )}
          <TextInput
            label={t('fields.email')}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={form.errors.email}
            required
          />
          <PasswordInput
            label={t('fields.password')}
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={form.errors.password}
            required
            visibilityToggleButtonProps={{ 'aria-label': t('fields.togglePassword') }}
          />
          <Button type="submit" loading={signIn.isPending}>
            {t('signIn.submit')}
          </Button>
          <Group justify="space-between" wrap="wrap">
            <Anchor component={Link} to="/forgot-password">
              {t('signIn.forgot')}
            </Anchor>
            <Anchor component={Link} to="/sign-up">
              {t('signIn.noAccount')}
            </Anchor>
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}
