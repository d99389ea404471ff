import {
  Anchor,
  Badge,
  Button,
  Card,
  Container,
  Group,
  List,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowRight, IconCheck } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { CHAIN, LIVE } from '../../../components/features';
import { PageTitle } from '../../../components/page-title';
import { useMe } from '../../../lib/session';

const PROGRAMME = ['p1', 'p2', 'p3'] as const;

export function HomePage() {
  const { t } = useTranslation('public');
  const me = useMe();
  return (
    <Container size="lg" py="md">
      <PageTitle>{t('home.title')}</PageTitle>
      <Text size="lg" mb="lg" maw={820}>
        {t('home.lead')}
      </Text>
      <Group mb="xl">
        {me?.stage === 'signed_in' ? (
          <Button component={Link} to="/dashboard" size="md" rightSection={<IconArrowRight aria-hidden />}>
            {t('home.ctaDashboard')}
          </Button>
        ) : (
          <>
            <Button component={Link} to="/sign-in" size="md">
              {t('home.ctaSignIn')}
            </Button>
            <Button component={Link} to="/sign-up" size="md" variant="outline">
              {t('home.ctaSignUp')}
            </Button>
          </>
        )}
      </Group>

      <section aria-labelledby="chain-title">
        <Title order={2} id="chain-title" mb="xs">
          {t('home.chainTitle')}
        </Title>
        <Text mb="md">{t('home.chainIntro')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }} mb="xl">
          {CHAIN.map(({ key: k, to }, i) => (
            <Card key={k} withBorder padding="md" data-testid={`chain-${k}`}>
              <Stack gap="xs">
                <Text fw={700} size="sm">
                  {i + 1}
                </Text>
                <Title order={3} size="h4">
                  {t(`home.chain.${k}.title`)}
                </Title>
                <Text size="sm">{t(`home.chain.${k}.body`)}</Text>
                {to ? (
                  <Group gap="xs">
                    <Badge variant="outline" color="blue.9">
                      {t('home.statusNow')}
                    </Badge>
                    <Anchor component={Link} to={to} size="sm">
                      {t('home.open', { name: t(`home.chain.${k}.title`) })}
                    </Anchor>
                  </Group>
                ) : (
                  <Badge variant="outline" color="gray.8">
                    {t('common:comingSoon')}
                  </Badge>
                )}
              </Stack>
            </Card>
          ))}
        </SimpleGrid>
      </section>

      <section aria-labelledby="now-title">
        <Title order={2} id="now-title" mb="sm">
          {t('home.nowTitle')}
        </Title>
        <Text mb="sm">{t('home.nowIntro')}</Text>
        <List
          spacing="xs"
          mb="xl"
          icon={<IconCheck size={18} aria-hidden color="#2b8a3e" />}
          data-testid="live-features"
        >
          {LIVE.map((f) => (
            <List.Item key={f.to}>
              <Anchor component={Link} to={f.to}>
                {t(f.labelKey, { ns: 'common' })}
              </Anchor>
              {t('home.forWhom', {
                who: f.roles
                  ? f.roles.map((r) => t(`common:roles.${r}`)).join(t('home.listSeparator'))
                  : t('home.everyone'),
              })}
            </List.Item>
          ))}
        </List>
      </section>

      <section aria-labelledby="programme-title">
        <Title order={2} id="programme-title" mb="sm">
          {t('home.programmeTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 3 }} mb="xl">
          {PROGRAMME.map((k) => (
            <Card key={k} withBorder>
              <Title order={3} size="h4" mb="xs">
                {t(`home.programme.${k}.title`)}
              </Title>
              <Text size="sm">{t(`home.programme.${k}.body`)}</Text>
            </Card>
          ))}
        </SimpleGrid>
      </section>

      <section aria-labelledby="roles-title">
        <Title order={2} id="roles-title" mb="sm">
          {t('home.rolesTitle')}
        </Title>
        <Text>{t('home.rolesBody')}</Text>
      </section>
    </Container>
  );
}
