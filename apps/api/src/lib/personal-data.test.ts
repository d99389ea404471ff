import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, taipeiDate } from '@dtp/contracts';
import { createPersonalDataProviders } from './personal-data.ts';

describe('calendar days', () => {
  it('adds days across month and leap-year ends', () => {
    expect(addDays('2026-01-20', 15)).toBe('2026-02-04');
    expect(addDays('2028-02-20', 15)).toBe('2028-03-06');
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
  });
  it('counts days between dates', () => {
    expect(daysBetween('2026-01-01', '2026-01-16')).toBe(15);
    expect(daysBetween('2026-01-16', '2026-01-01')).toBe(-15);
  });
  it('takes the day in Asia/Taipei: 16:30 UTC is already tomorrow there', () => {
    expect(taipeiDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
  });
});

describe('providers', () => {
  it('refuses a section registered twice', () => {
    const p = createPersonalDataProviders();
    p.register({ section: 'a', collect: async () => null });
    expect(() => p.register({ section: 'a', collect: async () => null })).toThrow();
    expect(p.list()).toHaveLength(1);
  });
});
