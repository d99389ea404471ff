import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  AssignAgencyInput,
  CreateMeasureInput,
  UpdateMeasureInput,
  type Measure,
  type MeasureAgency,
  type ProgrammeStructure,
} from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { RequiredNote } from '../../../components/required-note';
import { TableScroll } from '../../../components/table-scroll';
import { COLOR_NEUTRAL, COLOR_OK } from '../../../lib/colors';
import { todayIso } from '@dtp/contracts';
import { useFormErrors } from '../../../lib/form';
import { localized } from '../../../lib/localized';
import { notify } from '../../../lib/notify';
import { rolesOf, useDates, useMe } from '../../../lib/session';
import {
  agenciesQueryOptions,
  structureQueryOptions,
  useAssignAgency,
  useCreateMeasure,
  useEndAssignment,
  useUpdateMeasure,
} from '../api/programme-api';

type Dialog =
  | { kind: 'edit'; measure: Measure }
  | { kind: 'assign'; measure: Measure }
  | { kind: 'end'; measure: Measure; assignment: MeasureAgency }
  | null;

/** Programme → sub-programmes → measures with their executing agencies; the programme office edits. */
export function ProgrammePage() {
  const { t, i18n } = useTranslation('programme');
  const { data, error, isPending } = useQuery(structureQueryOptions);
  const canEdit = rolesOf(useMe()).includes('pmo');
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  if (isPending) return <Text>{t('common:loading')}</Text>;
  if (!data)
    return (
      <>
        <PageTitle>{t('title')}</PageTitle>
        <ErrorAlert error={error} />
      </>
    );
  return (
    <>
      <PageTitle>{t('title')}</PageTitle>
      <Title order={2} size="h3" mb={4}>
        {localized(data.name, i18n.language)}
      </Title>
      <Text mb="xs">{localized(data.description, i18n.language)}</Text>
      <Text size="sm" mb="lg">
        {t('years', { from: data.startYear, to: data.endYear })}
      </Text>
      <Stack gap="lg">
        {data.subProgrammes.map((sp) => (
          <Card key={sp.id} withBorder component="section" aria-labelledby={`sp-${sp.code}`} padding="lg">
            <Title order={2} size="h4" id={`sp-${sp.code}`} mb="sm">
              {t('subProgramme', { code: sp.code })} {localized(sp.name, i18n.language)}
            </Title>
            <MeasuresTable measures={sp.measures} canEdit={canEdit} onDialog={setDialog} />
          </Card>
        ))}
        {canEdit && <AddMeasureForm structure={data} />}
      </Stack>
      <Modal
        opened={!!dialog}
        onClose={close}
        title={
          dialog?.kind === 'edit'
            ? t('edit.title', { code: dialog.measure.code })
            : dialog?.kind === 'assign'
              ? t('assign.title', { code: dialog.measure.code })
              : t('end.title')
        }
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        {dialog?.kind === 'edit' && <EditMeasureForm measure={dialog.measure} onDone={close} />}
        {dialog?.kind === 'assign' && <AssignForm measure={dialog.measure} onDone={close} />}
        {dialog?.kind === 'end' && <EndForm assignment={dialog.assignment} onDone={close} />}
      </Modal>
    </>
  );
}

