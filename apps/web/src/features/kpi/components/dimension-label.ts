import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { countiesQueryOptions, sectionsQueryOptions } from '../api/kpi-api';

/** The words for a breakdown key: a county's name, an industry section, a region, a month … */
export function useDimensionLabel() {
  const { t, i18n } = useTranslation('kpi');
  const counties = useQuery(countiesQueryOptions);
  const sections = useQuery(sectionsQueryOptions);
  const en = i18n.language === 'en';
  return (by: string, key: string): string => {
    if (key === '') return t('unknown');
    switch (by) {
      case 'month':
        return t('monthN', { n: key });
      case 'county': {
        const c = counties.data?.find((x) => x.code === key);
        return c ? (en ? c.nameEn : c.nameZh) : key;
      }
      case 'industry': {
        const s = sections.data?.find((x) => x.section === key);
        return s ? `${key} ${en && s.nameEn ? s.nameEn : s.nameZh}` : key;
      }
      case 'region':
      case 'sme':
      case 'gender':
      case 'age_band':
        return t(`${by}.${key}`, { defaultValue: key });
      default:
        return key;
    }
  };
}
