import { notifications } from '@mantine/notifications';
import i18n from './i18n';

/** A short confirmation toast; its close button is named in the current language. */
export function notify(message: string, color: 'green' | 'red' = 'green') {
  notifications.show({
    message,
    color,
    closeButtonProps: { 'aria-label': i18n.t('common:actions.close') },
  });
}
