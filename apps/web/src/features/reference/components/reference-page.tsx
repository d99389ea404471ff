import { useMemo, useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  UpdateCountyInput,
  UpdateIndustryInput,
  UpdateIpasItemInput,
  type County,
  type Industry,
  type IpasItem,
} from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { useFormErrors } from '../../../lib/form';
import { notify } from '../../../lib/notify';
import { rolesOf, useMe } from '../../../lib/session';
import {
  countiesQueryOptions,
  industriesQueryOptions,
  ipasQueryOptions,
  useUpdateCounty,
  useUpdateIndustry,
  useUpdateIpasItem,
} from '../api/reference-api';

const REGIONS = ['north', 'central', 'south', 'east', 'islands'] as const;

/** Counties, the industry classification and iPAS items: everyone reads; the programme office edits. */
export function ReferencePage() {
  const { t } = useTranslation('reference');
  const canEdit = rolesOf(useMe()).includes('pmo');
  return (
    <>
      <PageTitle>{t('title')}</PageTitle>
      <Text mb="md">{canEdit ? t('introEditor') : t('intro')}</Text>
      <Tabs defaultValue="counties" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="counties">{t('counties.tab')}</Tabs.Tab>
          <Tabs.Tab value="industries">{t('industries.tab')}</Tabs.Tab>
          <Tabs.Tab value="ipas">{t('ipas.tab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="counties">
          <Counties canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="industries">
          <Industries canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="ipas">
          <IpasItems canEdit={canEdit} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function EditModal({
  title,
  opened,
  onClose,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  children: React.ReactNode;
}) {
  const { t } = useTranslation('reference');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      closeButtonProps={{ 'aria-label': t('common:actions.close') }}
    >
      {children}
    </Modal>
  );
}

function Counties({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('reference');
  const { data, error, isPending } = useQuery(countiesQueryOptions);
  const [editing, setEditing] = useState<County | null>(null);
  if (isPending) return <Text>{t('common:loading')}</Text>;
  return (
    <>
      <ErrorAlert error={error} />
      <Text size="sm" mb="sm">
        {t('counties.greaterSouthHelp')}
      </Text>
      <TableScroll label={t('counties.caption')} minWidth={760}>
        <Table striped highlightOnHover>
          <Table.Caption>{t('counties.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('counties.code')}</Table.Th>
              <Table.Th scope="col">{t('counties.nameZh')}</Table.Th>
              <Table.Th scope="col">{t('counties.nameEn')}</Table.Th>
              <Table.Th scope="col">{t('counties.isoCode')}</Table.Th>
              <Table.Th scope="col">{t('counties.region')}</Table.Th>
              <Table.Th scope="col">{t('counties.region6')}</Table.Th>
              <Table.Th scope="col">{t('counties.greaterSouth')}</Table.Th>
              {canEdit && <Table.Th scope="col">{t('action')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data ?? []).map((c) => (
              <Table.Tr key={c.code}>
                <Table.Td className="mono">{c.code}</Table.Td>
                <Table.Td>{c.nameZh}</Table.Td>
                <Table.Td>{c.nameEn}</Table.Td>
                <Table.Td className="mono">{c.isoCode}</Table.Td>
                <Table.Td>{t(`regions.${c.region}`)}</Table.Td>
                <Table.Td>{c.region6}</Table.Td>
                <Table.Td>
                  {c.greaterSouth ? (
                    <Badge variant="outline" color="gray.8">
                      {t('counties.inGreaterSouth')}
                    </Badge>
                  ) : (
                    t('common:none')
                  )}
                </Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="outline"
                      onClick={() => setEditing(c)}
                      aria-label={t('editLabel', { name: c.nameZh })}
                    >
                      {t('edit')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      <EditModal title={t('counties.editTitle')} opened={!!editing} onClose={() => setEditing(null)}>
        {editing && <CountyForm county={editing} onDone={() => setEditing(null)} />}
      </EditModal>
    </>
  );
}

function CountyForm({ county, onDone }: { county: County; onDone: () => void }) {
  const { t } = useTranslation('reference');
  const update = useUpdateCounty();
  const form = useFormErrors();
  const [v, setV] = useState({
    nameZh: county.nameZh,
    nameEn: county.nameEn,
    region: county.region as string,
    region6: county.region6,
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(UpdateCountyInput, v)) return;
    update.mutate(
      { code: county.code, ...(v as UpdateCountyInput) },
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
        <TextInput
          label={t('counties.nameZh')}
          value={v.nameZh}
          onChange={(e) => setV({ ...v, nameZh: e.currentTarget.value })}
          error={form.errors.nameZh}
        />
        <TextInput
          label={t('counties.nameEn')}
          value={v.nameEn}
          onChange={(e) => setV({ ...v, nameEn: e.currentTarget.value })}
          error={form.errors.nameEn}
        />
        <NativeSelect
          label={t('counties.region')}
          value={v.region}
          onChange={(e) => setV({ ...v, region: e.currentTarget.value })}
          data={REGIONS.map((r) => ({ value: r, label: t(`regions.${r}`) }))}
          error={form.errors.region}
        />
        <TextInput
          label={t('counties.region6')}
          value={v.region6}
          onChange={(e) => setV({ ...v, region6: e.currentTarget.value })}
          error={form.errors.region6}
        />
      </Stack>
      <FormButtons saving={update.isPending} onCancel={onDone} />
    </form>
  );
}

function FormButtons({ saving, onCancel }: { saving: boolean; onCancel: () => void }) {
  const { t } = useTranslation('reference');
  return (
    <Group justify="flex-end" mt="md">
      <Button variant="subtle" onClick={onCancel}>
        {t('common:actions.cancel')}
      </Button>
      <Button type="submit" loading={saving}>
        {t('common:actions.save')}
      </Button>
    </Group>
  );
}

const industryName = (i: Industry, lang: string) => (lang === 'en' && i.nameEn ? i.nameEn : i.nameZh);

/** The classification as a tree of disclosure buttons (sections → divisions → groups → classes), searchable. */
function Industries({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation('reference');
  const { data, error, isPending } = useQuery(industriesQueryOptions);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<Industry | null>(null);
  const { children, byCode } = useMemo(() => {
    const children = new Map<string | null, Industry[]>();
    const byCode = new Map<string, Industry>();
    for (const i of data ?? []) {
      byCode.set(i.code, i);
      const k = i.level === 'section' ? null : i.parentCode;
      children.set(k, [...(children.get(k) ?? []), i]);
    }
    return { children, byCode };
  }, [data]);
  const needle = q.trim().replace(/台/g, '臺').toLowerCase();
  const matches = needle
    ? (data ?? []).filter(
        (i) =>
          i.code.toLowerCase().startsWith(needle) ||
          i.nameZh.includes(needle) ||
          (i.nameEn ?? '').toLowerCase().includes(needle),
      )
    : [];
  const pathOf = (i: Industry): string => {
    const parts: string[] = [];
    let p = i.parentCode ? byCode.get(i.parentCode) : undefined;
    while (p) {
      parts.unshift(`${p.code} ${industryName(p, i18n.language)}`);
      p = p.parentCode ? byCode.get(p.parentCode) : undefined;
    }
    return parts.join(' › ');
  };
  const toggle = (code: string) => {
    const next = new Set(open);
    if (next.has(code)) next.delete(code);
    else next.add(code);
    setOpen(next);
  };
  const editButton = (i: Industry) =>
    canEdit && (
      <Button
        size="compact-xs"
        variant="subtle"
        onClick={() => setEditing(i)}
        aria-label={t('editLabel', { name: `${i.code} ${i.nameZh}` })}
      >
        {t('edit')}
      </Button>
    );
  const node = (i: Industry, depth: number): React.ReactNode => {
    const kids = children.get(i.code) ?? [];
    const expanded = open.has(i.code);
    return (
      <li key={i.code}>
        <Group gap={4} wrap="nowrap" align="flex-start" pl={depth * 20} py={2}>
          {kids.length > 0 ? (
            <UnstyledButton
              onClick={() => toggle(i.code)}
              aria-expanded={expanded}
              className="tree-toggle"
              data-testid={`industry-${i.code}`}
            >
              {expanded ? (
                <IconChevronDown size={16} aria-hidden />
              ) : (
                <IconChevronRight size={16} aria-hidden />
              )}
              <span className="mono">{i.code}</span> {industryName(i, i18n.language)}
            </UnstyledButton>
          ) : (
            <Text component="span" className="tree-leaf">
              <span className="mono">{i.code}</span> {industryName(i, i18n.language)}
            </Text>
          )}
          {i.tags.map((tag) => (
            <Badge key={tag} size="sm" variant="outline" color="gray.8">
              {t(`tags.${tag}`, { defaultValue: tag })}
            </Badge>
          ))}
          {editButton(i)}
        </Group>
        {expanded && kids.length > 0 && <ul className="tree-list">{kids.map((k) => node(k, depth + 1))}</ul>}
      </li>
    );
  };
  if (isPending) return <Text>{t('common:loading')}</Text>;
  return (
    <>
      <ErrorAlert error={error} />
      <TextInput
        label={t('industries.search')}
        description={t('industries.searchHelp')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        type="search"
        w={{ base: '100%', sm: 320 }}
        mb="md"
      />
      {needle ? (
        <>
          <Text size="sm" role="status" mb="xs">
            {t('industries.matches', { count: matches.length })}
          </Text>
          <ul className="tree-list" aria-label={t('industries.results')}>
            {matches.slice(0, 200).map((i) => (
              <li key={i.code}>
                <Group gap={4} wrap="wrap" py={2}>
                  <Text component="span">
                    <span className="mono">{i.code}</span> {industryName(i, i18n.language)}
                  </Text>
                  {editButton(i)}
                </Group>
                {i.parentCode && (
                  <Text size="xs" c="dimmed">
                    {pathOf(i)}
                  </Text>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <nav aria-label={t('industries.tree')}>
          <ul className="tree-list">{(children.get(null) ?? []).map((s) => node(s, 0))}</ul>
        </nav>
      )}
      <EditModal title={t('industries.editTitle')} opened={!!editing} onClose={() => setEditing(null)}>
        {editing && <IndustryForm industry={editing} onDone={() => setEditing(null)} />}
      </EditModal>
    </>
  );
}

function IndustryForm({ industry, onDone }: { industry: Industry; onDone: () => void }) {
  const { t } = useTranslation('reference');
  const update = useUpdateIndustry();
  const form = useFormErrors();
  const [nameZh, setNameZh] = useState(industry.nameZh);
  const [nameEn, setNameEn] = useState(industry.nameEn ?? '');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = { nameZh, nameEn: nameEn.trim() || null };
    if (!form.check(UpdateIndustryInput, input)) return;
    update.mutate(
      { code: industry.code, ...input },
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
      <Text mb="sm" className="mono">
        {industry.code}
      </Text>
      <ErrorAlert error={update.error} />
      <Stack gap="sm">
        <TextInput
          label={t('industries.nameZh')}
          value={nameZh}
          onChange={(e) => setNameZh(e.currentTarget.value)}
          error={form.errors.nameZh}
        />
        <TextInput
          label={`${t('industries.nameEn')}${t('optional')}`}
          value={nameEn}
          onChange={(e) => setNameEn(e.currentTarget.value)}
          error={form.errors.nameEn}
        />
      </Stack>
      <FormButtons saving={update.isPending} onCancel={onDone} />
    </form>
  );
}

function IpasItems({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('reference');
  const { data, error, isPending } = useQuery(ipasQueryOptions);
  const [editing, setEditing] = useState<IpasItem | null>(null);
  if (isPending) return <Text>{t('common:loading')}</Text>;
  return (
    <>
      <ErrorAlert error={error} />
      <TableScroll label={t('ipas.caption')} minWidth={760}>
        <Table striped highlightOnHover>
          <Table.Caption>{t('ipas.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('ipas.nameZh')}</Table.Th>
              <Table.Th scope="col">{t('ipas.code')}</Table.Th>
              <Table.Th scope="col">{t('ipas.levels')}</Table.Th>
              <Table.Th scope="col">{t('ipas.papers')}</Table.Th>
              <Table.Th scope="col">{t('ipas.notes')}</Table.Th>
              {canEdit && <Table.Th scope="col">{t('action')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data ?? []).map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.nameZh}</Table.Td>
                <Table.Td className="mono">{i.code ?? t('common:none')}</Table.Td>
                <Table.Td>{i.levels}</Table.Td>
                <Table.Td>{i.papers}</Table.Td>
                <Table.Td>{i.notes || t('common:none')}</Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="outline"
                      onClick={() => setEditing(i)}
                      aria-label={t('editLabel', { name: `${i.nameZh} ${i.levels}` })}
                    >
                      {t('edit')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      <EditModal title={t('ipas.editTitle')} opened={!!editing} onClose={() => setEditing(null)}>
        {editing && <IpasForm item={editing} onDone={() => setEditing(null)} />}
      </EditModal>
    </>
  );
}

function IpasForm({ item, onDone }: { item: IpasItem; onDone: () => void }) {
  const { t } = useTranslation('reference');
  const update = useUpdateIpasItem();
  const form = useFormErrors();
  const [v, setV] = useState({
    nameZh: item.nameZh,
    code: item.code ?? '',
    levels: item.levels,
    notes: item.notes,
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = { ...v, code: v.code.trim() || null };
    if (!form.check(UpdateIpasItemInput, input)) return;
    update.mutate(
      { id: item.id, ...input },
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
        <TextInput
          label={t('ipas.nameZh')}
          value={v.nameZh}
          onChange={(e) => setV({ ...v, nameZh: e.currentTarget.value })}
          error={form.errors.nameZh}
        />
        <TextInput
          label={`${t('ipas.code')}${t('optional')}`}
          value={v.code}
          onChange={(e) => setV({ ...v, code: e.currentTarget.value })}
          error={form.errors.code}
        />
        <TextInput
          label={t('ipas.levels')}
          value={v.levels}
          onChange={(e) => setV({ ...v, levels: e.currentTarget.value })}
          error={form.errors.levels}
        />
        <TextInput
          label={`${t('ipas.notes')}${t('optional')}`}
          value={v.notes}
          onChange={(e) => setV({ ...v, notes: e.currentTarget.value })}
          error={form.errors.notes}
        />
      </Stack>
      <FormButtons saving={update.isPending} onCancel={onDone} />
    </form>
  );
}
