import ExcelJS from 'exceljs';
import {
  kpiKeyOfFilter,
  formatDate,
  formatDateTime,
  quarterLabel,
  taipeiDate,
  yearLabel,
  type CalendarStyle,
} from '@dtp/contracts';
import type {
  County,
  Industry,
  KpiBreakdown,
  KpiFigure,
  KpiFilter,
  KpiOverviewItem,
  KpiReportDetail,
  Locale,
  LocalizedText,
} from '@dtp/contracts';
import { translator } from '../../lib/i18n.ts';
import { renderPdf, type PdfBlock } from '../../lib/pdf.ts';
import { EXPORT_CONTENT_TYPE, safeCell } from '../../lib/spreadsheet.ts';

export type DashboardData = {
  overview: KpiOverviewItem[];
  breakdowns: KpiBreakdown[];
  counties: County[];
  sections: Industry[];
};
type File = { body: Buffer; fileName: string; contentType: string };

const localized = (t: LocalizedText, locale: Locale) => (locale === 'en' && t.en ? t.en : t['zh-TW']);

/** Numbers as a reader expects: integers grouped, ratios and means with one or two decimals. */
function formatNumber(v: number | null, kind: string, locale: Locale): string {
  if (v === null) return '—';
  const digits = kind === 'ratio' ? 1 : kind === 'mean' ? 2 : Number.isInteger(v) ? 0 : 2;
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-TW', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(v);
}

function labeller(locale: Locale, data: Pick<DashboardData, 'counties' | 'sections'>) {
  const t = translator(locale);
  const county = new Map(data.counties.map((c) => [c.code, locale === 'en' ? c.nameEn : c.nameZh]));
  const section = new Map(
    data.sections.map((s) => [s.section, s.nameEn && locale === 'en' ? s.nameEn : s.nameZh]),
  );
  return (by: string, key: string): string => {
    if (key === '') return t('kpi.unknown');
    switch (by) {
      case 'month':
        return t('kpi.month_n', { n: key });
      case 'county':
        return county.get(key) ?? key;
      case 'industry':
        return `${key} ${section.get(key) ?? ''}`.trim();
      case 'region':
      case 'sme':
      case 'gender':
      case 'age_band':
        return t(`kpi.${by}.${key}`);
      default:
        return key;
    }
  };
}

/** The breakdown whose labels name a filter's values. */
const FILTER_BY = {
  countyCode: 'county',
  region: 'region',
  industrySection: 'industry',
  smeStatus: 'sme',
  gender: 'gender',
  ageBand: 'age_band',
} as const;

/** The filters as a reader names them: 高雄市, not 64000; 未填 for a value not recorded. */
function filterText(
  locale: Locale,
  f: KpiFilter,
  label: (by: string, key: string) => string,
  calendar: CalendarStyle = 'roc',
): string {
  const t = translator(locale);
  const parts = [t('kpi.filter.year', { year: yearLabel(f.year, calendar, locale) })];
  if (f.throughMonth) parts.push(t('kpi.filter.through_month', { n: f.throughMonth }));
  if (f.month) parts.push(t('kpi.month_n', { n: f.month }));
  if (f.measureCode) parts.push(t('kpi.filter.measure', { code: f.measureCode }));
  for (const [k, by] of Object.entries(FILTER_BY) as [keyof typeof FILTER_BY, string][]) {
    const v = f[k];
    if (v) parts.push(`${t(`kpi.filter.${k}`)}: ${label(by, kpiKeyOfFilter(v))}`);
  }
  if (f.category) parts.push(`${t('kpi.filter.category')}: ${f.category}`);
  return parts.join(' · ');
}

const pct = (actual: KpiFigure | null, target: number | null) =>
  actual?.value !== null && actual?.value !== undefined && target ? (actual.value / target) * 100 : null;

