import { AppError } from './errors.ts';

/** Opaque keyset cursor: the sort key of the last row of a page. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  arity: number,
): (string | number | null)[] | undefined {
  if (!cursor) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity) return values as (string | number | null)[];
  } catch {
    /* fall through */
  }
  throw new AppError('VALIDATION', 'invalid cursor', {
    fields: [{ field: 'cursor', issue: 'invalid_format' }],
  });
}

/** Totals are exact up to this cap; beyond it the page says `totalCapped`. */
export const TOTAL_CAP = 10_000;
