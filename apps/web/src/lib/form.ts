import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrors, fieldIssueText, issuesToFields } from './errors';

type Issue = Parameters<typeof issuesToFields>[0][number];
type Schema = { safeParse(v: unknown): { success: boolean; error?: { issues: readonly unknown[] } } };

/**
 * Field errors of a form: from a client-side check with a contract's zod schema, or from the API's
 * `fields`. Each message is translated and shown on the input it names.
 */
export function useFormErrors() {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Record<string, string>>({});
  return {
    errors,
    /** Checks `values` with `schema`; sets the errors and answers whether the values are good. */
    check(schema: Schema, values: unknown, extra: Record<string, string | undefined> = {}): boolean {
      const r = schema.safeParse(values);
      const out: Record<string, string> = {};
      if (!r.success) {
        for (const f of issuesToFields((r.error?.issues ?? []) as Issue[])) {
          if (!out[f.field]) out[f.field] = fieldIssueText(t, f);
        }
      }
      for (const [k, v] of Object.entries(extra)) if (v && !out[k]) out[k] = v;
      setErrors(out);
      const ok = Object.keys(out).length === 0;
      // Take the keyboard to the first field in error once it is marked (WCAG 3.3.1).
      if (!ok) setTimeout(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return ok;
    },
    fromApi(err: unknown) {
      setErrors(fieldErrors(t, err));
    },
    set: setErrors,
    clear: () => setErrors({}),
  };
}
