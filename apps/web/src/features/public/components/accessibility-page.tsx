import { Container, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../components/page-title';

export function AccessibilityPage() {
  const { t } = useTranslation('public');
  return (
    <Container size="md" py="md">
      <PageTitle>{t('accessibility.title')}</PageTitle>
      <Text mb="md">{t('accessibility.body')}</Text>
      <Text>{t('accessibility.feedback')}</Text>
    </Container>
  );
}
