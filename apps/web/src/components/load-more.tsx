import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The count of a keyset-paged list and its "load more" button. */
export function LoadMore({
  shown,
  total,
  totalCapped,
  hasMore,
  loading,
  onMore,
}: {
  shown: number;
  total: number;
  totalCapped: boolean;
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" mt="md" wrap="wrap">
      <Text size="sm" aria-live="polite" data-testid="list-count">
        {t(totalCapped ? 'list.totalCapped' : 'list.total', { count: total })}
        {'　'}
        {t('list.shown', { count: shown })}
      </Text>
      {hasMore && (
        <Button variant="outline" onClick={onMore} loading={loading}>
          {t('actions.loadMore')}
        </Button>
      )}
    </Group>
  );
}
