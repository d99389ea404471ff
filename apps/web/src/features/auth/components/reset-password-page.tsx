import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { Link, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN, ResetPasswordInput } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { RequiredNote } from '../../../components/required-note';
import { ApiError } from '../../../lib/api';
import { useFormErrors } from '../../../lib/form';
import { useResetPassword } from '../api/auth-api';
import { AuthCard } from './auth-card';

/** `/reset-password?token=…`: a forgotten password, or the first password of an invited account. */
export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  const { token } = useSearch({ from: '/reset-password' });
  const reset = useResetPassword();
  const form = useFormErrors();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const extra = confirm !== password ? { confirm: t('errors:field.mismatch') } : {};
    if (!form.check(ResetPasswordInput, { token, password }, extra)) return;
    reset.mutate({ token, password }, { onError: (err) => form.fromApi(err) });
  };
  const tokenBad =
    !token ||
    (reset.error instanceof ApiError && reset.error.reason === 'TOKEN_INVALID') ||
    !!form.errors.token;

  return (
    <AuthCard title={t('reset.title')}>
      {reset.isSuccess ? (
        <Stack gap="sm">
          <Alert color="green" variant="outline" c="dark.9" role="status">
            {t('reset.success')}
          </Alert>
          <Button component={Link} to="/sign-in">
            {t('verify.toSignIn')}
          </Button>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="sm">
            <Text>{t('reset.intro')}</Text>
            {!token && (
              <Alert color="red" variant="outline" c="red.9">
                {t('reset.noToken')}
              </Alert>
            )}
            <ErrorAlert error={reset.error} />
            <RequiredNote />
            {form.errors.token && !reset.error && (
              <Alert color="red" variant="outline" c="red.9">
                {form.errors.token}
              </Alert>
            )}
            <PasswordInput
              label={t('fields.newPassword')}
              description={t('fields.passwordHelp', { min: PASSWORD_MIN })}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={form.errors.password}
              required
              visibilityToggleButtonProps={{ 'aria-label': t('fields.togglePassword') }}
            />
            <PasswordInput
              label={t('fields.confirmPassword')}
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              error={form.errors.confirm}
              required
              visibilityToggleButtonProps={{ 'aria-label': t('fields.togglePassword') }}
            />
            <Button type="submit" loading={reset.isPending} disabled={!token}>
              {t('reset.submit')}
            </Button>
            {tokenBad && (
              <Anchor component={Link} to="/forgot-password">
                {t('reset.requestNew')}
              </Anchor>
            )}
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
