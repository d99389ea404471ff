import type { LocalizedText } from '@dtp/contracts';

/** A two-language text in the current language, falling back to zh-TW (always present). */
export const localized = (text: LocalizedText | null | undefined, lang: string): string =>
  !text ? '' : lang === 'en' && text.en ? text.en : text['zh-TW'];
