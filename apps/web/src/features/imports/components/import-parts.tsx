import { Badge } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ImportJob, ImportProblem } from '@dtp/contracts';
import { COLOR_BAD, COLOR_NEUTRAL, COLOR_OK } from '../../../lib/colors';

const STATUS_COLOR: Record<ImportJob['status'], string> = {
  uploaded: COLOR_NEUTRAL,
  validating: 'blue.9',
  preview: COLOR_OK,
  invalid: COLOR_BAD,
  committing: 'blue.9',
  committed: COLOR_OK,
  failed: COLOR_BAD,
  discarded: COLOR_NEUTRAL,
};

export function StatusBadge({ status }: { status: ImportJob['status'] }) {
  const { t } = useTranslation('imports');
  return (
    <Badge variant="outline" color={STATUS_COLOR[status]} data-testid="import-status">
      {t(`status.${status}`)}
    </Badge>
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A field's name in the current language (the column header the file used is shown beside it). */
export const fieldLabel = (t: TFunction, field: string | null) =>
  field ? t(`imports:fields.${field}`, { defaultValue: field }) : t('imports:problems.file');

/** A problem in words: its issue, with the field named where the text needs it. */
export const issueText = (t: TFunction, p: Pick<ImportProblem, 'issue' | 'field' | 'params'>) =>
  t([`imports:issues.${p.issue}`, 'imports:issues.invalid'], {
    ...(p.params ?? {}),
    field: fieldLabel(t, p.field),
  });

/** A preview value: coded values (gender, education, …) in words, everything else as it is. */
export function valueText(t: TFunction, field: string, v: string | number | boolean | null | undefined) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string' && ['gender', 'education', 'employmentStatus', 'smeStatus'].includes(field))
    return t(`imports:values.${field}.${v}`, { defaultValue: v });
  if (typeof v === 'number' && field === 'paidInCapitalTwd') return v.toLocaleString();
  return String(v);
}
