import { Button } from '@mantine/core';
import { IconLanguage } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Me } from '@dtp/contracts';
import { api } from '../lib/api';
import { meQueryOptions, useMe } from '../lib/session';

/** Switches between 中文 and English; remembered in the browser and, when signed in, on the account. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const next = i18n.language === 'en' ? 'zh-TW' : 'en';
  const onClick = async () => {
    await i18n.changeLanguage(next);
    if (me?.stage === 'signed_in') {
      try {
        const updated = await api.patch<Me>('/api/auth/me', { locale: next });
        qc.setQueryData(meQueryOptions.queryKey, updated);
      } catch {
        // the page already shows the new language; the account keeps the old one until next time
      }
    }
  };
  return (
    <Button
      variant="subtle"
      size="compact-md"
      leftSection={<IconLanguage size={18} aria-hidden />}
      onClick={() => void onClick()}
      lang={next === 'en' ? 'en' : 'zh-Hant-TW'}
      aria-label={t('language.switchToLabel')}
      data-testid="language-switch"
    >
      {t('language.switchTo')}
    </Button>
  );
}
