import type { TFunction } from 'i18next';
import type { County, Industry } from '@dtp/contracts';

export const GENDERS = ['female', 'male', 'other', 'undisclosed'] as const;
export const EDUCATIONS = [
  'junior_high_or_below',
  'senior_high',
  'associate',
  'bachelor',
  'master',
  'doctorate',
] as const;
export const EMPLOYMENT = ['employed', 'self_employed', 'unemployed', 'student', 'retired', 'other'] as const;
export const SME = ['small', 'sme', 'large'] as const;
export const RELATIONS = ['employee', 'successor', 'dt_team'] as const;

/** Select options of a fixed list, translated, after a first "all" or "not given" option. */
export const optionsOf = (t: TFunction, group: string, values: readonly string[], first: string) => [
  { value: '', label: first },
  ...values.map((v) => ({ value: v, label: t(`registry:${group}.${v}`) })),
];

export const countyName = (c: County, lang: string) => (lang === 'en' ? c.nameEn : c.nameZh);
export const countyOptions = (counties: County[] | undefined, lang: string, first: string) => [
  { value: '', label: first },
  ...(counties ?? []).map((c) => ({ value: c.code, label: countyName(c, lang) })),
];
export const sectionOptions = (sections: Industry[] | undefined, lang: string, first: string) => [
  { value: '', label: first },
  ...(sections ?? []).map((s) => ({
    value: s.code,
    label: `${s.code} ${lang === 'en' && s.nameEn ? s.nameEn : s.nameZh}`,
  })),
];
