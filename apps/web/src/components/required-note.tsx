import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Forms mark optional fields "(optional)"; this says every other field is required. */
export function RequiredNote() {
  const { t } = useTranslation();
  return (
    <Text size="sm" mb="xs">
      {t('form.allRequired')}
    </Text>
  );
}
