import { useState, type FormEvent } from 'react';
import { Box, Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CreatePersonInput, UpdatePersonInput, type PersonDetail } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { RequiredNote } from '../../../components/required-note';
import { useFormErrors } from '../../../lib/form';
import { countiesQueryOptions, searchEnterprises } from '../api/registry-api';
import { countyOptions, EDUCATIONS, EMPLOYMENT, GENDERS, optionsOf } from './options';
import { RecordPicker } from './record-picker';

type Values = {
  name: string;
  nationalId: string;
  email: string;
  phone: string;
  birthDate: string;
  gender: string;
  nationality: string;
  countyCode: string;
  education: string;
  employmentStatus: string;
  employerEnterpriseId: string;
  preferredLocale: 'zh-TW' | 'en';
};

const fromPerson = (p: PersonDetail | undefined): Values => ({
  name: p?.name ?? '',
  nationalId: '',
  email: p?.email ?? '',
  phone: p?.phone ?? '',
  birthDate: p?.birthDate ?? '',
  gender: p?.gender ?? '',
  nationality: p?.nationality ?? 'TW',
  countyCode: p?.countyCode ?? '',
  education: p?.education ?? '',
  employmentStatus: p?.employmentStatus ?? '',
  employerEnterpriseId: p?.employerEnterpriseId ?? '',
  preferredLocale: p?.preferredLocale ?? 'zh-TW',
});

/** The input the API takes: empty optional fields are null; an empty ID number keeps the stored one. */
function toInput(v: Values, editing: boolean) {
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    name: v.name,
    email: orNull(v.email),
    phone: orNull(v.phone),
    birthDate: orNull(v.birthDate),
    gender: orNull(v.gender),
    nationality: v.nationality.trim().toUpperCase() || 'TW',
    countyCode: orNull(v.countyCode),
    education: orNull(v.education),
    employmentStatus: orNull(v.employmentStatus),
    employerEnterpriseId: orNull(v.employerEnterpriseId),
    preferredLocale: v.preferredLocale,
    ...(v.nationalId.trim() ? { nationalId: v.nationalId.trim() } : editing ? {} : { nationalId: null }),
  };
}

/** Create or edit a person; each field's error is shown at the field, translated. */
export function PersonForm({
  person,
  saving,
  error,
  onSave,
  onCancel,
}: {
  person?: PersonDetail;
  saving: boolean;
  error: unknown;
  onSave: (input: ReturnType<typeof toInput>, form: ReturnType<typeof useFormErrors>) => void;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation('registry');
  const form = useFormErrors();
  const [v, setV] = useState<Values>(() => fromPerson(person));
  const counties = useQuery(countiesQueryOptions).data;
  const editing = !!person;
  const set = (k: keyof Values) => (e: { currentTarget: { value: string } }) =>
    setV({ ...v, [k]: e.currentTarget.value });
  const opt = t('optional');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = toInput(v, editing);
    if (!form.check(editing ? UpdatePersonInput : CreatePersonInput, input)) return;
    onSave(input, form);
  };

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={editing ? t('person.editTitle') : t('person.createTitle')}
    >
      <RequiredNote />
      <ErrorAlert error={error} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" maw={760}>
        <TextInput
          label={t('fields.name')}
          value={v.name}
          onChange={set('name')}
          error={form.errors.name}
          required
        />
        <TextInput
          label={`${t('fields.nationalId')}${opt}`}
          description={
            person?.nationalIdMasked
              ? t('person.nationalIdKeep', { masked: person.nationalIdMasked })
              : t('person.nationalIdHelp')
          }
          value={v.nationalId}
          onChange={set('nationalId')}
          error={form.errors.nationalId}
          autoComplete="off"
        />
        <TextInput
          label={`${t('fields.email')}${opt}`}
          type="email"
          value={v.email}
          onChange={set('email')}
          error={form.errors.email}
        />
        <TextInput
          label={`${t('fields.phone')}${opt}`}
          type="tel"
          value={v.phone}
          onChange={set('phone')}
          error={form.errors.phone}
        />
        <TextInput
          label={`${t('fields.birthDate')}${opt}`}
          type="date"
          value={v.birthDate}
          onChange={set('birthDate')}
          error={form.errors.birthDate}
        />
        <NativeSelect
          label={`${t('fields.gender')}${opt}`}
          value={v.gender}
          onChange={set('gender')}
          data={optionsOf(t, 'gender', GENDERS, t('notGiven'))}
          error={form.errors.gender}
        />
        <NativeSelect
          label={`${t('fields.countyCode')}${opt}`}
          value={v.countyCode}
          onChange={set('countyCode')}
          data={countyOptions(counties, i18n.language, t('notGiven'))}
          error={form.errors.countyCode}
        />
        <TextInput
          label={t('fields.nationality')}
          description={t('person.nationalityHelp')}
          value={v.nationality}
          onChange={set('nationality')}
          error={form.errors.nationality}
          maxLength={2}
        />
        <NativeSelect
          label={`${t('fields.education')}${opt}`}
          value={v.education}
          onChange={set('education')}
          data={optionsOf(t, 'education', EDUCATIONS, t('notGiven'))}
          error={form.errors.education}
        />
        <NativeSelect
          label={`${t('fields.employmentStatus')}${opt}`}
          value={v.employmentStatus}
          onChange={set('employmentStatus')}
          data={optionsOf(t, 'employmentStatus', EMPLOYMENT, t('notGiven'))}
          error={form.errors.employmentStatus}
        />
        <NativeSelect
          label={t('fields.preferredLocale')}
          value={v.preferredLocale}
          onChange={(e) =>
            setV({ ...v, preferredLocale: e.currentTarget.value as Values['preferredLocale'] })
          }
          data={[
            { value: 'zh-TW', label: t('common:language.zh-TW') },
            { value: 'en', label: t('common:language.en') },
          ]}
        />
      </SimpleGrid>
      <Box mt="md">
        <RecordPicker
          label={t('fields.employer')}
          searchLabel={t('people.employerSearch')}
          value={v.employerEnterpriseId}
          onChange={(id) => setV({ ...v, employerEnterpriseId: id })}
          initial={
            person?.employerEnterpriseId
              ? {
                  value: person.employerEnterpriseId,
                  label: person.employerName ?? person.employerEnterpriseId,
                }
              : null
          }
          search={async (q) =>
            (await searchEnterprises(q)).items.map((e) => ({ value: e.id, label: `${e.name}（${e.ubn}）` }))
          }
          error={form.errors.employerEnterpriseId}
          optional
        />
      </Box>
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
