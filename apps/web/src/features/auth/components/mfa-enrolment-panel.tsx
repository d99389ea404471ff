import { useState, type FormEvent } from 'react';
import { Button, Code, CopyButton, Group, Image, List, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MfaCodeInput } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { useFormErrors } from '../../../lib/form';
import { useConfirmEnrolment, useStartEnrolment } from '../api/auth-api';
import { RecoveryCodesPanel } from './recovery-codes-panel';

/**
 * Turning MFA on: start → scan the QR code (or type the key) → confirm a code → recovery codes.
 * `onEnabled` runs once the code is accepted (MFA is on), `onDone` when the codes are put away.
 */
export function MfaEnrolmentPanel({ onDone, onEnabled }: { onDone: () => void; onEnabled?: () => void }) {
  const { t } = useTranslation('auth');
  const start = useStartEnrolment();
  const confirm = useConfirmEnrolment();
  const form = useFormErrors();
  const [code, setCode] = useState('');

  if (confirm.data) return <RecoveryCodesPanel codes={confirm.data.recoveryCodes} onDone={onDone} />;

  if (!start.data) {
    return (
      <Stack gap="sm">
        <Text>{t('mfa.enrolIntro')}</Text>
        <ErrorAlert error={start.error} />
        <Group>
          <Button onClick={() => start.mutate()} loading={start.isPending}>
            {t('mfa.enrolStart')}
          </Button>
        </Group>
      </Stack>
    );
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(MfaCodeInput, { code })) return;
    confirm.mutate(code.trim(), { onSuccess: onEnabled, onError: (err) => form.fromApi(err) });
  };
  const qrSrc = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(start.data.qrSvg)}`;
  return (
    <Stack gap="sm">
      <List type="ordered" spacing="xs">
        <List.Item>{t('mfa.step1')}</List.Item>
        <List.Item>{t('mfa.step2')}</List.Item>
        <List.Item>{t('mfa.step3')}</List.Item>
      </List>
      <Image src={qrSrc} alt={t('mfa.qrAlt')} className="qr-image" w={200} h={200} />
      <Text size="sm">{t('mfa.secretLabel')}</Text>
      <Group gap="xs" wrap="wrap">
        <Code fz="md" className="break-all" data-testid="mfa-secret">
          {start.data.secret}
        </Code>
        <CopyButton value={start.data.secret}>
          {({ copied, copy }) => (
            <Button variant="subtle" size="compact-sm" onClick={copy} aria-label={t('mfa.copySecret')}>
              {copied ? t('common:actions.copied') : t('common:actions.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <form onSubmit={onSubmit} noValidate>
        <ErrorAlert error={confirm.error} />
        <TextInput
          label={t('mfa.codeLabel')}
          description={t('mfa.codeHelp')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={form.errors.code}
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          maw={240}
          mb="sm"
        />
        <Button type="submit" loading={confirm.isPending}>
          {t('mfa.enrolConfirm')}
        </Button>
      </form>
    </Stack>
  );
}
