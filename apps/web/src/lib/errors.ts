import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { FieldIssue } from '@dtp/contracts';
import { ApiError } from './api';
import { formatDateTime } from '@dtp/contracts';

type ZodIssueLike = {
  code: string;
  path: PropertyKey[];
  minimum?: unknown;
  maximum?: unknown;
  format?: string;
  input?: unknown;
  message?: string;
};

/** zod issues from a client-side check, in the API's field-issue shape. */
export function issuesToFields(issues: readonly ZodIssueLike[]): FieldIssue[] {
  return issues.map((i) => {
    const field = i.path.map(String).join('.');
    if (i.code === 'too_small' && (i.minimum === 1 || i.minimum === 1n)) return { field, issue: 'required' };
    if (i.code === 'invalid_type' && i.input === undefined) return { field, issue: 'required' };
    // A refinement names its issue in its message (`invalid_checksum`, `before_start`), as on the server.
    if (i.code === 'custom' && i.message && /^[a-z_]+$/.test(i.message)) return { field, issue: i.message };
    const params: Record<string, unknown> = {};
    if (i.minimum !== undefined) params.min = Number(i.minimum);
    if (i.maximum !== undefined) params.max = Number(i.maximum);
    if (i.format) params.format = i.format;
    return { field, issue: i.code, params };
  });
}

/** A field issue in words: a field-specific text when the locale has one, else the generic one. */
export function fieldIssueText(t: TFunction, f: FieldIssue): string {
  const params = (f.params ?? {}) as Record<string, unknown>;
  return t(
    [`errors:fieldIssue.${f.field}.${f.issue}`, `errors:field.${f.issue}`, 'errors:field.invalid'],
    params,
  );
}

/** The error in words: its reason, else its code; never the server's English message. */
export function errorText(t: TFunction, err: unknown, calendar: 'roc' | 'gregorian' = 'roc'): string {
  if (err instanceof ApiError) {
    const params: Record<string, unknown> = { ...(err.body.params ?? {}) };
    if (typeof params.until === 'string') {
      params.until = formatDateTime(params.until, calendar, t('common:lang'));
    }
    if (err.status === 0) return t('errors:network');
    const keys = [
      ...(err.reason ? [`errors:reason.${err.reason}`] : []),
      `errors:code.${err.code}`,
      'errors:code.INTERNAL',
    ];
    return t(keys, params);
  }
  return t('errors:code.INTERNAL');
}

/** Field errors by field name, for the form's inputs. */
export function fieldErrors(t: TFunction, err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const fields = err instanceof ApiError ? err.fields : [];
  for (const f of fields) if (!out[f.field]) out[f.field] = fieldIssueText(t, f);
  return out;
}

export function useErrorText() {
  const { t } = useTranslation();
  return (err: unknown) => errorText(t, err);
}
