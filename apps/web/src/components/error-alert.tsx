import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../lib/errors';
import { useDates } from '../lib/session';

/** A translated error: the reason, else the code; never the server's English message. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const { calendar } = useDates();
  if (!error) return null;
  return (
    <Alert
      color="red"
      variant="outline"
      icon={<IconAlertCircle aria-hidden />}
      title={title}
      role="alert"
      mb="md"
      c="red.9"
    >
      {errorText(t, error, calendar)}
    </Alert>
  );
}
