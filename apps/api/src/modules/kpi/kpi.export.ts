import ExcelJS from 'exceljs';
import {
  kpiAttainment,
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
  KpiFilter,
  KpiOverviewItem,
  KpiRecord,
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
  /** One KPI's export: the records behind its figure, the first EXPORT_RECORDS_CAP of them. */
  records?: { items: KpiRecord[]; capped: boolean };
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
  return filterParts(locale, f, label, calendar).join(' · ');
}

function filterParts(
  locale: Locale,
  f: KpiFilter,
  label: (by: string, key: string) => string,
  calendar: CalendarStyle = 'roc',
): string[] {
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
  return parts;
}

/** A file name from words: no path or reserved characters, spaces as `_`, bounded. */
const fileWords = (words: string[]) =>
  words
    .join('-')
    .replace(/:\s*/g, '')
    .replace(/[\\/*?"<>|]+|\p{Cc}+/gu, '')
    .replace(/\s+/g, '_')
    .slice(0, 120);

/** Excel number formats: counts grouped, decimals where the screen shows them, ratios as percent. */
const NUM_FMT = { int: '#,##0', dec: '#,##0.00', ratio: '0.0"%"', share: '0.0%' } as const;
const numFmtOf = (v: number, kind: string) =>
  kind === 'ratio' ? NUM_FMT.ratio : kind === 'mean' || !Number.isInteger(v) ? NUM_FMT.dec : NUM_FMT.int;

/** Writes a row whose numbers stay numbers (with a format) and whose text is made safe. */
function addRow(ws: ExcelJS.Worksheet, cells: (string | number | null | { n: number; fmt: string })[]) {
  const row = ws.addRow(cells.map((c) => (c !== null && typeof c === 'object' ? c.n : safeCell(c))));
  cells.forEach((c, i) => {
    if (c !== null && typeof c === 'object') row.getCell(i + 1).numFmt = c.fmt;
  });
  return row;
}

/** One row of the overview: the figures as numbers, formatted per file. */
type OverviewRow = {
  code: string;
  name: string;
  measure: string;
  unit: string;
  kind: string;
  measured: boolean;
  target: number | null;
  illustrative: boolean;
  actual: number | null;
  attainment: number | null;
};

/** Cells of an overview row in a sheet: numbers numeric (formatted), gaps as "—". */
function sheetCells(r: OverviewRow, locale: Locale) {
  const t = translator(locale);
  return [
    r.code,
    r.name,
    r.measure,
    r.unit,
    r.target === null ? '—' : { n: r.target, fmt: numFmtOf(r.target, 'count') },
    !r.measured
      ? t('kpi.not_measured')
      : r.actual === null
        ? '—'
        : { n: r.actual, fmt: numFmtOf(r.actual, r.kind) },
    r.attainment === null ? '—' : { n: r.attainment / 100, fmt: NUM_FMT.share },
    r.illustrative ? t('kpi.demo_data') : null,
  ];
}

/** Cells of an overview row on paper, as the screen writes them. */
function paperCells(r: OverviewRow, locale: Locale): string[] {
  const t = translator(locale);
  return [
    r.code,
    r.name,
    r.measure,
    r.unit,
    r.target === null ? '—' : formatNumber(r.target, 'count', locale),
    r.measured ? formatNumber(r.actual, r.kind, locale) : t('kpi.not_measured'),
    r.attainment === null ? '—' : `${formatNumber(r.attainment, 'ratio', locale)}%`,
    r.illustrative ? t('kpi.demo_data') : '',
  ];
}

/**
 * The dashboard as on screen: the overview table, then the open KPI's breakdowns. With a KPI open
 * the file is that KPI's, named after it and the filters, and its XLSX lists the records behind it.
 */
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
  const one = data.breakdowns.length
    ? data.overview.find((k) => k.code === data.breakdowns[0]!.kpiCode)
    : undefined;
  const fileName = one
    ? `${fileWords([one.code, localized(one.name, locale), ...filterParts(locale, filter, label, calendar), stamp])}.${format}`
    : `${t('kpi.export.file')}-${filter.year}-${stamp}.${format}`;
  const overviewHeaders = [
    t('kpi.col.code'),
    t('kpi.col.name'),
    t('kpi.col.measure'),
    t('kpi.col.unit'),
    t('kpi.col.target'),
    t('kpi.col.actual'),
    t('kpi.col.attainment'),
    t('kpi.col.note'),
  ];
  const overviewRows: OverviewRow[] = data.overview.flatMap((k) => {
    const base = {
      code: k.code,
      name: localized(k.name, locale),
      unit: t(`kpi.unit.${k.unit}`),
      kind: k.kind,
      measured: k.measured,
    };
    return [
      {
        ...base,
        measure: t('kpi.all_measures'),
        target: k.target,
        illustrative: k.targetIllustrative,
        actual: k.actual?.value ?? null,
        attainment: k.attainment,
      },
      ...k.measures.map((m) => ({
        ...base,
        measure: m.measureCode ?? t('kpi.no_measure'),
        target: m.target,
        illustrative: m.targetIllustrative,
        actual: m.actual?.value ?? null,
        attainment: m.attainment,
      })),
    ];
  });
  const breakdownTitle = (b: KpiBreakdown) =>
    t('kpi.export.breakdown', { code: b.kpiCode, by: t(`kpi.by.${b.by}`) });
  const kindOf = (code: string) => data.overview.find((k) => k.code === code)?.kind ?? 'count';
  const illustrative = overviewRows.some((r) => r.illustrative);

  if (format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    wb.creator = '數位人才發展平台';
    const ws = wb.addWorksheet(t('kpi.export.sheet_overview'));
    ws.addRow([title]).font = { bold: true, size: 14 };
    ws.addRow([filterText(locale, filter, label, calendar)]);
    if (illustrative) ws.addRow([t('kpi.illustrative_note')]);
    ws.addRow([]);
    ws.addRow(overviewHeaders).font = { bold: true };
    for (const r of overviewRows) addRow(ws, sheetCells(r, locale));
    ws.columns.forEach((c, i) => (c.width = [8, 36, 12, 10, 12, 12, 10, 12][i] ?? 12));
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
      const kind = kindOf(b.kpiCode);
      const cells = (first: string, f: KpiBreakdown['total']) => [
        first,
        f.value === null ? '—' : { n: f.value, fmt: numFmtOf(f.value, kind) },
        ...(ratio
          ? [f.numerator, f.denominator].map((v) => (v === null ? '—' : { n: v, fmt: numFmtOf(v, 'count') }))
          : []),
      ];
      for (const r of b.rows) addRow(sheet, cells(label(b.by, r.key), r));
      addRow(sheet, cells(t('kpi.total'), b.total)).font = { bold: true };
      sheet.columns.forEach((c, i) => (c.width = i === 0 ? 28 : 14));
    }
    if (one && data.records) {
      const sheet = wb.addWorksheet(t('kpi.export.sheet_records').slice(0, 31));
      sheet.addRow([
        t('kpi.export.records_title', { code: one.code, name: localized(one.name, locale) }),
      ]).font = {
        bold: true,
      };
      sheet.addRow([filterText(locale, filter, label, calendar)]);
      sheet.addRow([
        data.records.capped
          ? t('kpi.export.records_capped', { n: data.records.items.length })
          : t('kpi.export.records_count', { n: data.records.items.length }),
      ]);
      sheet.addRow([]);
      sheet.addRow([
        t('kpi.col.record'),
        t('kpi.col.date'),
        t('kpi.col.measure'),
        t('kpi.col.county'),
        t('kpi.col.industry'),
        t('kpi.col.sme'),
        t('kpi.col.gender'),
        t('kpi.col.age_band'),
        t('kpi.col.value'),
      ]).font = { bold: true };
      for (const r of data.records.items)
        addRow(sheet, [
          r.label,
          formatDate(r.eventDate, calendar, locale),
          r.measureCode ?? '—',
          label('county', r.countyCode ?? ''),
          label('industry', r.industrySection ?? ''),
          label('sme', r.smeStatus ?? ''),
          label('gender', r.gender ?? ''),
          label('age_band', r.ageBand ?? ''),
          { n: r.value, fmt: numFmtOf(r.value, 'count') },
        ]);
      sheet.columns.forEach((c, i) => (c.width = [24, 12, 10, 12, 16, 12, 10, 10, 10][i] ?? 12));
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
  if (illustrative) blocks.push({ kind: 'text', text: t('kpi.illustrative_note'), muted: true });
  blocks.push({
    kind: 'table',
    columns: [
      { header: overviewHeaders[0]!, width: 6 },
      { header: overviewHeaders[1]!, width: 27 },
      { header: overviewHeaders[2]!, width: 9 },
      { header: overviewHeaders[3]!, width: 7 },
      { header: overviewHeaders[4]!, width: 10, align: 'right' },
      { header: overviewHeaders[5]!, width: 10, align: 'right' },
      { header: overviewHeaders[6]!, width: 8, align: 'right' },
      { header: overviewHeaders[7]!, width: 8 },
    ],
    rows: overviewRows.map((r) => paperCells(r, locale)),
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
    t('kpi.col.note'),
  ];
  const figures = r.figures.map((f) => ({
    row: {
      code: f.kpiCode,
      name: localized(f.name, locale),
      measure: f.level === 'kpi' ? t('kpi.all_measures') : (f.measureCode ?? t('kpi.no_measure')),
      unit: t(`kpi.unit.${f.unit}`),
      kind: f.kind,
      measured: true,
      target: f.target,
      illustrative: f.targetIllustrative ?? false,
      actual: f.actual.value,
      // A report's figures are the whole programme's, year to date: nothing narrows them.
      attainment: kpiAttainment(f.actual, f.target, {}, f.level),
    } satisfies OverviewRow,
    records: f.records,
  }));
  const withRecords = <T>(cells: T[], records: T) => [...cells.slice(0, 7), records, ...cells.slice(7)];
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
    if (figures.some((f) => f.row.illustrative)) ws.addRow([t('kpi.illustrative_note')]);
    ws.addRow(headers).font = { bold: true };
    for (const f of figures)
      addRow(ws, withRecords(sheetCells(f.row, locale), { n: f.records, fmt: NUM_FMT.int }));
    ws.columns.forEach((c, i) => (c.width = [8, 36, 12, 10, 12, 12, 10, 10, 12][i] ?? 12));
    return {
      body: Buffer.from(await wb.xlsx.writeBuffer()),
      fileName,
      contentType: EXPORT_CONTENT_TYPE.xlsx,
    };
  }
  const body = await renderPdf({ title, footer: title, lang: locale === 'en' ? 'en' : 'zh-TW' }, [
    { kind: 'title', text: title },
    ...meta.map((text): PdfBlock => ({ kind: 'text', text, muted: true })),
    ...(figures.some((f) => f.row.illustrative)
      ? [{ kind: 'text', text: t('kpi.illustrative_note'), muted: true } satisfies PdfBlock]
      : []),
    {
      kind: 'table',
      columns: [
        { header: headers[0]!, width: 6 },
        { header: headers[1]!, width: 25 },
        { header: headers[2]!, width: 9 },
        { header: headers[3]!, width: 7 },
        { header: headers[4]!, width: 9, align: 'right' },
        { header: headers[5]!, width: 9, align: 'right' },
        { header: headers[6]!, width: 8, align: 'right' },
        { header: headers[7]!, width: 7, align: 'right' },
        { header: headers[8]!, width: 8 },
      ],
      rows: figures.map((f) => withRecords(paperCells(f.row, locale), String(f.records))),
    },
  ]);
  return { body, fileName, contentType: 'application/pdf' };
}
