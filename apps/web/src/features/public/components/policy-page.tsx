import { Container, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../components/page-title';

/** A policy page drawn from `public:<name>`: title, date, intro and numbered sections. */
export function PolicyPage({
  name,
  sections,
}: {
  name: 'privacy' | 'security';
  sections: readonly string[];
}) {
  const { t } = useTranslation('public');
  return (
    <Container size="md" py="md">
      <PageTitle>{t(`${name}.title`)}</PageTitle>
      <Text size="sm" mb="md">
        {t(`${name}.updated`)}
      </Text>
      <Text mb="lg">{t(`${name}.intro`)}</Text>
      {sections.map((s) => (
        <section key={s} aria-labelledby={`${name}-${s}`}>
          <Title order={2} size="h3" id={`${name}-${s}`} mt="lg" mb="xs">
            {t(`${name}.sections.${s}.title`)}
          </Title>
          <Text>{t(`${name}.sections.${s}.body`)}</Text>
        </section>
      ))}
    </Container>
  );
}
