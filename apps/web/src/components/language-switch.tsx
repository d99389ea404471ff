import { useEffect, useRef } from 'react';
import { Button } from '@mantine/core';
import { IconLanguage } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Me } from '@dtp/contracts';
import { api } from '../lib/api';
import { meQueryOptions, useMe } from '../lib/session';

const CHOSEN_KEY = 'dtp.localeChosen';
const markChosen = () => {
  try {
    sessionStorage.setItem(CHOSEN_KEY, '1');
  } catch {
    // no storage: the account's language will win at sign-in
  }
};
const wasChosen = () => {
  try {
    return sessionStorage.getItem(CHOSEN_KEY) === '1';
  } catch {
    return false;
  }
};

/** Switches between 中文 and English; remembered in the browser and, when signed in, on the account. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const next = i18n.language === 'en' ? 'zh-TW' : 'en';
  const onClick = async () => {
    markChosen();
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

/**
 * Once the account is known: a language picked in this tab before signing in is saved on the
 * account; otherwise the account's language is shown.
 */
export function useAccountLocale() {
  const { i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (!me) {
      done.current = null;
      return;
    }
    const key = `${me.account.id}:${me.stage}`;
    if (done.current === key) return;
    done.current = key;
    const l = me.account.locale;
    if (i18n.language === l) return;
    if (!wasChosen()) {
      void i18n.changeLanguage(l);
    } else if (me.stage === 'signed_in') {
      api
        .patch<Me>('/api/auth/me', { locale: i18n.language })
        .then((updated) => qc.setQueryData(meQueryOptions.queryKey, updated))
        .catch(() => undefined);
    }
  }, [me, i18n, qc]);
}
