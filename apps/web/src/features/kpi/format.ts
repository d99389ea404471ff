import type { KpiFigure, KpiKind } from '@dtp/contracts';

const nf = (lang: string, digits: number) =>
  new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-TW', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

/** A figure as a reader expects it: counts grouped, a ratio as a percentage, a mean with two decimals. */
export function formatValue(v: number | null | undefined, kind: KpiKind, lang: string): string {
  if (v === null || v === undefined) return '—';
  const digits = kind === 'ratio' ? 1 : kind === 'mean' ? 2 : Number.isInteger(v) ? 0 : 2;
  return nf(lang, digits).format(v) + (kind === 'ratio' ? '%' : '');
}

export const formatCount = (v: number | null | undefined, lang: string) =>
  v === null || v === undefined ? '—' : nf(lang, Number.isInteger(v) ? 0 : 2).format(v);

/** Actual as a share of target, or null when either is missing. */
export const attainment = (actual: KpiFigure | null | undefined, target: number | null | undefined) =>
  actual?.value !== null && actual?.value !== undefined && target ? (actual.value / target) * 100 : null;

export const formatPercent = (v: number | null, lang: string) =>
  v === null ? '—' : `${nf(lang, 1).format(v)}%`;