function MeasuresTable({
  measures,
  canEdit,
  onDialog,
}: {
  measures: Measure[];
  canEdit: boolean;
  onDialog: (d: Dialog) => void;
}) {
  const { t, i18n } = useTranslation('programme');
  const { date } = useDates();
  const today = todayIso();
  if (measures.length === 0) return <Text>{t('noMeasures')}</Text>;
  return (
    <TableScroll label={t('measuresCaption')} minWidth={720}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={70}>
              {t('code')}
            </Table.Th>
            <Table.Th scope="col">{t('measure')}</Table.Th>
            <Table.Th scope="col">{t('agencies')}</Table.Th>
            {canEdit && <Table.Th scope="col">{t('action')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {measures.map((m) => (
            <Table.Tr key={m.id} data-testid={`measure-${m.code}`}>
              <Table.Td className="mono">{m.code}</Table.Td>
              <Table.Td>
                <Text fw={600}>
                  {localized(m.name, i18n.language)}
                  {m.archived && (
                    <Badge ml="xs" variant="outline" color={COLOR_NEUTRAL}>
                      {t('archived')}
                    </Badge>
                  )}
                </Text>
                <Text size="sm">{localized(m.description, i18n.language)}</Text>
              </Table.Td>
              <Table.Td>
                {m.agencies.length === 0 ? (
                  <Text size="sm">{t('noAgency')}</Text>
                ) : (
                  <List size="sm" spacing={4} listStyleType="none" pl={0}>
                    {m.agencies.map((a) => {
                      const active = !a.validTo || a.validTo >= today;
                      return (
                        <List.Item key={a.id}>
                          <Group gap={6} wrap="wrap">
                            <Badge variant="outline" color={active ? COLOR_OK : COLOR_NEUTRAL} size="sm">
                              {active ? t('active') : t('ended')}
                            </Badge>
                            <span>{localized(a.agencyName, i18n.language)}</span>
                            <span>
                              {date(a.validFrom)}–{a.validTo ? date(a.validTo) : t('open')}
                            </span>
                            {canEdit && active && (
                              <Button
                                size="compact-xs"
                                variant="subtle"
                                color="red.9"
                                onClick={() => onDialog({ kind: 'end', measure: m, assignment: a })}
                                aria-label={t('end.label', {
                                  agency: localized(a.agencyName, i18n.language),
                                })}
                              >
                                {t('end.button')}
                              </Button>
                            )}
                          </Group>
                        </List.Item>
                      );
                    })}
                  </List>
                )}
              </Table.Td>
              {canEdit && (
                <Table.Td>
                  <Stack gap={4}>
                    <Button
                      size="compact-sm"
                      variant="outline"
                      onClick={() => onDialog({ kind: 'edit', measure: m })}
                      aria-label={t('edit.label', { code: m.code })}
                    >
                      {t('edit.button')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="outline"
                      onClick={() => onDialog({ kind: 'assign', measure: m })}
                      aria-label={t('assign.label', { code: m.code })}
                    >
                      {t('assign.button')}
                    </Button>
                  </Stack>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </TableScroll>
  );
}

type TextPair = { zh: string; en: string };
const toLocalized = (p: TextPair) => ({ 'zh-TW': p.zh.trim(), ...(p.en.trim() ? { en: p.en.trim() } : {}) });

function LocalizedFields({
  label,
  value,
  onChange,
  errors,
  field,
  multiline = false,
}: {
  label: string;
  value: TextPair;
  onChange: (v: TextPair) => void;
  errors: Record<string, string>;
  field: string;
  multiline?: boolean;
}) {
  const { t } = useTranslation('programme');
  const Input = multiline ? Textarea : TextInput;
  return (
    <>
      <Input
        label={`${label}${t('zh')}`}
        value={value.zh}
        onChange={(e) => onChange({ ...value, zh: e.currentTarget.value })}
        error={errors[`${field}.zh-TW`] ?? errors[field]}
        required
        withAsterisk={false}
        autosize={multiline || undefined}
      />
      <Input
        label={`${label}${t('en')}${t('optional')}`}
        value={value.en}
        onChange={(e) => onChange({ ...value, en: e.currentTarget.value })}
        error={errors[`${field}.en`]}
        autosize={multiline || undefined}
      />
    </>
  );
}

function AddMeasureForm({ structure }: { structure: ProgrammeStructure }) {
  const { t, i18n } = useTranslation('programme');
  const create = useCreateMeasure();
  const form = useFormErrors();
  const [sub, setSub] = useState(structure.subProgrammes[0]?.code ?? '1');
  const [code, setCode] = useState('');
  const [name, setName] = useState<TextPair>({ zh: '', en: '' });
  const [desc, setDesc] = useState<TextPair>({ zh: '', en: '' });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = {
      subProgrammeCode: sub,
      code: code.trim(),
      name: toLocalized(name),
      description: toLocalized(desc),
    };
    const extra =
      input.code && !input.code.startsWith(`${sub}.`)
        ? { code: t('add.codePrefix', { prefix: `${sub}.` }) }
        : {};
    if (!form.check(CreateMeasureInput, input, extra)) return;
    create.mutate(input, {
      onSuccess: () => {
        notify(t('add.done', { code: input.code }));
        setCode('');
        setName({ zh: '', en: '' });
        setDesc({ zh: '', en: '' });
      },
      onError: form.fromApi,
    });
  };
  return (
    <Card withBorder component="section" aria-labelledby="add-measure-title" padding="lg">
      <Title order={2} size="h4" id="add-measure-title" mb="xs">
        {t('add.title')}
      </Title>
      <RequiredNote />
      <ErrorAlert error={create.error} />
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm" maw={640}>
          <NativeSelect
            label={t('add.subProgramme')}
            value={sub}
            onChange={(e) => setSub(e.currentTarget.value)}
            data={structure.subProgrammes.map((s) => ({
              value: s.code,
              label: `${s.code} ${localized(s.name, i18n.language)}`,
            }))}
          />
          <TextInput
            label={t('code')}
            description={t('add.codeHelp', { example: `${sub}.9` })}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            error={form.errors.code}
            required
          />
          <LocalizedFields
            label={t('name')}
            value={name}
            onChange={setName}
            errors={form.errors}
            field="name"
          />
          <LocalizedFields
            label={t('description')}
            value={desc}
            onChange={setDesc}
            errors={form.errors}
            field="description"
            multiline
          />
        </Stack>
        <Button
          type="submit"
          mt="md"
          leftSection={<IconPlus size={16} aria-hidden />}
          loading={create.isPending}
        >
          {t('add.button')}
        </Button>
      </form>
    </Card>
  );
}

function EditMeasureForm({ measure, onDone }: { measure: Measure; onDone: () => void }) {
  const { t } = useTranslation('programme');
  const update = useUpdateMeasure();
  const form = useFormErrors();
  const [name, setName] = useState<TextPair>({ zh: measure.name['zh-TW'], en: measure.name.en ?? '' });
  const [desc, setDesc] = useState<TextPair>({
    zh: measure.description['zh-TW'],
    en: measure.description.en ?? '',
  });
  const [archived, setArchived] = useState(measure.archived);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = { name: toLocalized(name), description: toLocalized(desc), archived };
    if (!form.check(UpdateMeasureInput, input)) return;
    update.mutate(
      { code: measure.code, ...input },
      {
        onSuccess: () => {
          notify(t('common:saved'));
          onDone();
        },
        onError: form.fromApi,
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <ErrorAlert error={update.error} />
      <Stack gap="sm">
        <LocalizedFields
          label={t('name')}
          value={name}
          onChange={setName}
          errors={form.errors}
          field="name"
        />
        <LocalizedFields
          label={t('description')}
          value={desc}
          onChange={setDesc}
          errors={form.errors}
          field="description"
          multiline
        />
        <Checkbox
          label={t('edit.archived')}
          checked={archived}
          onChange={(e) => setArchived(e.currentTarget.checked)}
        />
      </Stack>
      <Buttons saving={update.isPending} onCancel={onDone} />
    </form>
  );
}

function Buttons({ saving, onCancel, label }: { saving: boolean; onCancel: () => void; label?: string }) {
  const { t } = useTranslation('programme');
  return (
    <Group justify="flex-end" mt="md">
      <Button variant="subtle" onClick={onCancel}>
        {t('common:actions.cancel')}
      </Button>
      <Button type="submit" loading={saving}>
        {label ?? t('common:actions.save')}
      </Button>
    </Group>
  );
}

function AssignForm({ measure, onDone }: { measure: Measure; onDone: () => void }) {
  const { t, i18n } = useTranslation('programme');
  const agencies = useQuery(agenciesQueryOptions);
  const assign = useAssignAgency();
  const form = useFormErrors();
  const [agencyId, setAgencyId] = useState('');
  const [validFrom, setValidFrom] = useState(todayIso());
  const [validTo, setValidTo] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = { agencyId, validFrom, validTo: validTo || null };
    const extra = agencyId ? {} : { agencyId: t('errors:field.required') };
    if (!form.check(AssignAgencyInput, input, extra)) return;
    assign.mutate(
      { code: measure.code, ...input },
      {
        onSuccess: () => {
          notify(t('assign.done'));
          onDone();
        },
        onError: form.fromApi,
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Text mb="sm">
        {measure.code} {localized(measure.name, i18n.language)}
      </Text>
      <ErrorAlert error={assign.error ?? agencies.error} />
      <Stack gap="sm">
        <NativeSelect
          label={t('assign.agency')}
          value={agencyId}
          onChange={(e) => setAgencyId(e.currentTarget.value)}
          data={[
            { value: '', label: t('assign.choose') },
            ...(agencies.data ?? []).map((a) => ({
              value: a.id,
              label: `${a.code} ${localized(a.name, i18n.language)}`,
            })),
          ]}
          error={form.errors.agencyId}
        />
        <TextInput
          label={t('assign.validFrom')}
          type="date"
          value={validFrom}
          onChange={(e) => setValidFrom(e.currentTarget.value)}
          error={form.errors.validFrom}
        />
        <TextInput
          label={`${t('assign.validTo')}${t('optional')}`}
          type="date"
          value={validTo}
          onChange={(e) => setValidTo(e.currentTarget.value)}
          error={form.errors.validTo}
        />
      </Stack>
      <Buttons saving={assign.isPending} onCancel={onDone} label={t('assign.button')} />
    </form>
  );
}

function EndForm({ assignment, onDone }: { assignment: MeasureAgency; onDone: () => void }) {
  const { t, i18n } = useTranslation('programme');
  const end = useEndAssignment();
  const form = useFormErrors();
  const [validTo, setValidTo] = useState(todayIso());
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!validTo) return form.set({ validTo: t('errors:field.required') });
    if (validTo < assignment.validFrom)
      return form.set({ validTo: t('errors:fieldIssue.validTo.before_start') });
    end.mutate(
      { id: assignment.id, validTo },
      {
        onSuccess: () => {
          notify(t('end.done'));
          onDone();
        },
        onError: form.fromApi,
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Text mb="sm">{t('end.confirm', { agency: localized(assignment.agencyName, i18n.language) })}</Text>
      <ErrorAlert error={end.error} />
      <TextInput
        label={t('end.validTo')}
        type="date"
        value={validTo}
        onChange={(e) => setValidTo(e.currentTarget.value)}
        error={form.errors.validTo}
      />
      <Buttons saving={end.isPending} onCancel={onDone} label={t('end.button')} />
    </form>
  );
}
