import { useState, type FormEvent } from 'react';
import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CreateEnterpriseInput, UpdateEnterpriseInput, type EnterpriseDetail } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { RequiredNote } from '../../../components/required-note';
import { useFormErrors } from '../../../lib/form';
import { countiesQueryOptions } from '../api/registry-api';
import { countyOptions } from './options';

type Values = {
  ubn: string;
  name: string;
  industryCode: string;
  countyCode: string;
  address: string;
  paidInCapitalTwd: string;
  regularEmployees: string;
};

const fromEnterprise = (e: EnterpriseDetail | undefined): Values => ({
  ubn: e?.ubn ?? '',
  name: e?.name ?? '',
  industryCode: e?.industryCode ?? '',
  countyCode: e?.countyCode ?? '',
  address: e?.address ?? '',
  paidInCapitalTwd: e?.paidInCapitalTwd == null ? '' : String(e.paidInCapitalTwd),
  regularEmployees: e?.regularEmployees == null ? '' : String(e.regularEmployees),
});

/** A number typed with or without thousands separators; anything else stays text so zod names it. */
const num = (s: string): number | string | null => {
  const v = s.replace(/[,\s]/g, '');
  if (v === '') return null;
  return /^\d+$/.test(v) ? Number(v) : v;
};

function toInput(v: Values) {
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    ubn: v.ubn.trim(),
    name: v.name,
    industryCode: orNull(v.industryCode),
    countyCode: orNull(v.countyCode),
    address: orNull(v.address),
    paidInCapitalTwd: num(v.paidInCapitalTwd),
    regularEmployees: num(v.regularEmployees),
  };
}
export type EnterpriseFormInput = ReturnType<typeof toInput>;

/**
 * Create or edit an enterprise; a 統一編號 failing its checksum is named at the field. With
 * `ubnLocked` (a representative editing their company) the 統一編號 is shown read-only and not sent:
 * only staff change it.
 */
export function EnterpriseForm({
  enterprise,
  ubnLocked = false,
  saving,
  error,
  onSave,
  onCancel,
}: {
  enterprise?: EnterpriseDetail;
  ubnLocked?: boolean;
  saving: boolean;
  error: unknown;
  onSave: (input: EnterpriseFormInput, form: ReturnType<typeof useFormErrors>) => void;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation('registry');
  const form = useFormErrors();
  const [v, setV] = useState<Values>(() => fromEnterprise(enterprise));
  const counties = useQuery(countiesQueryOptions).data;
  const set = (k: keyof Values) => (e: { currentTarget: { value: string } }) =>
    setV({ ...v, [k]: e.currentTarget.value });
  const opt = t('optional');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const { ubn, ...rest } = toInput(v);
    const input = ubnLocked ? rest : { ubn, ...rest };
    if (!form.check(enterprise ? UpdateEnterpriseInput : CreateEnterpriseInput, input)) return;
    onSave(input as EnterpriseFormInput, form);
  };
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={enterprise ? t('enterprise.editTitle') : t('enterprise.createTitle')}
    >
      <RequiredNote />
      <ErrorAlert error={error} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" maw={760}>
        <TextInput
          label={t('fields.ubn')}
          description={ubnLocked ? t('enterprise.ubnStaffOnly') : t('enterprise.ubnHelp')}
          value={v.ubn}
          onChange={set('ubn')}
          error={form.errors.ubn}
          inputMode="numeric"
          maxLength={8}
          readOnly={ubnLocked}
          required={!ubnLocked}
        />
        <TextInput
          label={t('fields.enterpriseName')}
          value={v.name}
          onChange={set('name')}
          error={form.errors.name}
          required
        />
        <TextInput
          label={`${t('fields.industryCode')}${opt}`}
          description={t('enterprise.industryHelp')}
          value={v.industryCode}
          onChange={set('industryCode')}
          error={form.errors.industryCode}
          inputMode="numeric"
          maxLength={4}
        />
        <NativeSelect
          label={`${t('fields.countyCode')}${opt}`}
          value={v.countyCode}
          onChange={set('countyCode')}
          data={countyOptions(counties, i18n.language, t('notGiven'))}
          error={form.errors.countyCode}
        />
        <TextInput
          label={`${t('fields.address')}${opt}`}
          value={v.address}
          onChange={set('address')}
          error={form.errors.address}
        />
        <TextInput
          label={`${t('fields.paidInCapitalTwd')}${opt}`}
          value={v.paidInCapitalTwd}
          onChange={set('paidInCapitalTwd')}
          error={form.errors.paidInCapitalTwd}
          inputMode="numeric"
        />
        <TextInput
          label={`${t('fields.regularEmployees')}${opt}`}
          description={t('enterprise.smeHelp')}
          value={v.regularEmployees}
          onChange={set('regularEmployees')}
          error={form.errors.regularEmployees}
          inputMode="numeric"
        />
      </SimpleGrid>
      <Group mt="md">
        <Button type="submit" loading={saving}>
          {t('common:actions.save')}
        </Button>
        {onCancel && (
          <Button variant="subtle" onClick={onCancel}>
            {t('common:actions.cancel')}
          </Button>
        )}
      </Group>
    </form>
  );
}
