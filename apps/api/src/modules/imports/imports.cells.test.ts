import { describe, expect, it } from 'vitest';
import { cellDate } from './imports.cells.ts';

describe('cellDate (on the shared date module)', () => {
  it('reads Excel dates, Gregorian and 民國 spellings into ISO dates; a day that does not exist stays as written', () => {
    expect(cellDate(new Date(Date.UTC(1995, 3, 1)))).toBe('1995-04-01');
    expect(cellDate('1995/4/1')).toBe('1995-04-01');
    expect(cellDate('19950401')).toBe('1995-04-01');
    expect(cellDate('0840401')).toBe('1995-04-01');
    expect(cellDate('84/4/1')).toBe('1995-04-01');
    expect(cellDate('民國84年4月1日')).toBe('1995-04-01');
    expect(cellDate('2025-02-29')).toBe('2025-02-29'); // not a real day: the row schema reports it
    expect(cellDate('2024-02-29')).toBe('2024-02-29');
    expect(cellDate('114/2/29')).toBe('114/2/29');
  });
});
