import { Anchor, Container, List, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../components/page-title';

type Entry = { to: string; key: string };
const GROUPS: { titleKey: string; entries: Entry[] }[] = [
  {
    titleKey: 'publicPages',
    entries: [
      { to: '/', key: 'home' },
      { to: '/sitemap', key: 'siteMap' },
      { to: '/privacy', key: 'privacy' },
      { to: '/security', key: 'security' },
      { to: '/accessibility', key: 'accessibility' },
    ],
  },
  {
    titleKey: 'accountPages',
    entries: [
      { to: '/sign-in', key: 'signIn' },
      { to: '/sign-up', key: 'signUp' },
      { to: '/forgot-password', key: 'forgot' },
    ],
  },
  {
    titleKey: 'signedInPages',
    entries: [
      { to: '/dashboard', key: 'dashboard' },
      { to: '/account', key: 'account' },
    ],
  },
  {
    titleKey: 'adminPages',
    entries: [
      { to: '/admin/accounts', key: 'accounts' },
      { to: '/admin/agencies', key: 'agencies' },
      { to: '/admin/settings', key: 'settings' },
      { to: '/admin/audit', key: 'audit' },
      { to: '/admin/mail', key: 'mail' },
    ],
  },
];

export function SiteMapPage() {
  const { t } = useTranslation('public');
  return (
    <Container size="md" py="md">
      <PageTitle>{t('siteMap.title')}</PageTitle>
      <Text mb="lg">{t('siteMap.intro')}</Text>
      <Title order={2} size="h3" mb="xs">
        {t('siteMap.accesskeyTitle')}
      </Title>
      <Text mb="sm">{t('siteMap.accesskeyIntro')}</Text>
      <List mb="sm" spacing="xs">
        <List.Item>{t('siteMap.keys.u')}</List.Item>
        <List.Item>{t('siteMap.keys.c')}</List.Item>
        <List.Item>{t('siteMap.keys.z')}</List.Item>
      </List>
      <Text mb="lg">{t('siteMap.skipNote')}</Text>
      <Title order={2} size="h3" mb="xs">
        {t('siteMap.structureTitle')}
      </Title>
      {GROUPS.map((g) => (
        <section key={g.titleKey}>
          <Title order={3} size="h4" mt="md" mb="xs">
            {t(`siteMap.${g.titleKey}`)}
          </Title>
          <List spacing={4}>
            {g.entries.map((e) => (
              <List.Item key={e.to}>
                <Anchor component={Link} to={e.to}>
                  {t(`siteMap.pages.${e.key}`)}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </section>
      ))}
    </Container>
  );
}