/** The dashboard as on screen: the overview table, then the open KPI's breakdowns. */
export async function dashboardFile(
  format: 'xlsx' | 'pdf',
  locale: Locale,
  filter: KpiFilter,
  data: DashboardData,
  calendar: CalendarStyle = 'roc',
): Promise<File> {
  const t = translator(locale);
  const label = labeller(locale, data);
  const title = t('kpi.export.title', { year: yearLabel(filter.year, calendar, locale) });
  const now = new Date();
  const stamp = taipeiDate(now);
  const fileName = `${t('kpi.export.file')}-${filter.year}-${stamp}.${format}`;
  const overviewHeaders = [
    t('kpi.col.code'),
    t('kpi.col.name'),
    t('kpi.col.measure'),
    t('kpi.col.unit'),
    t('kpi.col.target'),
    t('kpi.col.actual'),
    t('kpi.col.attainment'),
  ];
  const overviewRows = data.overview.flatMap((k) => {
    const unit = t(`kpi.unit.${k.unit}`);
    const row = (measure: string, target: number | null, actual: KpiFigure | null) => [
      k.code,
      localized(k.name, locale),
      measure,
      unit,
      target === null ? '—' : formatNumber(target, 'count', locale),
      k.measured ? formatNumber(actual?.value ?? null, k.kind, locale) : t('kpi.not_measured'),
      pct(actual, target) === null ? '—' : `${formatNumber(pct(actual, target), 'ratio', locale)}%`,
    ];
    return [
      row(t('kpi.all_measures'), k.target, k.actual),
      ...k.measures.map((m) => row(m.measureCode ?? t('kpi.no_measure'), m.target, m.actual)),
    ];
  });
  const breakdownTitle = (b: KpiBreakdown) =>
    t('kpi.export.breakdown', { code: b.kpiCode, by: t(`kpi.by.${b.by}`) });
  const kindOf = (code: string) => data.overview.find((k) => k.code === code)?.kind ?? 'count';

  if (format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    wb.creator = '數位人才發展平台';
    const ws = wb.addWorksheet(t('kpi.export.sheet_overview'));
    ws.addRow([title]).font = { bold: true, size: 14 };
    ws.addRow([filterText(locale, filter, label, calendar)]);
    if (data.overview.some((k) => k.targetIllustrative)) ws.addRow([t('kpi.illustrative_note')]);
    ws.addRow([]);
    ws.addRow(overviewHeaders).font = { bold: true };
    for (const r of overviewRows) ws.addRow(r.map((c) => safeCell(c)));
    ws.columns.forEach((c, i) => (c.width = [8, 36, 12, 10, 12, 12, 10][i] ?? 12));
    for (const b of data.breakdowns) {
      const sheet = wb.addWorksheet(t(`kpi.by.${b.by}`).slice(0, 31));
      sheet.addRow([breakdownTitle(b)]).font = { bold: true };
      sheet.addRow([filterText(locale, filter, label, calendar)]);
      sheet.addRow([]);
      const ratio = b.total.denominator !== null;
      sheet.addRow([
        t(`kpi.by.${b.by}`),
        t('kpi.col.actual'),
        ...(ratio ? [t('kpi.col.numerator'), t('kpi.col.denominator')] : []),
      ]).font = { bold: true };
      for (const r of b.rows)
        sheet.addRow([safeCell(label(b.by, r.key)), r.value, ...(ratio ? [r.numerator, r.denominator] : [])]);
      sheet.addRow([
        t('kpi.total'),
        b.total.value,
        ...(ratio ? [b.total.numerator, b.total.denominator] : []),
      ]).font = {
        bold: true,
      };
      sheet.columns.forEach((c, i) => (c.width = i === 0 ? 28 : 14));
    }
    return {
      body: Buffer.from(await wb.xlsx.writeBuffer()),
      fileName,
      contentType: EXPORT_CONTENT_TYPE.xlsx,
    };
  }

  const blocks: PdfBlock[] = [
    { kind: 'title', text: title },
    { kind: 'text', text: filterText(locale, filter, label, calendar), muted: true },
  ];
  if (data.overview.some((k) => k.targetIllustrative))
    blocks.push({ kind: 'text', text: t('kpi.illustrative_note'), muted: true });
  blocks.push({
    kind: 'table',
    columns: [
      { header: overviewHeaders[0]!, width: 6 },
      { header: overviewHeaders[1]!, width: 30 },
      { header: overviewHeaders[2]!, width: 10 },
      { header: overviewHeaders[3]!, width: 8 },
      { header: overviewHeaders[4]!, width: 11, align: 'right' },
      { header: overviewHeaders[5]!, width: 11, align: 'right' },
      { header: overviewHeaders[6]!, width: 9, align: 'right' },
    ],
    rows: overviewRows,
  });
  for (const b of data.breakdowns) {
    blocks.push({ kind: 'heading', text: breakdownTitle(b) });
    blocks.push({
      kind: 'bars',
      items: b.rows.map((r) => ({
        label: label(b.by, r.key),
        value: r.value ?? 0,
        text: formatNumber(r.value, kindOf(b.kpiCode), locale),
      })),
    });
  }
  const body = await renderPdf(
    {
      title,
      footer: `${t('kpi.export.footer')} ${formatDate(now, calendar, locale)}`,
      lang: locale === 'en' ? 'en' : 'zh-TW',
    },
    blocks,
  );
  return { body, fileName, contentType: 'application/pdf' };
}

