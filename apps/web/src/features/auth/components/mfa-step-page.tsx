import { useEffect } from 'react';
import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { meQueryOptions } from '../../../lib/session';
import { AuthCard } from './auth-card';
import { MfaEnrolmentPanel } from './mfa-enrolment-panel';
import { MfaVerifyForm } from './mfa-verify-form';
import { useQueryClient } from '@tanstack/react-query';

/** The second step of signing in: verify a code, or set up MFA when the account's roles require it. */
export function MfaStepPage() {
  const { t } = useTranslation('auth');
  const { data: me, isPending } = useQuery(meQueryOptions);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const stage = me?.stage;

  useEffect(() => {
    if (stage === 'signed_in') void navigate({ to: '/dashboard' });
  }, [stage, navigate]);

  const finish = async () => {
    await qc.fetchQuery({ ...meQueryOptions, staleTime: 0 });
    void navigate({ to: '/dashboard' });
  };

  if (isPending) return <AuthCard title={t('mfa.verifyTitle')}>{t('common:loading')}</AuthCard>;
  if (!me) {
    return (
      <AuthCard title={t('mfa.verifyTitle')}>
        <Text mb="sm">{t('mfa.noSession')}</Text>
        <Anchor component={Link} to="/sign-in">
          {t('signIn.title')}
        </Anchor>
      </AuthCard>
    );
  }
  if (stage === 'mfa_enrolment_required') {
    return (
      <AuthCard title={t('mfa.enrolTitle')}>
        <Text mb="sm" fw={600}>
          {t('mfa.enrolRequired')}
        </Text>
        <MfaEnrolmentPanel onDone={() => void finish()} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('mfa.verifyTitle')}>
      <MfaVerifyForm onDone={() => void finish()} />
    </AuthCard>
  );
}
