import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Kpi, KpiTarget } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { errorText, fieldIssueText } from '../../../lib/errors';
import { ApiError } from '../../../lib/api';
import { localized } from '../../../lib/localized';
import { notify } from '../../../lib/notify';
import { useDates } from '../../../lib/session';
import {
  kpiDefinitionsQueryOptions,
  programmeQueryOptions,
  targetsQueryOptions,
  useSetKpiActive,
  useSetTarget,
} from '../api/kpi-api';
import { rocYear, todayIso } from '@dtp/contracts';

const WHOLE = '';

function KpiTargetsCard({ kpi, year, targets }: { kpi: Kpi; year: number; targets: KpiTarget[] }) {
  const { t, i18n } = useTranslation('kpi');
  const setTarget = useSetTarget(year);
  const setActive = useSetKpiActive();
  const slots = [WHOLE, ...kpi.measureCodes];
  const stored = (m: string) => targets.find((x) => (x.measureCode ?? WHOLE) === m)?.target;
  const [draft, setDraft] = useState<Record<string, number | ''>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setDraft(Object.fromEntries(slots.map((m) => [m, stored(m) ?? '']))), [targets, year]);
  const dirty = slots.filter((m) => draft[m] !== '' && draft[m] !== undefined && draft[m] !== stored(m));

  const save = async () => {
    const next: Record<string, string> = {};
    for (const m of dirty) {
      try {
        await setTarget.mutateAsync({ kpiCode: kpi.code, measureCode: m || null, target: Number(draft[m]) });
      } catch (e) {
        next[m] = e instanceof ApiError && e.fields[0] ? fieldIssueText(t, e.fields[0]) : errorText(t, e);
      }
    }
    setErrors(next);
    if (!Object.keys(next).length) notify(t('targets.saved', { code: kpi.code }));
  };

  return (
    <Card withBorder component="section" aria-labelledby={`targets-${kpi.code}`} padding="sm">
      <Group justify="space-between" wrap="wrap" mb="xs">
        <Title order={2} size="h4" id={`targets-${kpi.code}`}>
          {kpi.code} {localized(kpi.name, i18n.language)}
        </Title>
        <Group gap="xs">
          {!kpi.measured && (
            <Badge variant="outline" color="gray.7" c="gray.9">
              {t('notMeasured')}
            </Badge>
          )}
          <Switch
            label={t('targets.active')}
            checked={kpi.active}
            onChange={(e) => setActive.mutate({ code: kpi.code, active: e.currentTarget.checked })}
          />
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {slots.map((m) => (
          <NumberInput
            key={m || 'whole'}
            label={m ? t('targets.measure', { code: m }) : t('targets.whole')}
            description={t(`unit.${kpi.unit}`)}
            value={draft[m] ?? ''}
            min={0}
            thousandSeparator=","
            onChange={(v) => setDraft({ ...draft, [m]: v === '' ? '' : Number(v) })}
            error={errors[m]}
          />
        ))}
      </SimpleGrid>
      <Group justify="flex-end" mt="xs">
        <Button size="sm" onClick={() => void save()} disabled={!dirty.length} loading={setTarget.isPending}>
          {t('targets.save')}
        </Button>
      </Group>
    </Card>
  );
}

/** Yearly targets per KPI and measure, and which KPIs the programme keeps, edited without code. */
export function KpiTargetsPage() {
  const { t } = useTranslation('kpi');
  const { calendar } = useDates();
  const programme = useQuery(programmeQueryOptions);
  const [year, setYear] = useState(Number(todayIso().slice(0, 4)));
  const kpis = useQuery(kpiDefinitionsQueryOptions);
  const targets = useQuery(targetsQueryOptions(year));
  const start = programme.data?.startYear ?? year;
  const end = programme.data?.endYear ?? year;
  const years = Array.from({ length: end - start + 1 }, (_, i) => start + i).map((y) => ({
    value: String(y),
    label: calendar === 'roc' ? t('filters.rocYear', { roc: rocYear(y), year: y }) : String(y),
  }));
  return (
    <>
      <PageTitle>{t('targets.title')}</PageTitle>
      <Text mb="md">{t('targets.intro')}</Text>
      <Select
        label={t('filters.year')}
        data={years}
        value={String(year)}
        onChange={(v) => v && setYear(Number(v))}
        allowDeselect={false}
        w={170}
        mb="md"
      />
      <ErrorAlert error={kpis.error ?? targets.error} />
      {!kpis.data || !targets.data ? (
        <Text>{t('common:loading')}</Text>
      ) : (
        <Stack>
          {kpis.data.map((k) => (
            <KpiTargetsCard
              key={k.code}
              kpi={k}
              year={year}
              targets={targets.data.filter((x) => x.kpiCode === k.code)}
            />
          ))}
        </Stack>
      )}
    </>
  );
}
