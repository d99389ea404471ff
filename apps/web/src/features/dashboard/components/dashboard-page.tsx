import { Anchor, Badge, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LIVE_FOR_EVERYONE, liveFor, PLANNED } from '../../../components/features';
import { PageTitle } from '../../../components/page-title';
import { rolesOf, useMe } from '../../../lib/session';

export function DashboardPage() {
  const { t } = useTranslation('admin');
  const me = useMe();
  if (!me) return null;
  const roles = rolesOf(me);
  return (
    <>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <Text mb="xs">{t('dashboard.welcome', { name: me.account.displayName })}</Text>
      <Group gap="xs" mb="lg">
        <Text size="sm">{t('dashboard.yourRoles')}</Text>
        {roles.length === 0 ? (
          <Text size="sm">{t('dashboard.noRoles')}</Text>
        ) : (
          roles.map((r) => (
            <Badge key={r} variant="outline" color="blue.9">
              {t(`common:roles.${r}`)}
            </Badge>
          ))
        )}
      </Group>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Card withBorder component="section" aria-labelledby="dash-account">
          <Title order={2} size="h3" id="dash-account" mb="xs">
            {t('dashboard.accountTitle')}
          </Title>
          <Text size="sm" mb="sm">
            {me.account.mfaEnabled ? t('dashboard.mfaOn') : t('dashboard.mfaOff')}
          </Text>
          <Anchor component={Link} to="/account">
            {t('dashboard.accountLink')}
          </Anchor>
          <Text fw={600} size="sm" mt="md" mb={4}>
            {t('dashboard.forEveryone')}
          </Text>
          <List size="sm" spacing={4}>
            {LIVE_FOR_EVERYONE.filter((l) => l.to !== '/account').map((l) => (
              <List.Item key={l.to}>
                <Anchor component={Link} to={l.to}>
                  {t(l.labelKey, { ns: 'common' })}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Card>
        {roles.map((r) => (
          <Card key={r} withBorder component="section" aria-labelledby={`dash-${r}`}>
            <Title order={2} size="h3" id={`dash-${r}`} mb="xs">
              {t(`common:roles.${r}`)}
            </Title>
            <Stack gap="sm">
              {liveFor(r).length > 0 && (
                <div>
                  <Text fw={600} size="sm" mb={4}>
                    {t('dashboard.availableNow')}
                  </Text>
                  <List size="sm" spacing={4}>
                    {liveFor(r).map((l) => (
                      <List.Item key={l.to}>
                        <Anchor component={Link} to={l.to}>
                          {t(l.labelKey, { ns: 'common' })}
                        </Anchor>
                      </List.Item>
                    ))}
                  </List>
                </div>
              )}
              {PLANNED[r].length > 0 && (
                <div>
                  <Text fw={600} size="sm" mb={4}>
                    {t('dashboard.comingTitle')}
                  </Text>
                  <List size="sm" spacing={4}>
                    {PLANNED[r].map((k) => (
                      <List.Item key={k}>
                        {t(`dashboard.coming.${r}.${k}`)}{' '}
                        <Badge size="xs" variant="outline" color="gray.8">
                          {t('common:comingSoon')}
                        </Badge>
                      </List.Item>
                    ))}
                  </List>
                </div>
              )}
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
