import { useState, type FormEvent } from 'react';
import { Button, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MfaCodeInput } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { useFormErrors } from '../../../lib/form';
import { useVerifyMfa } from '../api/auth-api';

/** The second factor at sign-in: a 6-digit code from the app, or a recovery code. */
export function MfaVerifyForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('auth');
  const verify = useVerifyMfa();
  const form = useFormErrors();
  const [code, setCode] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(MfaCodeInput, { code })) return;
    verify.mutate(code.trim(), { onSuccess: onDone, onError: (err) => form.fromApi(err) });
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Text>{t('mfa.verifyIntro')}</Text>
        <ErrorAlert error={verify.error} />
        <TextInput
          label={t('mfa.verifyCodeLabel')}
          description={t('mfa.verifyCodeHelp')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={form.errors.code}
          autoComplete="one-time-code"
          required
          autoFocus
        />
        <Button type="submit" loading={verify.isPending}>
          {t('mfa.verifySubmit')}
        </Button>
      </Stack>
    </form>
  );
}
