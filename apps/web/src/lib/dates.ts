import type { CalendarStyle } from '@dtp/contracts';

export const TIME_ZONE = 'Asia/Taipei';

type Parts = { y: number; m: number; d: number; hh: string; mm: string };

/** The wall-clock parts of an instant in Asia/Taipei; a bare ISO date (YYYY-MM-DD) is taken as is. */
function partsOf(value: string | Date): Parts | null {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    return { y, m, d, hh: '00', mm: '00' };
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return null;
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const get = (type: string) => fmt.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return {
    y: Number(get('year')),
    m: Number(get('month')),
    d: Number(get('day')),
    hh: get('hour'),
    mm: get('minute'),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

export type DateStyle = 'short' | 'long';

/**
 * A date in the ROC calendar (民國 114年5月3日 / 114/05/03) or the Gregorian one, in Asia/Taipei.
 * Years before 民國元年 (1912) are shown as 民國前 N 年.
 */
export function formatDate(
  value: string | Date | null | undefined,
  calendar: CalendarStyle,
  locale: string,
  style: DateStyle = 'short',
): string {
  if (!value) return '';
  const p = partsOf(value);
  if (!p) return '';
  if (calendar === 'roc') {
    const roc = p.y - 1911;
    if (style === 'long') {
      if (locale === 'en')
        return roc > 0 ? `ROC year ${roc}, ${p.m}/${p.d}` : `${p.y}-${pad(p.m)}-${pad(p.d)}`;
      return roc > 0 ? `民國 ${roc}年${p.m}月${p.d}日` : `民國前${1 - roc}年${p.m}月${p.d}日`;
    }
    const year = `前${1 - roc}`;
    return `${roc > 0 ? pad3(roc) : year}/${pad(p.m)}/${pad(p.d)}`;
  }
  if (style === 'long') {
    return locale === 'en'
      ? new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(
          new Date(Date.UTC(p.y, p.m - 1, p.d)),
        )
      : `${p.y}年${p.m}月${p.d}日`;
  }
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}

/** ROC years are written with three digits in short dates (114/05/03, 099/12/31). */
const pad3 = (n: number) => String(n).padStart(3, '0');

/** Date and time (HH:mm, Asia/Taipei). */
export function formatDateTime(
  value: string | Date | null | undefined,
  calendar: CalendarStyle,
  locale: string,
): string {
  if (!value) return '';
  const p = partsOf(value);
  if (!p) return '';
  return `${formatDate(value, calendar, locale, 'short')} ${p.hh}:${p.mm}`;
}

/** Today's date in Asia/Taipei as an ISO date (YYYY-MM-DD). */
export function todayIso(now = new Date()): string {
  const p = partsOf(now)!;
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}
