import { calendarDate, parseRocDate } from '@dtp/contracts';
import type { Cell } from './imports.read.ts';

/**
 * Reading cells the way a clerk's spreadsheet writes them: text trimmed (full-width spaces too),
 * numbers Excel stored for what are really codes, dates as ISO, 民國 or Excel dates.
 */
export function cellText(c: Cell | undefined): string | undefined {
  if (c === null || c === undefined) return undefined;
  if (c instanceof Date) return isoDate(c);
  const s = String(c).replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
  return s === '' ? undefined : s;
}

/** A code Excel may have turned into a number (統一編號 04595257 → 4595257): padded back to `width`. */
export function cellCode(c: Cell | undefined, width: number): string | undefined {
  if (typeof c === 'number' && Number.isInteger(c) && c >= 0) return String(c).padStart(width, '0');
  const s = cellText(c);
  return s === undefined ? undefined : s.replace(/[\s-]/g, '');
}

/** An Excel date cell: the reader returns the calendar date at UTC midnight. */
const isoDate = (d: Date) => calendarDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) ?? '';

const realDate = (y: number, m: number, d: number) => calendarDate(y, m, d) ?? undefined;

/**
 * A date: an Excel date cell, `1995-04-01`, `1995/4/1`, `19950401`, or 民國 (`84/4/1`, `0840401`,
 * `民國84年4月1日`). Anything else is returned as written, so the row schema reports it.
 */
export function cellDate(c: Cell | undefined): string | undefined {
  if (c instanceof Date) return isoDate(c);
  const s = cellText(c);
  if (s === undefined) return undefined;
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3])) ?? s;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3])) ?? s;
  m = /^(\d{2,3})(\d{2})(\d{2})$/.exec(s);
  if (m) return parseRocDate(`${m[1]}/${m[2]}/${m[3]}`) ?? s;
  return parseRocDate(s) ?? s;
}

/** A whole number: `1,200,000`, `NT$ 1,200,000`, `120 人`; anything else as written (the schema reports it). */
export function cellNumber(c: Cell | undefined): number | string | undefined {
  if (typeof c === 'number') return c;
  const s = cellText(c);
  if (s === undefined) return undefined;
  const cleaned = s
    .replace(/^(NT\$|NTD|\$)\s*/i, '')
    .replace(/[,，\s]/g, '')
    .replace(/(元|人)$/, '');
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : s;
}

/** A value from a list of choices, by any of its spellings (case and spaces ignored); else as written. */
export function cellChoice<T extends string>(
  c: Cell | undefined,
  choices: Record<T, readonly string[]>,
): T | string | undefined {
  const s = cellText(c);
  if (s === undefined) return undefined;
  const key = s.toLowerCase().replace(/[\s_]/g, '');
  for (const [value, spellings] of Object.entries(choices) as [T, readonly string[]][]) {
    if (value.toLowerCase().replace(/_/g, '') === key) return value;
    if (spellings.some((sp) => sp.toLowerCase().replace(/[\s_]/g, '') === key)) return value;
  }
  return s;
}
