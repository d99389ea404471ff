import { useState, type FormEvent } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  CreateGrantInput,
  ROLE_SCOPES,
  ROLES,
  UpdateAccountInput,
  type AccountDetail,
  type Grant,
  type GrantFunction,
  type Role,
  type ScopeKind,
} from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { notify } from '../../../lib/notify';
import { TableScroll } from '../../../components/table-scroll';
import { COLOR_OK } from '../../../lib/colors';
import { PageTitle } from '../../../components/page-title';
import { useFormErrors } from '../../../lib/form';
import { localized } from '../../../lib/localized';
import { useDates } from '../../../lib/session';
import {
  accountQueryOptions,
  agenciesQueryOptions,
  useAddGrant,
  useRevokeGrant,
  useUnlockSignIn,
  useUpdateAccount,
} from '../api/accounts-api';

export function AccountDetailPage({ accountId }: { accountId: string }) {
  const { t } = useTranslation('admin');
  const { data: account, error, isPending } = useQuery(accountQueryOptions(accountId));
  return (
    <>
      <Anchor component={Link} to="/admin/accounts" size="sm">
        {t('accounts.backToList')}
      </Anchor>
      {isPending ? (
        <Text mt="md">{t('common:loading')}</Text>
      ) : !account ? (
        <>
          <PageTitle mt="xs">{t('accountDetail.title')}</PageTitle>
          <ErrorAlert error={error} />
        </>
      ) : (
        <>
          <PageTitle mt="xs">{account.displayName}</PageTitle>
          <Stack gap="lg">
            <Overview account={account} />
            <Grants account={account} />
          </Stack>
        </>
      )}
    </>
  );
}

