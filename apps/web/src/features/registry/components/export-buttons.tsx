import { useState } from 'react';
import { Button, Checkbox, Group, Modal, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/**
 * CSV and XLSX downloads of what the list shows (same filters and sort). With `canUnmask`, the
 * programme office may ask for whole ID numbers, after a confirmation: the API audits it.
 */
export function ExportButtons({
  href,
  canUnmask = false,
}: {
  href: (format: 'csv' | 'xlsx', unmasked: boolean) => string;
  canUnmask?: boolean;
}) {
  const { t } = useTranslation('registry');
  const [unmasked, setUnmasked] = useState(false);
  const [confirm, setConfirm] = useState<'csv' | 'xlsx' | null>(null);
  const download = (format: 'csv' | 'xlsx') => {
    const a = document.createElement('a');
    a.href = href(format, unmasked);
    a.download = '';
    document.body.append(a);
    a.click();
    a.remove();
  };
  const onClick = (format: 'csv' | 'xlsx') => (unmasked ? setConfirm(format) : download(format));
  return (
    <Group gap="xs" wrap="wrap" align="center">
      <Button
        variant="outline"
        leftSection={<IconDownload size={16} aria-hidden />}
        onClick={() => onClick('xlsx')}
      >
        {t('export.xlsx')}
      </Button>
      <Button
        variant="outline"
        leftSection={<IconDownload size={16} aria-hidden />}
        onClick={() => onClick('csv')}
      >
        {t('export.csv')}
      </Button>
      {canUnmask && (
        <Checkbox
          label={t('export.unmasked')}
          checked={unmasked}
          onChange={(e) => setUnmasked(e.currentTarget.checked)}
        />
      )}
      <Modal
        opened={!!confirm}
        onClose={() => setConfirm(null)}
        title={t('export.unmaskedTitle')}
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        <Text mb="md">{t('export.unmaskedConfirm')}</Text>
        <Group justify="flex-end">
          <Button variant="subtle" onClick={() => setConfirm(null)}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            color="red.9"
            onClick={() => {
              if (confirm) download(confirm);
              setConfirm(null);
            }}
          >
            {t('export.unmaskedGo')}
          </Button>
        </Group>
      </Modal>
    </Group>
  );
}
