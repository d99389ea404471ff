import { Anchor } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { CreatePersonInput } from '@dtp/contracts';
import { PageTitle } from '../../../components/page-title';
import { notify } from '../../../lib/notify';
import { useCreatePerson } from '../api/registry-api';
import { PersonForm } from './person-form';

export function PersonCreatePage() {
  const { t } = useTranslation('registry');
  const create = useCreatePerson();
  const navigate = useNavigate();
  return (
    <>
      <Anchor component={Link} to="/people" size="sm">
        {t('people.backToList')}
      </Anchor>
      <PageTitle mt="xs">{t('person.createTitle')}</PageTitle>
      <PersonForm
        saving={create.isPending}
        error={create.error}
        onSave={(input, form) =>
          create.mutate(input as CreatePersonInput, {
            onSuccess: (p) => {
              notify(t('person.created'));
              void navigate({ to: '/people/$personId', params: { personId: p.id } });
            },
            onError: form.fromApi,
          })
        }
      />
    </>
  );
}
