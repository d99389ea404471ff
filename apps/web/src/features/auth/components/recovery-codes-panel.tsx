import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Text } from '@mantine/core';
import { IconCopy, IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** Recovery codes, shown once, with copy and download. */
export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone?: () => void }) {
  const { t } = useTranslation('auth');
  const text = codes.join('\n');
  const download = () => {
    const url = URL.createObjectURL(
      new Blob([`${t('recovery.fileHeader')}\n\n${text}\n`], { type: 'text/plain' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = 'dtp-recovery-codes.txt';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section aria-labelledby="recovery-title">
      <Text fw={700} size="lg" id="recovery-title" mb="xs" component="h2">
        {t('recovery.title')}
      </Text>
      <Alert color="yellow" variant="outline" mb="sm" c="dark.9">
        {t('recovery.warning')}
      </Alert>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" mb="sm" data-testid="recovery-codes" role="list">
        {codes.map((c) => (
          <Code key={c} fz="md" role="listitem">
            {c}
          </Code>
        ))}
      </SimpleGrid>
      <Group mb="md">
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button variant="outline" leftSection={<IconCopy size={18} aria-hidden />} onClick={copy}>
              {copied ? t('common:actions.copied') : t('recovery.copy')}
            </Button>
          )}
        </CopyButton>
        <Button variant="outline" leftSection={<IconDownload size={18} aria-hidden />} onClick={download}>
          {t('recovery.download')}
        </Button>
      </Group>
      {onDone && <Button onClick={onDone}>{t('recovery.done')}</Button>}
    </section>
  );
}
