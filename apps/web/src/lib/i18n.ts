import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '@dtp/contracts';
// Every JSON file under locales/<lng>/ is a namespace named after the file; a feature adds its own
// file (locales/zh-TW/imports.json and locales/en/imports.json) without touching this one.
const files = import.meta.glob<{ default: Record<string, unknown> }>('../locales/*/*.json', { eager: true });
const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [file, mod] of Object.entries(files)) {
  const [, lng, ns] = /locales\/([^/]+)\/([^/]+)\.json$/.exec(file)!;
  (resources[lng!] ??= {})[ns!] = mod.default;
}

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
  resources,
  lng: storedLocale(),
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: ['zh-TW', 'en'],
  defaultNS: 'common',
  ns: Object.keys(resources[DEFAULT_LOCALE] ?? {}),
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
