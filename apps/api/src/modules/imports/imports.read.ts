import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/** A cell as read: CSV gives text; XLSX also numbers, dates and booleans. */
export type Cell = string | number | boolean | Date | null;
export type SheetRow = { rowNumber: number; cells: Cell[] };
export type FileFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf-8-bom' | 'utf-8' | 'utf-16le' | 'big5';

/** A problem with the file as a whole (row 0): the job is invalid without reading further. */
export class FileProblem extends Error {
  readonly issue: string;
  readonly params: Record<string, unknown> | undefined;
  constructor(issue: string, params?: Record<string, unknown>) {
    super(issue);
    this.issue = issue;
    this.params = params;
  }
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]); // the old binary .xls

/** XLSX by its content (a zip), CSV otherwise; an old .xls or another binary file is refused. */
export function detectFormat(content: Buffer): FileFormat {
  if (content.subarray(0, 4).equals(ZIP)) return 'xlsx';
  if (content.subarray(0, 4).equals(OLE)) throw new FileProblem('xls_unsupported');
  return 'csv';
}

/**
 * BOM → UTF-8 (or UTF-16LE, Excel's "Unicode text"); bytes that are valid UTF-8 → UTF-8; else Big5
 * (CP950, what Excel on a Traditional Chinese Windows saves as "CSV"). Checked in chunks, so a
 * large file is never decoded into one string.
 */
export function detectEncoding(content: Buffer): TextEncoding {
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) return 'utf-8-bom';
  if (content[0] === 0xff && content[1] === 0xfe) return 'utf-16le';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let i = 0; i < content.length; i += CHUNK) {
      decoder.decode(content.subarray(i, i + CHUNK), { stream: i + CHUNK < content.length });
    }
    return 'utf-8';
  } catch {
    return 'big5';
  }
}

const CHUNK = 256 * 1024;

function* decodeChunks(content: Buffer, encoding: TextEncoding): Generator<string> {
  const skip = encoding === 'utf-8-bom' ? 3 : encoding === 'utf-16le' ? 2 : 0;
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  const decoder = new TextDecoder(label);
  for (let i = skip; i < content.length; i += CHUNK) {
    const text = decoder.decode(content.subarray(i, i + CHUNK), { stream: i + CHUNK < content.length });
    if (text) yield text;
  }
}

/** The delimiter of the header line: comma, else tab (Excel's "Unicode text"), else semicolon. */
function detectDelimiter(firstText: string): string {
  const line = firstText.split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => line.split(c).length - 1;
  const tabs = count('\t');
  const commas = count(',');
  if (tabs > commas) return '\t';
  if (commas === 0 && count(';') > 0) return ';';
  return ',';
}

/** Text that is not a table: NUL bytes or other control characters a CSV never has. */
function looksBinary(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  const bad = text.slice(0, 4096).match(/[\x00-\x08\x0e-\x1a]/g);
  return !!bad && bad.length > 0;
}

/** A rough count of data rows for the progress bar before the file is read (line breaks). */
export function estimateRows(content: Buffer, format: FileFormat): number | null {
  if (format !== 'csv') return null;
  let n = 0;
  for (let i = content.indexOf(10); i !== -1; i = content.indexOf(10, i + 1)) n++;
  const endsWithBreak = content[content.length - 1] === 10;
  return Math.max(0, n + (endsWithBreak ? 0 : 1) - 1);
}

async function* csvRows(content: Buffer, encoding: TextEncoding): AsyncGenerator<SheetRow> {
  const chunks = decodeChunks(content, encoding);
  const first = chunks.next();
  if (first.done || !first.value.trim()) throw new FileProblem('empty_file');
  if (looksBinary(first.value)) throw new FileProblem('not_tabular');
  const parser = parse({
    delimiter: detectDelimiter(first.value),
    relax_column_count: true,
    skip_empty_lines: false,
    bom: true,
  });
  const source = Readable.from(
    (function* () {
      yield first.value;
      yield* chunks;
    })(),
  );
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  let n = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      n++;
      yield { rowNumber: n, cells: record };
    }
  } catch (e) {
    const err = e as { code?: string; lines?: number };
    if (err.code?.startsWith('CSV_')) throw new FileProblem('malformed_csv', { line: err.lines ?? n + 1 });
    throw e;
  }
}

type XlsxValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | { richText: { text: string }[] }
  | { text: string; hyperlink: string }
  | { formula: string; result?: unknown }
  | { sharedFormula: string; result?: unknown }
  | { error: string };

function xlsxCell(v: XlsxValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('text' in v) return v.text;
  if ('result' in v) return xlsxCell(v.result as XlsxValue);
  return null;
}

/** The first worksheet, streamed: exceljs's reader never holds the whole sheet. */
async function* xlsxRows(content: Buffer): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([content]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  let sheets = 0;
  try {
    for await (const ws of reader) {
      sheets++;
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as XlsxValue[]).slice(1); // exceljs rows are 1-based
        yield { rowNumber: row.number, cells: values.map(xlsxCell) };
      }
      break;
    }
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    throw new FileProblem('not_tabular');
  }
  if (sheets === 0) throw new FileProblem('empty_file');
}

/** Every row of the file (header first), numbered as Excel shows them. */
export function readRows(content: Buffer, format: FileFormat, encoding: TextEncoding | null) {
  if (content.length === 0) throw new FileProblem('empty_file');
  return format === 'xlsx' ? xlsxRows(content) : csvRows(content, encoding ?? 'utf-8');
}

/** `True` when every cell of a row is empty: such rows are passed over, as Excel users expect. */
export const isBlankRow = (cells: Cell[]) =>
  cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

/** A header as compared with a kind's aliases: no spaces, underscores, parentheses or case; 台 → 臺. */
export const normaliseHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）*＊:：.]/g, '')
    .replace(/台/g, '臺');
