import { useState } from 'react';
import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type PickerOption = { value: string; label: string };

/**
 * Picks one record by searching for it: a search box, then a select of the matches. Plain inputs
 * (no combobox), so screen readers and phones handle it as any form.
 */
export function RecordPicker({
  label,
  searchLabel,
  value,
  onChange,
  search,
  initial,
  error,
  optional = false,
}: {
  label: string;
  searchLabel: string;
  value: string;
  onChange: (v: string) => void;
  search: (q: string) => Promise<PickerOption[]>;
  /** The current choice, shown before any search. */
  initial?: PickerOption | null;
  error?: string | undefined;
  optional?: boolean;
}) {
  const { t } = useTranslation('registry');
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<PickerOption[] | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const found = await search(q);
      setOptions(found);
      if (found.length === 1) onChange(found[0]!.value);
    } finally {
      setBusy(false);
    }
  };
  const shown = options ?? (initial ? [initial] : []);
  return (
    <Stack gap={4}>
      <Group align="flex-end" wrap="wrap" gap="xs">
        <TextInput
          label={searchLabel}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void run();
            }
          }}
          type="search"
          w={{ base: '100%', sm: 220 }}
        />
        <Button variant="outline" onClick={() => void run()} loading={busy}>
          {t('picker.find')}
        </Button>
      </Group>
      <NativeSelect
        label={optional ? `${label}${t('optional')}` : label}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={[{ value: '', label: t('picker.none') }, ...shown]}
        error={error}
        w={{ base: '100%', sm: 360 }}
      />
      {options && options.length === 0 && (
        <Text size="sm" role="status">
          {t('picker.noMatch')}
        </Text>
      )}
    </Stack>
  );
}