/** A frozen quarterly report in the shape the ministry reads: one row per KPI and measure. */
export async function reportFile(
  format: 'xlsx' | 'pdf',
  locale: Locale,
  r: KpiReportDetail,
  calendar: CalendarStyle = 'roc',
): Promise<File> {
  const t = translator(locale);
  const period = quarterLabel(r.year, r.quarter, calendar, locale);
  const title = t('kpi.report.title', { period, version: r.version });
  const fileName = `${t('kpi.report.file')}-${r.year}Q${r.quarter}-v${r.version}.${format}`;
  const headers = [
    t('kpi.col.code'),
    t('kpi.col.name'),
    t('kpi.col.measure'),
    t('kpi.col.unit'),
    t('kpi.col.target'),
    t('kpi.col.actual'),
    t('kpi.col.attainment'),
    t('kpi.col.records'),
  ];
  const rows = r.figures.map((f) => [
    f.kpiCode,
    localized(f.name, locale),
    f.level === 'kpi' ? t('kpi.all_measures') : (f.measureCode ?? t('kpi.no_measure')),
    t(`kpi.unit.${f.unit}`),
    f.target === null ? '—' : formatNumber(f.target, 'count', locale),
    formatNumber(f.actual.value, f.kind, locale),
    pct(f.actual, f.target) === null ? '—' : `${formatNumber(pct(f.actual, f.target), 'ratio', locale)}%`,
    String(f.records),
  ]);
  const meta = [
    t('kpi.report.period_end', { date: formatDate(r.periodEnd, calendar, locale, 'long') }),
    t('kpi.report.submitted', {
      at: formatDateTime(r.submittedAt, calendar, locale),
      by: r.submittedBy ?? '—',
    }),
    ...(r.reason ? [t('kpi.report.reason', { reason: r.reason })] : []),
  ];
  if (format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(period.slice(0, 31));
    ws.addRow([title]).font = { bold: true, size: 14 };
    for (const m of meta) ws.addRow([safeCell(m)]);
    ws.addRow([]);
    ws.addRow(headers).font = { bold: true };
    for (const row of rows) ws.addRow(row.map((c) => safeCell(c)));
    ws.columns.forEach((c, i) => (c.width = [8, 36, 12, 10, 12, 12, 10, 10][i] ?? 12));
    return {
      body: Buffer.from(await wb.xlsx.writeBuffer()),
      fileName,
      contentType: EXPORT_CONTENT_TYPE.xlsx,
    };
  }
  const body = await renderPdf({ title, footer: title, lang: locale === 'en' ? 'en' : 'zh-TW' }, [
    { kind: 'title', text: title },
    ...meta.map((text): PdfBlock => ({ kind: 'text', text, muted: true })),
    {
      kind: 'table',
      columns: [
        { header: headers[0]!, width: 6 },
        { header: headers[1]!, width: 28 },
        { header: headers[2]!, width: 9 },
        { header: headers[3]!, width: 8 },
        { header: headers[4]!, width: 10, align: 'right' },
        { header: headers[5]!, width: 10, align: 'right' },
        { header: headers[6]!, width: 8, align: 'right' },
        { header: headers[7]!, width: 8, align: 'right' },
      ],
      rows,
    },
  ]);
  return { body, fileName, contentType: 'application/pdf' };
}