function Overview({ account }: { account: AccountDetail }) {
  const { t } = useTranslation('admin');
  const { date } = useDates();
  const update = useUpdateAccount(account.id);
  const unlock = useUnlockSignIn(account.id);
  const form = useFormErrors();
  const [displayName, setDisplayName] = useState(account.displayName);
  const [confirmStatus, setConfirmStatus] = useState(false);
  const nextStatus = account.status === 'active' ? 'disabled' : 'active';
  const onRename = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(UpdateAccountInput, { displayName })) return;
    update.mutate(
      { displayName: displayName.trim() },
      {
        onSuccess: () => notify(t('common:saved')),
        onError: form.fromApi,
      },
    );
  };
  const changeStatus = () =>
    update.mutate(
      { status: nextStatus },
      {
        onSuccess: () => {
          setConfirmStatus(false);
          notify(t(`accountDetail.statusChanged.${nextStatus}`));
        },
        onError: () => setConfirmStatus(false),
      },
    );
  return (
    <Card withBorder component="section" aria-labelledby="overview-title" padding="lg">
      <Title order={2} size="h3" id="overview-title" mb="sm">
        {t('accountDetail.overview')}
      </Title>
      <ErrorAlert error={update.error} />
      <Table variant="vertical" withTableBorder layout="fixed" mb="md" maw={640}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={160}>{t('accounts.colEmail')}</Table.Th>
            <Table.Td className="break-all">{account.email}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('accounts.colStatus')}</Table.Th>
            <Table.Td>
              <Badge
                variant="outline"
                color={account.status === 'active' ? COLOR_OK : 'red.9'}
                data-testid="account-status"
              >
                {t(`common:status.${account.status}`)}
              </Badge>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('accountDetail.emailVerified')}</Table.Th>
            <Table.Td>{account.emailVerified ? t('common:yes') : t('common:no')}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('accounts.colMfa')}</Table.Th>
            <Table.Td>{account.mfaEnabled ? t('common:yes') : t('common:no')}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('accountDetail.locale')}</Table.Th>
            <Table.Td>{t(`common:language.${account.locale}`)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('accounts.colCreated')}</Table.Th>
            <Table.Td>{date(account.createdAt)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <form onSubmit={onRename} noValidate>
        <Group align="flex-end" wrap="wrap" mb="md">
          <TextInput
            label={t('auth:fields.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={form.errors.displayName}
            w={{ base: '100%', sm: 320 }}
          />
          <Button
            type="submit"
            variant="outline"
            loading={update.isPending && update.variables?.displayName !== undefined}
          >
            {t('accountDetail.rename')}
          </Button>
        </Group>
      </form>
      <Group>
        <Button
          color={nextStatus === 'disabled' ? 'red.9' : COLOR_OK}
          variant="outline"
          onClick={() => setConfirmStatus(true)}
        >
          {t(`accountDetail.setStatus.${nextStatus}`)}
        </Button>
        <Button
          variant="outline"
          loading={unlock.isPending}
          onClick={() => unlock.mutate(undefined, { onSuccess: () => notify(t('accountDetail.unlocked')) })}
        >
          {t('accountDetail.unlock')}
        </Button>
      </Group>
      {unlock.error && <ErrorAlert error={unlock.error} />}
      <Text size="sm" c="dimmed">
        {t('accountDetail.unlockHint')}
      </Text>
      <Modal
        opened={confirmStatus}
        onClose={() => setConfirmStatus(false)}
        title={t(`accountDetail.setStatus.${nextStatus}`)}
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        <Text mb="md">{t(`accountDetail.confirmStatus.${nextStatus}`, { name: account.displayName })}</Text>
        <Group justify="flex-end">
          <Button variant="subtle" onClick={() => setConfirmStatus(false)}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            color={nextStatus === 'disabled' ? 'red.9' : COLOR_OK}
            onClick={changeStatus}
            loading={update.isPending}
          >
            {t('common:actions.confirm')}
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}

function scopeText(t: (k: string) => string, g: Grant) {
  const kind = t(`common:scopeKinds.${g.scopeKind}`);
  const label = g.scopeLabel ?? g.scopeId;
  return label ? `${kind}：${label}` : kind;
}

function Grants({ account }: { account: AccountDetail }) {
  const { t } = useTranslation('admin');
  const { date } = useDates();
  const revoke = useRevokeGrant(account.id);
  const [toRevoke, setToRevoke] = useState<Grant | null>(null);
  return (
    <Card withBorder component="section" aria-labelledby="grants-title" padding="lg">
      <Title order={2} size="h3" id="grants-title" mb="sm">
        {t('grants.title')}
      </Title>
      <ErrorAlert error={revoke.error} />
      {account.grants.length === 0 ? (
        <Text mb="md">{t('grants.none')}</Text>
      ) : (
        <TableScroll label={t('grants.title')} minWidth={560}>
          <Table striped mb="md">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('grants.role')}</Table.Th>
                <Table.Th scope="col">{t('grants.scope')}</Table.Th>
                <Table.Th scope="col">{t('grants.function')}</Table.Th>
                <Table.Th scope="col">{t('grants.created')}</Table.Th>
                <Table.Th scope="col">{t('grants.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {account.grants.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td>{t(`common:roles.${g.role}`)}</Table.Td>
                  <Table.Td className="break-all">{scopeText(t, g)}</Table.Td>
                  <Table.Td>{g.function ? t(`common:functions.${g.function}`) : t('common:none')}</Table.Td>
                  <Table.Td>{date(g.createdAt)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="outline"
                      color="red.9"
                      onClick={() => setToRevoke(g)}
                      aria-label={t('grants.revokeLabel', { role: t(`common:roles.${g.role}`) })}
                    >
                      {t('grants.revoke')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      <AddGrantForm accountId={account.id} />
      <Modal
        opened={!!toRevoke}
        onClose={() => setToRevoke(null)}
        title={t('grants.revokeTitle')}
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        {toRevoke && (
          <>
            <Text mb="md">
              {t('grants.revokeConfirm', {
                role: t(`common:roles.${toRevoke.role}`),
                scope: scopeText(t, toRevoke),
                name: account.displayName,
              })}
            </Text>
            <Group justify="flex-end">
              <Button variant="subtle" onClick={() => setToRevoke(null)}>
                {t('common:actions.cancel')}
              </Button>
              <Button
                color="red.9"
                loading={revoke.isPending}
                onClick={() =>
                  revoke.mutate(toRevoke.id, {
                    onSuccess: () => {
                      setToRevoke(null);
                      notify(t('grants.revoked'));
                    },
                    onError: () => setToRevoke(null),
                  })
                }
              >
                {t('grants.revoke')}
              </Button>
            </Group>
          </>
        )}
      </Modal>
    </Card>
  );
}

function AddGrantForm({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation('admin');
  const add = useAddGrant(accountId);
  const form = useFormErrors();
  const [role, setRole] = useState<Role>('learner');
  const [scopeKind, setScopeKind] = useState<ScopeKind>(ROLE_SCOPES.learner[0]!);
  const [scopeId, setScopeId] = useState('');
  const [fn, setFn] = useState<GrantFunction | ''>('');
  const agencies = useQuery({ ...agenciesQueryOptions, enabled: scopeKind === 'agency' });
  const kinds = ROLE_SCOPES[role];
  const needsId = scopeKind !== 'global' && scopeKind !== 'self';

  const onRole = (r: Role) => {
    setRole(r);
    setScopeKind(ROLE_SCOPES[r][0]!);
    setScopeId('');
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = {
      role,
      scopeKind,
      scopeId: needsId ? scopeId.trim() || undefined : null,
      function: fn || null,
    };
    const extra = needsId && !scopeId.trim() ? { scopeId: t('errors:field.required') } : {};
    if (!form.check(CreateGrantInput, input, extra)) return;
    add.mutate(input, {
      onSuccess: (r) => {
        setScopeId('');
        notify(t('status' in r ? 'grants.requested' : 'grants.added'));
      },
      onError: form.fromApi,
    });
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="add-grant-title">
      <Title order={3} size="h4" id="add-grant-title" mb="xs">
        {t('grants.addTitle')}
      </Title>
      <ErrorAlert error={add.error} />
      <Group align="flex-start" wrap="wrap">
        <NativeSelect
          label={t('grants.role')}
          value={role}
          onChange={(e) => onRole(e.currentTarget.value as Role)}
          data={ROLES.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))}
          error={form.errors.role}
          w={{ base: '100%', sm: 200 }}
        />
        <NativeSelect
          label={t('grants.scopeKind')}
          value={scopeKind}
          onChange={(e) => {
            setScopeKind(e.currentTarget.value as ScopeKind);
            setScopeId('');
          }}
          data={kinds.map((k) => ({ value: k, label: t(`common:scopeKinds.${k}`) }))}
          error={form.errors.scopeKind}
          w={{ base: '100%', sm: 180 }}
        />
        {scopeKind === 'agency' ? (
          <NativeSelect
            label={t('grants.agency')}
            value={scopeId}
            onChange={(e) => setScopeId(e.currentTarget.value)}
            data={[
              { value: '', label: t('grants.chooseAgency') },
              ...(agencies.data ?? []).map((a) => ({
                value: a.id,
                label: `${a.code} ${localized(a.name, i18n.language)}`,
              })),
            ]}
            error={form.errors.scopeId}
            w={{ base: '100%', sm: 280 }}
          />
        ) : needsId ? (
          <TextInput
            label={t('grants.scopeId', { kind: t(`common:scopeKinds.${scopeKind}`) })}
            description={t('grants.scopeIdHelp')}
            value={scopeId}
            onChange={(e) => setScopeId(e.currentTarget.value)}
            error={form.errors.scopeId}
            w={{ base: '100%', sm: 340 }}
          />
        ) : null}
        <NativeSelect
          label={t('grants.function')}
          value={fn}
          onChange={(e) => setFn(e.currentTarget.value as GrantFunction | '')}
          data={[
            { value: '', label: t('grants.noFunction') },
            { value: 'training', label: t('common:functions.training') },
            { value: 'testing', label: t('common:functions.testing') },
          ]}
          error={form.errors.function}
          w={{ base: '100%', sm: 160 }}
        />
      </Group>
      <Button type="submit" mt="sm" loading={add.isPending}>
        {t('grants.add')}
      </Button>
    </form>
  );
}
