import { useEffect, useRef } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useSignOut } from '../api/auth-api';
import { AuthCard } from './auth-card';

export function SignOutPage() {
  const { t } = useTranslation('auth');
  const signOut = useSignOut();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    signOut.mutate();
  }, [signOut]);
  return (
    <AuthCard title={t('signOut.title')}>
      <Text role="status" mb="md">
        {signOut.isPending || signOut.isIdle ? t('signOut.pending') : t('signOut.done')}
      </Text>
      <Group>
        <Button component={Link} to="/sign-in">
          {t('signOut.signInAgain')}
        </Button>
        <Button component={Link} to="/" variant="outline">
          {t('common:nav.home')}
        </Button>
      </Group>
    </AuthCard>
  );
}
