import { Anchor } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { CreateEnterpriseInput } from '@dtp/contracts';
import { PageTitle } from '../../../components/page-title';
import { notify } from '../../../lib/notify';
import { useCreateEnterprise } from '../api/registry-api';
import { EnterpriseForm } from './enterprise-form';

export function EnterpriseCreatePage() {
  const { t } = useTranslation('registry');
  const create = useCreateEnterprise();
  const navigate = useNavigate();
  return (
    <>
      <Anchor component={Link} to="/enterprises" size="sm">
        {t('enterprises.backToList')}
      </Anchor>
      <PageTitle mt="xs">{t('enterprise.createTitle')}</PageTitle>
      <EnterpriseForm
        saving={create.isPending}
        error={create.error}
        onSave={(input, form) =>
          create.mutate(input as CreateEnterpriseInput, {
            onSuccess: (e) => {
              notify(t('enterprise.created'));
              void navigate({ to: '/enterprises/$enterpriseId', params: { enterpriseId: e.id } });
            },
            onError: form.fromApi,
          })
        }
      />
    </>
  );
}
