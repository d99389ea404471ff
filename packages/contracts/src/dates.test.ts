import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDate,
  daysBetween,
  formatDate,
  formatDateTime,
  lastDayOfMonth,
  quarterLabel,
  rocYear,
  taipeiDate,
  yearLabel,
} from './dates.ts';

describe('dates: the house formats (decision 025)', () => {
  it('writes ROC short dates with the year unpadded (75/11/16, not 075/11/16)', () => {
    expect(formatDate('1986-11-16', 'roc', 'zh-TW')).toBe('75/11/16');
    expect(formatDate('2026-01-05', 'roc', 'zh-TW')).toBe('115/01/05');
    expect(formatDate('1912-01-01', 'roc', 'zh-TW')).toBe('1/01/01');
    expect(formatDate('2010-12-31', 'roc', 'en')).toBe('99/12/31');
  });
  it('writes ROC long dates as 民國75年11月16日 and dates before 1912 as 民國前', () => {
    expect(formatDate('1986-11-16', 'roc', 'zh-TW', 'long')).toBe('民國75年11月16日');
    expect(formatDate('1911-06-01', 'roc', 'zh-TW', 'long')).toBe('民國前1年6月1日');
    expect(formatDate('1911-06-01', 'roc', 'zh-TW')).toBe('民國前1/06/01');
    expect(formatDate('1986-11-16', 'roc', 'en', 'long')).toBe('November 16, 75 Minguo');
  });
  it('writes Gregorian dates as ISO (short) or in the reader’s language (long)', () => {
    expect(formatDate('2026-01-05', 'gregorian', 'zh-TW')).toBe('2026-01-05');
    expect(formatDate('2026-01-05', 'gregorian', 'zh-TW', 'long')).toBe('2026年1月5日');
    expect(formatDate('2026-01-05', 'gregorian', 'en', 'long')).toBe('5 January 2026');
    expect(formatDate(null, 'roc', 'zh-TW')).toBe('');
    expect(formatDate('not a date', 'roc', 'zh-TW')).toBe('');
  });
  it('reads instants on Asia/Taipei days: 16:00 UTC is already the next day in Taipei', () => {
    expect(taipeiDate(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
    expect(taipeiDate(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
    expect(formatDate('2025-12-31T16:30:00Z', 'roc', 'zh-TW')).toBe('115/01/01');
    expect(formatDate('2025-12-31T16:30:00Z', 'gregorian', 'zh-TW')).toBe('2026-01-01');
    expect(formatDateTime('2025-12-31T16:30:00Z', 'roc', 'zh-TW')).toBe('115/01/01 00:30');
    expect(formatDateTime('2025-12-31T16:30:00Z', 'gregorian', 'en')).toBe('2026-01-01 00:30');
    expect(formatDateTime('2026-01-05T06:05:00Z', 'roc', 'zh-TW', 'long')).toBe('民國115年1月5日 14:05');
  });
  it('labels years and quarters in the chosen calendar', () => {
    expect(rocYear(2026)).toBe(115);
    expect(quarterLabel(2026, 1, 'roc', 'zh-TW')).toBe('115年第1季');
    expect(quarterLabel(2026, 1, 'gregorian', 'zh-TW')).toBe('2026年第1季');
    expect(quarterLabel(2026, 1, 'gregorian', 'en')).toBe('2026 Q1');
    expect(quarterLabel(2026, 4, 'roc', 'en')).toBe('ROC 115 Q4');
    expect(yearLabel(2026, 'roc', 'zh-TW')).toBe('115年');
    expect(yearLabel(2026, 'gregorian', 'zh-TW')).toBe('2026年');
    expect(yearLabel(2026, 'gregorian', 'en')).toBe('2026');
    expect(yearLabel(2026, 'roc', 'en')).toBe('ROC 115');
  });
  it('counts calendar days', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
    expect(daysBetween('2026-03-01', '2026-01-01')).toBe(-59);
    expect(lastDayOfMonth(2024, 2)).toBe('2024-02-29');
    expect(lastDayOfMonth(2026, 12)).toBe('2026-12-31');
    expect(calendarDate(2024, 2, 29)).toBe('2024-02-29');
    expect(calendarDate(2025, 2, 29)).toBeNull();
    expect(calendarDate(2025, 13, 1)).toBeNull();
  });
});
