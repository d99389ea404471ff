import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, Radio, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  MERGE_FIELDS,
  type County,
  type DuplicatePair,
  type MergeField,
  type MergeResult,
  type PersonDetail,
} from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { notify } from '../../../lib/notify';
import { useDates } from '../../../lib/session';
import { countiesQueryOptions, duplicatesQueryOptions, useMergePeople } from '../api/personal-data-api';

/** The stored value of a field, compared to tell which fields differ. */
const valueOf = (p: PersonDetail, f: MergeField): string | null => {
  if (f === 'nationalId') return p.nationalIdMasked;
  if (f === 'employerEnterpriseId') return p.employerName;
  const v = p[f];
  return v == null ? null : String(v);
};

/**
 * A field's value as a person reads it: enum values translated (the registry's labels), dates in
 * the user's style, counties and nationalities by name; never a raw code.
 */
function useFieldText() {
  const { t, i18n } = useTranslation('personalData');
  const { date } = useDates();
  const counties = useQuery(countiesQueryOptions).data;
  const regions = new Intl.DisplayNames([i18n.language], { type: 'region', fallback: 'code' });
  const countyName = (code: string, list: County[] | undefined) => {
    const c = list?.find((x) => x.code === code);
    return c ? (i18n.language === 'en' ? c.nameEn : c.nameZh) : code;
  };
  return (p: PersonDetail, f: MergeField): string | null => {
    const v = valueOf(p, f);
    if (v == null) return null;
    switch (f) {
      case 'gender':
        return t(`registry:gender.${v}`);
      case 'education':
        return t(`registry:education.${v}`);
      case 'employmentStatus':
        return t(`registry:employmentStatus.${v}`);
      case 'preferredLocale':
        return t(`common:language.${v}`);
      case 'birthDate':
        return date(v);
      case 'countyCode':
        return countyName(v, counties);
      case 'nationality':
        return regions.of(v) ?? v;
      default:
        return v;
    }
  };
}

/** 重複資料合併: likely duplicates side by side; the PMO picks the survivor and each field's value. */
export function DuplicatesPage() {
  const { t } = useTranslation('personalData');
  const query = useQuery(duplicatesQueryOptions);
  const [pair, setPair] = useState<DuplicatePair | null>(null);
  const [result, setResult] = useState<MergeResult | null>(null);
  const items = query.data?.items ?? [];
  return (
    <>
      <PageTitle>{t('duplicates.title')}</PageTitle>
      <Text mb="md">{t('duplicates.intro')}</Text>
      <ErrorAlert error={query.error} />
      {result && (
        <Card withBorder mb="md" role="status">
          <Text>
            {t('duplicates.done', {
              name: result.survivor.name,
              moved: Object.values(result.moved).reduce((a, b) => a + b, 0),
            })}
          </Text>
        </Card>
      )}
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('duplicates.none')}</Text>
      ) : (
        <Stack>
          {items.map((p) => (
            <Card
              withBorder
              key={`${p.a.id}-${p.b.id}`}
              component="article"
              aria-label={`${p.a.name} / ${p.b.name}`}
            >
              <Group justify="space-between" mb="xs" wrap="wrap">
                <Badge variant="outline" color="gray.8">
                  {t(`duplicates.reasons.${p.reason}`)}
                  {p.reason === 'similar_name_birth_date' ? ` ${Math.round(p.similarity * 100)}%` : ''}
                </Badge>
                <Button
                  size="compact-sm"
                  onClick={() => setPair(p)}
                  aria-label={t('duplicates.mergeLabel', { a: p.a.name, b: p.b.name })}
                >
                  {t('duplicates.merge')}
                </Button>
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <PersonBrief p={p.a} />
                <PersonBrief p={p.b} />
              </SimpleGrid>
            </Card>
          ))}
        </Stack>
      )}
      <Modal
        opened={!!pair}
        onClose={() => setPair(null)}
        title={t('duplicates.mergeTitle')}
        size="xl"
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        {pair && (
          <MergeForm
            pair={pair}
            onDone={(r) => {
              setResult(r);
              setPair(null);
              notify(t('duplicates.merged'));
            }}
          />
        )}
      </Modal>
    </>
  );
}

function PersonBrief({ p }: { p: PersonDetail }) {
  const { t } = useTranslation('personalData');
  const { date } = useDates();
  return (
    <Text size="sm" className="break-all">
      <strong>{p.name}</strong>
      <br />
      {[p.email, p.nationalIdMasked, p.birthDate ? date(p.birthDate) : null].filter(Boolean).join(' · ') ||
        t('common:none')}
      <br />
      {p.hasAccount ? t('duplicates.hasAccount') : t('duplicates.noAccount')}
    </Text>
  );
}

function MergeForm({ pair, onDone }: { pair: DuplicatePair; onDone: (r: MergeResult) => void }) {
  const { t } = useTranslation('personalData');
  const merge = useMergePeople();
  const { date } = useDates();
  const text = useFieldText();
  const label = (p: PersonDetail) =>
    t('duplicates.recordLabel', {
      name: p.name,
      detail: [p.nationalIdMasked, p.email, p.phone].filter(Boolean).join(' · ') || t('duplicates.noDetail'),
      created: date(p.createdAt),
    });
  const [survivor, setSurvivor] = useState<'a' | 'b'>(pair.a.hasAccount || !pair.b.hasAccount ? 'a' : 'b');
  const s = survivor === 'a' ? pair.a : pair.b;
  const m = survivor === 'a' ? pair.b : pair.a;
  const [take, setTake] = useState<Partial<Record<MergeField, 'survivor' | 'merged'>>>({});
  const pick = (f: MergeField) => take[f] ?? (valueOf(s, f) == null ? 'merged' : 'survivor');
  const differing = MERGE_FIELDS.filter((f) => valueOf(s, f) !== valueOf(m, f));

  return (
    <Stack>
      <ErrorAlert error={merge.error} />
      <Radio.Group
        label={t('duplicates.survivor')}
        description={t('duplicates.survivorHelp')}
        value={survivor}
        onChange={(v) => {
          setSurvivor(v as 'a' | 'b');
          setTake({});
        }}
      >
        <Group mt="xs">
          <Radio value="a" label={label(pair.a)} />
          <Radio value="b" label={label(pair.b)} />
        </Group>
      </Radio.Group>
      <TableScroll label={t('duplicates.fieldsCaption')} minWidth={560}>
        <Table>
          <Table.Caption>{t('duplicates.fieldsCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('duplicates.field')}</Table.Th>
              <Table.Th scope="col">{t('duplicates.keep')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {differing.map((f) => (
              <Table.Tr key={f}>
                <Table.Th scope="row">{t(`mergeFields.${f}`)}</Table.Th>
                <Table.Td>
                  <Radio.Group
                    aria-label={t(`mergeFields.${f}`)}
                    value={pick(f)}
                    onChange={(v) => setTake({ ...take, [f]: v as 'survivor' | 'merged' })}
                  >
                    <Group>
                      <Radio value="survivor" label={text(s, f) ?? t('duplicates.empty')} />
                      <Radio value="merged" label={text(m, f) ?? t('duplicates.empty')} />
                    </Group>
                  </Radio.Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      <Text size="sm">{t('duplicates.warning')}</Text>
      <Group justify="flex-end">
        <Button
          color="red.9"
          loading={merge.isPending}
          onClick={() => merge.mutate({ survivorId: s.id, mergedId: m.id, take }, { onSuccess: onDone })}
        >
          {t('duplicates.confirmMerge')}
        </Button>
      </Group>
    </Stack>
  );
}
