import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '@dtp/contracts';
import zhCommon from '../locales/zh-TW/common.json';
import zhErrors from '../locales/zh-TW/errors.json';
import zhPublic from '../locales/zh-TW/public.json';
import zhAuth from '../locales/zh-TW/auth.json';
import zhAdmin from '../locales/zh-TW/admin.json';
import enCommon from '../locales/en/common.json';
import enErrors from '../locales/en/errors.json';
import enPublic from '../locales/en/public.json';
import enAuth from '../locales/en/auth.json';
import enAdmin from '../locales/en/admin.json';

const STORAGE_KEY = 'dtp.locale';
export const DEFAULT_LOCALE: Locale = 'zh-TW';

function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' || v === 'zh-TW' ? v : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/** The `lang` attribute of <html> for a locale. */
export const htmlLang = (l: string) => (l === 'en' ? 'en' : 'zh-Hant-TW');

void i18n.use(initReactI18next).init({
  resources: {
    'zh-TW': { common: zhCommon, errors: zhErrors, public: zhPublic, auth: zhAuth, admin: zhAdmin },
    en: { common: enCommon, errors: enErrors, public: enPublic, auth: enAuth, admin: enAdmin },
  },
  lng: storedLocale(),
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: ['zh-TW', 'en'],
  defaultNS: 'common',
  ns: ['common', 'errors', 'public', 'auth', 'admin'],
  interpolation: { escapeValue: false },
  returnNull: false,
});

const applyLang = (l: string) => {
  document.documentElement.lang = htmlLang(l);
};
applyLang(i18n.language);
i18n.on('languageChanged', (l) => {
  applyLang(l);
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // storage may be off; the choice then lasts for this page only
  }
});

export const currentLocale = (): Locale => (i18n.language === 'en' ? 'en' : 'zh-TW');

export default i18n;
