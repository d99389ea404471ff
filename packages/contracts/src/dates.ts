import { TZDate } from '@date-fns/tz';
import { addDays as addCalendarDays, differenceInCalendarDays, endOfMonth, format } from 'date-fns';
import type { CalendarStyle, Locale } from './common.ts';

/**
 * Dates as the platform shows them, the one place that knows the house formats (decision 025).
 * Servers run in UTC; the business time zone is Asia/Taipei: an instant is read on the Taipei
 * calendar, and a bare calendar date (`YYYY-MM-DD`) is taken as it is.
 *
 * - ROC (民國) short, for tables and files: `75/11/16`, `115/01/05` (year unpadded); before
 *   民國元年 (1912) `民國前1/06/01`.
 * - ROC long, for prose (e-mails): `民國75年11月16日`; in English `November 16, 75 Minguo`.
 * - Gregorian short: ISO `2026-01-05`; long: `2026年1月5日` / `5 January 2026`.
 * - Years and quarters: `115年`, `115年第1季` / `2026 Q1`, `ROC 115 Q1`.
 */
export const BUSINESS_TIME_ZONE = 'Asia/Taipei';

/** 民國 (ROC) calendar: year − 1911. */
export const ROC_OFFSET = 1911;

export type DateStyle = 'short' | 'long';
type DateValue = string | Date | null | undefined;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A value as a wall-clock moment in Asia/Taipei, or null when it is not a date. */
function inTaipei(value: DateValue): TZDate | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') {
    const m = ISO_DATE.exec(value);
    if (m) return new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), BUSINESS_TIME_ZONE);
  }
  const t = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return Number.isNaN(t) ? null : new TZDate(t, BUSINESS_TIME_ZONE);
}

/** The ROC year of a Gregorian year (2026 → 115; 1911 → 0, i.e. 民國前1年). */
export const rocYear = (gregorianYear: number) => gregorianYear - ROC_OFFSET;

/** The calendar date of an instant in Asia/Taipei, as `YYYY-MM-DD`. */
export function taipeiDate(at: Date | string): string {
  const d = inTaipei(at);
  if (!d) throw new Error(`not a date: ${String(at)}`);
  return format(d, 'yyyy-MM-dd');
}

/** Today's calendar date in Asia/Taipei. */
export const todayIso = (now: Date = new Date()) => taipeiDate(now);

const intl = (locale: string, calendar: CalendarStyle) =>
  new Intl.DateTimeFormat(`${locale === 'en' ? 'en' : 'zh-TW'}${calendar === 'roc' ? '-u-ca-roc' : ''}`, {
    dateStyle: 'long',
    timeZone: BUSINESS_TIME_ZONE,
  });

/** A date (or an instant, read on the Taipei calendar) in the reader's calendar and language. */
export function formatDate(
  value: DateValue,
  calendar: CalendarStyle,
  locale: Locale | string,
  style: DateStyle = 'short',
): string {
  const d = inTaipei(value);
  if (!d) return '';
  if (style === 'long') {
    if (calendar === 'gregorian' && locale === 'en') return format(d, 'd MMMM yyyy');
    // ICU names the 民國 era itself (民國前 before 1912) and the English "Minguo".
    return intl(locale, calendar).format(d);
  }
  if (calendar === 'gregorian') return format(d, 'yyyy-MM-dd');
  const roc = rocYear(d.getFullYear());
  return `${roc >= 1 ? String(roc) : `民國前${1 - roc}`}/${format(d, 'MM/dd')}`;
}

/** A date with its Taipei wall-clock time (24-hour `HH:mm`). */
export function formatDateTime(
  value: DateValue,
  calendar: CalendarStyle,
  locale: Locale | string,
  style: DateStyle = 'short',
): string {
  const d = inTaipei(value);
  if (!d) return '';
  return `${formatDate(value, calendar, locale, style)} ${format(d, 'HH:mm')}`;
}

/** A year as a label: `115年` / `2026年`, `ROC 115` / `2026`. */
export function yearLabel(year: number, calendar: CalendarStyle, locale: Locale | string): string {
  const y = calendar === 'roc' ? rocYear(year) : year;
  if (locale === 'en') return calendar === 'roc' ? `ROC ${y}` : String(y);
  return `${y}年`;
}

/** A quarter as a label: `115年第1季` / `2026年第1季`, `ROC 115 Q1` / `2026 Q1`. */
export function quarterLabel(
  year: number,
  quarter: number,
  calendar: CalendarStyle,
  locale: Locale | string,
): string {
  return locale === 'en'
    ? `${yearLabel(year, calendar, locale)} Q${quarter}`
    : `${yearLabel(year, calendar, locale)}第${quarter}季`;
}

// Calendar-day arithmetic on bare dates (no time zone is involved: a date is a date).
const utcDate = (iso: string) => {
  const m = ISO_DATE.exec(iso.slice(0, 10));
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 'UTC');
};

/** A calendar date (YYYY-MM-DD) plus `days` calendar days. */
export const addDays = (iso: string, days: number): string =>
  format(addCalendarDays(utcDate(iso), days), 'yyyy-MM-dd');

/** Calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export const daysBetween = (from: string, to: string): number =>
  differenceInCalendarDays(utcDate(to), utcDate(from));

/** `YYYY-MM-DD` of a year, month (1–12) and day, or null when there is no such day (2025-02-29). */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const d = new TZDate(year, month - 1, day, 'UTC');
  return d.getMonth() === month - 1 && d.getDate() === day ? format(d, 'yyyy-MM-dd') : null;
}

/** The last day of a month (1–12) as `YYYY-MM-DD`. */
export const lastDayOfMonth = (year: number, month: number): string =>
  format(endOfMonth(new TZDate(year, month - 1, 1, 'UTC')), 'yyyy-MM-dd');
