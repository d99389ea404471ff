import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  DecideRequestInput,
  ExtendRequestInput,
  PDPA_DEADLINE_DAYS,
  PersonalDataRequestType,
  RefusalReason,
  RequestDecision,
  type PersonalDataRequest,
} from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageTitle } from '../../../components/page-title';
import { TableScroll } from '../../../components/table-scroll';
import { useFormErrors } from '../../../lib/form';
import { notify } from '../../../lib/notify';
import { useDates } from '../../../lib/session';
import {
  queueQueryOptions,
  useDecideRequest,
  useExtendRequest,
  type QueueFilters,
} from '../api/personal-data-api';
import { RequestStatus } from './request-status';

const ALL: QueueFilters = { status: 'open', type: '', overdue: '' };

/** 個資請求: the programme office's queue of §3 requests, soonest legal deadline first. */
export function RequestsQueuePage() {
  const { t } = useTranslation('personalData');
  const { date } = useDates();
  const [filters, setFilters] = useState<QueueFilters>(ALL);
  const [open, setOpen] = useState<PersonalDataRequest | null>(null);
  const query = useInfiniteQuery(queueQueryOptions(filters));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const first = query.data?.pages[0];

  return (
    <>
      <PageTitle>{t('queue.title')}</PageTitle>
      <Text mb="md">{t('queue.intro')}</Text>
      <form role="search" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md" maw={760}>
          <NativeSelect
            label={t('fields.status')}
            value={filters.status}
            onChange={(e) =>
              setFilters({ ...filters, status: e.currentTarget.value as QueueFilters['status'] })
            }
            data={[
              { value: '', label: t('common:list.all') },
              { value: 'open', label: t('queue.statusOpen') },
              { value: 'decided', label: t('queue.statusDecided') },
            ]}
          />
          <NativeSelect
            label={t('fields.requestType')}
            value={filters.type}
            onChange={(e) => setFilters({ ...filters, type: e.currentTarget.value })}
            data={[
              { value: '', label: t('common:list.all') },
              ...PersonalDataRequestType.options.map((v) => ({ value: v, label: t(`types.${v}`) })),
            ]}
          />
          <NativeSelect
            label={t('queue.deadline')}
            value={filters.overdue}
            onChange={(e) =>
              setFilters({ ...filters, overdue: e.currentTarget.value as QueueFilters['overdue'] })
            }
            data={[
              { value: '', label: t('common:list.all') },
              { value: 'true', label: t('queue.onlyOverdue') },
              { value: 'false', label: t('queue.notOverdue') },
            ]}
          />
        </SimpleGrid>
      </form>
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text>{t('common:loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('common:list.empty')}</Text>
      ) : (
        <TableScroll label={t('queue.caption')} minWidth={820}>
          <Table striped data-testid="request-queue">
            <Table.Caption>{t('queue.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('fields.person')}</Table.Th>
                <Table.Th scope="col">{t('fields.status')}</Table.Th>
                <Table.Th scope="col">{t('fields.requestType')}</Table.Th>
                <Table.Th scope="col">{t('fields.dueOn')}</Table.Th>
                <Table.Th scope="col">{t('fields.receivedOn')}</Table.Th>
                <Table.Th scope="col">{t('queue.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.personName}</Table.Td>
                  <Table.Td>
                    <RequestStatus request={r} />
                  </Table.Td>
                  <Table.Td>{t(`types.${r.type}`)}</Table.Td>
                  <Table.Td>
                    {date(r.dueOn)}
                    {r.extended && (
                      <Badge ml="xs" variant="outline" color="gray.8">
                        {t('queue.extended')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{date(r.receivedOn)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="outline"
                      onClick={() => setOpen(r)}
                      aria-label={t('queue.openLabel', { name: r.personName, type: t(`types.${r.type}`) })}
                    >
                      {r.status === 'open' ? t('queue.handle') : t('queue.view')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      {first && (
        <LoadMore
          shown={items.length}
          total={first.total}
          totalCapped={first.totalCapped}
          hasMore={!!query.hasNextPage}
          loading={query.isFetchingNextPage}
          onMore={() => void query.fetchNextPage()}
        />
      )}
      <Modal
        opened={!!open}
        onClose={() => setOpen(null)}
        title={open ? t('queue.modalTitle', { name: open.personName, type: t(`types.${open.type}`) }) : ''}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        {open && <RequestDetail request={open} onDone={() => setOpen(null)} />}
      </Modal>
    </>
  );
}

function RequestDetail({ request: r, onDone }: { request: PersonalDataRequest; onDone: () => void }) {
  const { t } = useTranslation('personalData');
  const { date } = useDates();
  const extend = useExtendRequest();
  const decide = useDecideRequest();
  const extendForm = useFormErrors();
  const decideForm = useFormErrors();
  const [reason, setReason] = useState('');
  const [decision, setDecision] = useState<RequestDecision>('granted');
  const [legalReason, setLegalReason] = useState('');
  const [note, setNote] = useState('');

  const onExtend = (e: FormEvent) => {
    e.preventDefault();
    const input = { reason: reason.trim() };
    if (!extendForm.check(ExtendRequestInput, input)) return;
    extend.mutate(
      { id: r.id, ...input },
      {
        onSuccess: (x) => {
          notify(t('queue.extendedTo', { date: date(x.dueOn) }));
          onDone();
        },
        onError: extendForm.fromApi,
      },
    );
  };
  const onDecide = (e: FormEvent) => {
    e.preventDefault();
    const input = {
      decision,
      ...(legalReason ? { legalReason: legalReason as RefusalReason } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    if (!decideForm.check(DecideRequestInput, input)) return;
    decide.mutate(
      { id: r.id, ...input },
      {
        onSuccess: () => {
          notify(t('queue.decidedToast'));
          onDone();
        },
        onError: decideForm.fromApi,
      },
    );
  };

  return (
    <Stack>
      <Table variant="vertical" withTableBorder layout="fixed">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={140}>{t('fields.receivedOn')}</Table.Th>
            <Table.Td>{date(r.receivedOn)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('fields.dueOn')}</Table.Th>
            <Table.Td>
              {date(r.dueOn)} <RequestStatus request={r} />
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('fields.details')}</Table.Th>
            <Table.Td className="break-all">{r.details ?? t('common:none')}</Table.Td>
          </Table.Tr>
          {r.extensionReason && (
            <Table.Tr>
              <Table.Th>{t('queue.extensionReason')}</Table.Th>
              <Table.Td className="break-all">{r.extensionReason}</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {r.type === 'deletion' && r.status === 'open' && <Text size="sm">{t('queue.deletionHelp')}</Text>}
      {r.type === 'correction' && r.status === 'open' && <Text size="sm">{t('queue.correctionHelp')}</Text>}
      {r.status === 'open' && !r.extended && (
        <form onSubmit={onExtend} noValidate aria-label={t('queue.extendTitle')}>
          <ErrorAlert error={extend.error} />
          <Textarea
            label={t('queue.extendReason')}
            description={t('queue.extendHelp', { days: PDPA_DEADLINE_DAYS[r.type] })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={extendForm.errors.reason}
            required
          />
          <Button type="submit" variant="outline" mt="xs" loading={extend.isPending}>
            {t('queue.extend')}
          </Button>
        </form>
      )}
      {r.status === 'open' && (
        <form onSubmit={onDecide} noValidate aria-label={t('queue.decideTitle')}>
          <ErrorAlert error={decide.error} />
          <Stack gap="xs">
            <NativeSelect
              label={t('queue.decision')}
              value={decision}
              onChange={(e) => setDecision(e.currentTarget.value as RequestDecision)}
              data={RequestDecision.options.map((v) => ({ value: v, label: t(`decisions.${v}`) }))}
            />
            <NativeSelect
              label={t('queue.legalReason')}
              description={t('queue.legalReasonHelp')}
              value={legalReason}
              onChange={(e) => setLegalReason(e.currentTarget.value)}
              data={[
                { value: '', label: t('queue.noLegalReason') },
                ...RefusalReason.options.map((v) => ({ value: v, label: t(`legalReasons.${v}`) })),
              ]}
              error={decideForm.errors.legalReason}
              required={decision !== 'granted'}
            />
            <Textarea
              label={t('queue.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={decideForm.errors.note}
            />
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={decide.isPending}
                color={decision === 'refused' ? 'red.9' : undefined}
              >
                {t('queue.recordDecision')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
