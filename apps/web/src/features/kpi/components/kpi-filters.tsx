import { Button, CloseButton, Group, Pill, Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { kpiKeyOfFilter } from '@dtp/contracts';
import { localized } from '../../../lib/localized';
import { programmeQueryOptions, type KpiSearch } from '../api/kpi-api';
import { rocYear } from '@dtp/contracts';
import { useDimensionLabel } from './dimension-label';

/** Filters a cross-filter chip can remove, with the dimension each belongs to. */
const CROSS: { key: keyof KpiSearch; by: string }[] = [
  { key: 'county', by: 'county' },
  { key: 'region', by: 'region' },
  { key: 'industry', by: 'industry' },
  { key: 'sme', by: 'sme' },
  { key: 'gender', by: 'gender' },
  { key: 'age', by: 'age_band' },
];

/** Year, period and measure, and the chips of filters set by clicking a chart. */
export function KpiFilters({
  search,
  onSearch,
  calendar,
}: {
  search: KpiSearch;
  onSearch: (s: KpiSearch) => void;
  calendar: 'roc' | 'gregorian';
}) {
  const { t, i18n } = useTranslation('kpi');
  const programme = useQuery(programmeQueryOptions);
  const label = useDimensionLabel();
  const start = programme.data?.startYear ?? search.year;
  const end = Math.max(programme.data?.endYear ?? search.year, search.year);
  const years = Array.from({ length: end - start + 1 }, (_, i) => start + i).map((y) => ({
    value: String(y),
    label: calendar === 'roc' ? t('filters.rocYear', { roc: rocYear(y), year: y }) : String(y),
  }));
  const measures = (programme.data?.subProgrammes ?? []).flatMap((sp) =>
    sp.measures.map((m) => ({ value: m.code, label: `${m.code} ${localized(m.name, i18n.language)}` })),
  );
  const set = (patch: Partial<KpiSearch>) => onSearch({ ...search, ...patch });
  const chips = CROSS.filter((c) => search[c.key]);

  return (
    <div role="search" aria-label={t('filters.label')}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('filters.year')}
          data={years}
          value={String(search.year)}
          onChange={(v) => v && set({ year: Number(v) })}
          allowDeselect={false}
          w={170}
        />
        <Select
          label={t('filters.period')}
          data={[
            { value: '', label: t('filters.wholeYear') },
            ...[1, 2, 3].map((q) => ({ value: String(q * 3), label: t('filters.throughQuarter', { q }) })),
          ]}
          value={search.through ? String(search.through) : ''}
          onChange={(v) => set({ through: v ? Number(v) : undefined })}
          allowDeselect={false}
          w={190}
        />
        <Select
          label={t('filters.measure')}
          data={[{ value: '', label: t('filters.allMeasures') }, ...measures]}
          value={search.measure ?? ''}
          onChange={(v) => set({ measure: v || undefined })}
          allowDeselect={false}
          searchable
          w={{ base: '100%', sm: 320 }}
        />
      </Group>
      {chips.length > 0 && (
        <Group gap="xs" mt="sm" aria-label={t('filters.chipsLabel')} role="group">
          {chips.map((c) => (
            <Pill key={c.key} size="md">
              <Group gap={4} wrap="nowrap">
                {t(`by.${c.by}`)}：{label(c.by, kpiKeyOfFilter(String(search[c.key])))}
                <CloseButton
                  size="xs"
                  aria-label={t('filters.remove', {
                    name: label(c.by, kpiKeyOfFilter(String(search[c.key]))),
                  })}
                  onClick={() => set({ [c.key]: undefined })}
                />
              </Group>
            </Pill>
          ))}
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={() => set(Object.fromEntries(CROSS.map((c) => [c.key, undefined])))}
          >
            {t('filters.clearAll')}
          </Button>
        </Group>
      )}
    </div>
  );
}
