import { Anchor, Container, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from './page-title';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Container size="md" py="xl">
      <PageTitle>{t('notFound.title')}</PageTitle>
      <Text mb="md">{t('notFound.body')}</Text>
      <Anchor component={Link} to="/">
        {t('notFound.home')}
      </Anchor>
    </Container>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t('forbidden.title')}</PageTitle>
      <Text>{t('forbidden.body')}</Text>
    </>
  );
}

export function ErrorPage() {
  const { t } = useTranslation();
  return (
    <Container size="md" py="xl">
      <PageTitle>{t('errorPage.title')}</PageTitle>
      <Text>{t('errorPage.body')}</Text>
    </Container>
  );
}
