import { describe, expect, it } from 'vitest';
import { ageBand, KpiFilter, MetricDefinition } from './kpi.ts';

describe('age band on the day of an event', () => {
  it('uses the age reached that day (a birthday counts from the day itself)', () => {
    expect(ageBand('2000-06-01', '2030-05-31')).toBe('25_29');
    expect(ageBand('2000-06-01', '2030-06-01')).toBe('30_39');
    expect(ageBand('2008-02-29', '2028-02-28')).toBe('under_20');
    expect(ageBand('2008-02-29', '2028-02-29')).toBe('20_24');
    expect(ageBand('1960-01-01', '2025-01-01')).toBe('65_plus');
    expect(ageBand(null, '2025-01-01')).toBeNull();
    expect(ageBand('2026-01-01', '2025-01-01')).toBeNull();
  });
});

describe('KPI contracts', () => {
  it('requires a year and takes every breakdown as a filter', () => {
    expect(KpiFilter.safeParse({}).success).toBe(false);
    expect(KpiFilter.parse({ year: '2026', month: '3', smeStatus: 'unknown' })).toMatchObject({
      year: 2026,
      month: 3,
    });
  });
  it('checks a metric definition', () => {
    const ok = {
      code: 'training.completions',
      kpiCode: 'K01',
      part: 'value',
      module: 'training',
      recordType: 'enrolment',
      counts: { 'zh-TW': '結訓' },
      dateBasis: { 'zh-TW': '結訓日' },
      placeBasis: 'class_county',
      distinct: 'person',
      breakdowns: ['month', 'county'],
      version: 1,
    };
    expect(MetricDefinition.safeParse(ok).success).toBe(true);
    expect(MetricDefinition.safeParse({ ...ok, code: 'Bad Code' }).success).toBe(false);
  });
});
