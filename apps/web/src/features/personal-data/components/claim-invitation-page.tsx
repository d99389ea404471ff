import { Alert, Anchor, Button, Card, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { useMe } from '../../../lib/session';
import { useAcceptInvitation } from '../api/personal-data-api';

/** Followed from the invitation e-mail, signed in: links the invited record to this account. */
export function ClaimInvitationPage({ token }: { token: string }) {
  const { t } = useTranslation('personalData');
  const me = useMe();
  const accept = useAcceptInvitation();
  return (
    <>
      <PageTitle>{t('invitation.title')}</PageTitle>
      <Card withBorder padding="lg" maw={640}>
        {accept.isSuccess ? (
          <Stack>
            <Alert role="status" title={t('invitation.doneTitle')}>
              {t('invitation.done')}
            </Alert>
            <Anchor component={Link} to="/me/personal-data">
              {t('invitation.toMine')}
            </Anchor>
          </Stack>
        ) : !token ? (
          <ErrorAlert error={new Error('no token')} />
        ) : (
          <Stack>
            <Text>{t('invitation.intro', { email: me?.account.email ?? '' })}</Text>
            <ErrorAlert error={accept.error} />
            <Button onClick={() => accept.mutate(token)} loading={accept.isPending}>
              {t('invitation.accept')}
            </Button>
          </Stack>
        )}
      </Card>
    </>
  );
}
