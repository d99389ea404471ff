import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/** A column of an export: the header a person reads and how a row gives its value. */
export type ExportColumn<T> = { header: string; value: (row: T) => string | number | boolean | null };
export type ExportFormat = 'csv' | 'xlsx';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR: OWASP's CSV-injection list)
 * gets a leading apostrophe, so it stays text. Numbers stay numbers.
 */
export function safeCell(v: string | number | boolean | null | undefined): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

const csvField = (v: string | number | boolean | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/**
 * Streams rows to CSV (UTF-8 with a BOM, so Excel reads the Chinese) or XLSX (exceljs's streaming
 * writer): the rows are read once from the async iterable and never held in memory together.
 */
export function exportStream<T>(
  format: ExportFormat,
  columns: ExportColumn<T>[],
  rows: AsyncIterable<T>,
  sheetName = 'data',
): Readable {
  const out = new PassThrough();
  const run =
    format === 'csv'
      ? async () => {
          out.write('\uFEFF' + columns.map((c) => csvField(safeCell(c.header))).join(',') + '\r\n');
          for await (const row of rows) {
            const line = columns.map((c) => csvField(safeCell(c.value(row)))).join(',') + '\r\n';
            if (!out.write(line)) await new Promise((r) => out.once('drain', r));
          }
          out.end();
        }
      : async () => {
          const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
          const ws = wb.addWorksheet(sheetName.slice(0, 31));
          ws.columns = columns.map((c) => ({
            header: c.header,
            width: Math.max(10, c.header.length * 2 + 2),
          }));
          ws.getRow(1).font = { bold: true };
          for await (const row of rows) ws.addRow(columns.map((c) => safeCell(c.value(row)))).commit();
          ws.commit();
          await wb.commit();
        };
  run().catch((e: unknown) => out.destroy(e as Error));
  return out;
}

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A Content-Disposition header that carries a Chinese file name (RFC 6266 / 5987). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replaceAll('"', '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
