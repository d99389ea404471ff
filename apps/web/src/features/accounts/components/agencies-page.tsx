import { useState, type FormEvent } from 'react';
import { Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CreateAgencyInput } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { notify } from '../../../lib/notify';
import { TableScroll } from '../../../components/table-scroll';
import { RequiredNote } from '../../../components/required-note';
import { PageTitle } from '../../../components/page-title';
import { useFormErrors } from '../../../lib/form';
import { useDates } from '../../../lib/session';
import { agenciesQueryOptions, useCreateAgency } from '../api/accounts-api';

export function AgenciesPage() {
  const { t } = useTranslation('admin');
  const { date } = useDates();
  const { data, error, isPending } = useQuery(agenciesQueryOptions);
  return (
    <>
      <PageTitle>{t('agencies.title')}</PageTitle>
      <Text mb="md">{t('agencies.intro')}</Text>
      <ErrorAlert error={error} />
      {isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : !data?.length ? (
        <Text>{t('common:list.empty')}</Text>
      ) : (
        <TableScroll label={t('agencies.title')} minWidth={560}>
          <Table striped mb="lg">
            <Table.Caption>{t('common:list.total', { count: data.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('agencies.code')}</Table.Th>
                <Table.Th scope="col">{t('agencies.nameZh')}</Table.Th>
                <Table.Th scope="col">{t('agencies.nameEn')}</Table.Th>
                <Table.Th scope="col">{t('agencies.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.code}</Table.Td>
                  <Table.Td lang="zh-Hant-TW">{a.name['zh-TW']}</Table.Td>
                  <Table.Td lang="en">{a.name.en ?? t('common:none')}</Table.Td>
                  <Table.Td>{date(a.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      <CreateAgencyForm />
    </>
  );
}

function CreateAgencyForm() {
  const { t } = useTranslation('admin');
  const create = useCreateAgency();
  const form = useFormErrors();
  const [code, setCode] = useState('');
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = {
      code: code.trim().toUpperCase(),
      name: { 'zh-TW': zh.trim(), ...(en.trim() ? { en: en.trim() } : {}) },
    };
    if (!form.check(CreateAgencyInput, input)) return;
    create.mutate(input, {
      onSuccess: () => {
        setCode('');
        setZh('');
        setEn('');
        notify(t('agencies.created_ok'));
      },
      onError: form.fromApi,
    });
  };
  return (
    <Card withBorder component="section" aria-labelledby="new-agency-title" padding="lg" maw={560}>
      <Title order={2} size="h3" id="new-agency-title" mb="sm">
        {t('agencies.new')}
      </Title>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={create.error} />
          <RequiredNote />
          <TextInput
            label={t('agencies.code')}
            description={t('agencies.codeHelp')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            error={form.errors.code}
            required
          />
          <TextInput
            label={t('agencies.nameZh')}
            value={zh}
            onChange={(e) => setZh(e.currentTarget.value)}
            error={form.errors['name.zh-TW'] ?? form.errors.name}
            required
          />
          <TextInput
            label={t('agencies.nameEn')}
            value={en}
            onChange={(e) => setEn(e.currentTarget.value)}
            error={form.errors['name.en']}
          />
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('agencies.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
