import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PersonalDataRequest } from '@dtp/contracts';
import { COLOR_OK } from '../../../lib/colors';

/** Open: days left (overdue in red); decided: the decision and, when refused, its legal ground. */
export function RequestStatus({ request: r }: { request: PersonalDataRequest }) {
  const { t } = useTranslation('personalData');
  if (r.status === 'open') {
    return (
      <Badge
        variant="outline"
        color={r.overdue ? 'red.9' : (r.daysLeft ?? 0) <= 3 ? 'orange.9' : 'blue.9'}
        data-testid="days-left"
      >
        {r.overdue
          ? t('queue.overdue', { count: -(r.daysLeft ?? 0) })
          : t('queue.daysLeft', { count: r.daysLeft ?? 0 })}
      </Badge>
    );
  }
  return (
    <>
      <Badge variant="outline" color={r.decision === 'refused' ? 'red.9' : COLOR_OK}>
        {t(`decisions.${r.decision}`)}
      </Badge>
      {r.legalReason && (
        <Text size="xs" mt={4}>
          {t(`legalReasons.${r.legalReason}`)}
        </Text>
      )}
      {r.decisionNote && (
        <Text size="xs" mt={4} className="break-all">
          {r.decisionNote}
        </Text>
      )}
    </>
  );
}
