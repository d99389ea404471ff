import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
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
 * What an import may cost, checked before and while the file is read (issue #8): a file that
 * passes one is refused as a whole with the limit named, never read on until memory runs out.
 */
export const IMPORT_LIMITS = {
  /** Data rows (lines of a CSV, `<row>`s of a sheet), besides the header. */
  rows: 200_000,
  columns: 200,
  cellChars: 2_000,
  /** XLSX: every part of the zip together, inflated. */
  xlsxTotalMb: 256,
  /** XLSX: one worksheet, inflated. */
  sheetMb: 200,
  /** XLSX: the shared-string table, inflated (exceljs holds it in memory while the sheet is read). */
  sharedStringsMb: 64,
  sharedStrings: 1_000_000,
  xlsxEntries: 1_000,
} as const;

const MB = 1024 * 1024;

/** The row (line, 1-based) a byte offset of a text file is on. */
function lineAt(content: Buffer, offset: number): number {
  let n = 1;
  for (let i = content.indexOf(10); i !== -1 && i < offset; i = content.indexOf(10, i + 1)) n++;
  return n;
}

/** The offset of the first byte that is not valid UTF-8, or -1; and whether any multibyte character came before it. */
function utf8Scan(b: Buffer): { bad: number; multibyte: boolean } {
  let multibyte = false;
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return { bad: i, multibyte };
    for (let k = 1; k <= n; k++) {
      const t = b[i + k];
      if (t === undefined || (t & 0xc0) !== 0x80) return { bad: i, multibyte };
    }
    const second = b[i + 1]!;
    if (
      (c === 0xe0 && second < 0xa0) ||
      (c === 0xed && second > 0x9f) ||
      (c === 0xf0 && second < 0x90) ||
      (c === 0xf4 && second > 0x8f)
    )
      return { bad: i, multibyte };
    multibyte = true;
    i += n + 1;
  }
  return { bad: -1, multibyte };
}

/**
 * A double-byte encoding's fit: whether every byte pair is well formed (`bad`: the first that is
 * not, or -1), and the share of pairs that fall among the common characters and punctuation,
 * where real text in that encoding keeps nearly all of its characters.
 */
type Fit = { bad: number; pairs: number; common: number };
function pairScan(
  b: Buffer,
  isTrail: (t: number) => boolean,
  isCommon: (lead: number, trail: number) => boolean,
): Fit {
  let pairs = 0;
  let common = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x80) continue;
    const t = b[i + 1];
    if (c === 0x80 || c === 0xff || t === undefined || !isTrail(t)) return { bad: i, pairs, common };
    pairs++;
    if (isCommon(c, t)) common++;
    i++;
  }
  return { bad: -1, pairs, common };
}

/** Big5 (CP950): common characters A440–C67E, punctuation and symbols A140–A3BF. */
const big5Fit = (b: Buffer) =>
  pairScan(
    b,
    (t) => (t >= 0x40 && t <= 0x7e) || (t >= 0xa1 && t <= 0xfe),
    (l, t) => {
      const code = (l << 8) | t;
      return (code >= 0xa140 && code <= 0xa3bf) || (code >= 0xa440 && code <= 0xc67e);
    },
  );
/** GBK: GB2312's first level (the 3 755 common characters, B0A1–D7F9) and its punctuation (A1–A3). */
const gbkFit = (b: Buffer) =>
  pairScan(
    b,
    (t) => t >= 0x40 && t <= 0xfe && t !== 0x7f,
    (l, t) => t >= 0xa1 && ((l >= 0xb0 && l <= 0xd7) || (l >= 0xa1 && l <= 0xa3)),
  );
const share = (f: Fit) => (f.pairs ? f.common / f.pairs : 0);
/** Below this share of common characters a decoding is not believed. */
const PLAUSIBLE = 0.8;

/**
 * BOM → UTF-8 (or UTF-16LE, Excel's "Unicode text"); bytes that are all valid UTF-8 → UTF-8; else
 * Big5 (CP950, what Excel on a Traditional Chinese Windows saves as "CSV") when every byte pair is
 * well-formed Big5 and the text reads as Traditional Chinese. Anything else is refused, naming the
 * first row that does not fit: text in GBK (Simplified Chinese), a UTF-8 file with rows pasted in
 * from a Big5 one, or bytes that fit no supported encoding. Nothing is decoded by guesswork.
 */
export function detectEncoding(content: Buffer): TextEncoding {
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) return 'utf-8-bom';
  if (content[0] === 0xff && content[1] === 0xfe) return 'utf-16le';
  const utf8 = utf8Scan(content);
  if (utf8.bad < 0) return 'utf-8';
  const big5 = big5Fit(content);
  const gbk = gbkFit(content);
  const firstHigh = content.findIndex((c) => c >= 0x80);
  if (
    big5.bad < 0 &&
    (share(big5) >= PLAUSIBLE || big5.pairs < 4) &&
    !(gbk.bad < 0 && share(gbk) > share(big5))
  )
    return 'big5';
  if (gbk.bad < 0 && share(gbk) >= PLAUSIBLE)
    throw new FileProblem('encoding_gbk', { row: lineAt(content, firstHigh) });
  if (utf8.multibyte) throw new FileProblem('encoding_mixed', { row: lineAt(content, utf8.bad) });
  throw new FileProblem('encoding_unknown', {
    row: lineAt(content, big5.bad >= 0 ? big5.bad : firstHigh),
  });
}

const CHUNK = 256 * 1024;

function* decodeChunks(content: Buffer, encoding: TextEncoding): Generator<string> {
  const skip = encoding === 'utf-8-bom' ? 3 : encoding === 'utf-16le' ? 2 : 0;
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  // Strict: a byte sequence the encoding does not define stops the reading, never becomes U+FFFD.
  const decoder = new TextDecoder(label, { fatal: true });
  for (let i = skip; i < content.length; i += CHUNK) {
    let text: string;
    try {
      text = decoder.decode(content.subarray(i, i + CHUNK), { stream: i + CHUNK < content.length });
    } catch {
      throw new FileProblem('encoding_unknown', { row: lineAt(content, i) });
    }
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
    // One record is never held beyond what its columns and cells may hold together.
    max_record_size: IMPORT_LIMITS.columns * IMPORT_LIMITS.cellChars,
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
    if (err.code === 'CSV_MAX_RECORD_SIZE')
      throw new FileProblem('cell_too_long', { row: err.lines ?? n + 1, limit: IMPORT_LIMITS.cellChars });
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

/**
 * The XLSX's zip checked before exceljs reads it: every part inflated once, counted and thrown
 * away, so the declared sizes (which a crafted file may lie about) are not trusted. Refuses a
 * workbook whose parts together, one sheet, or the shared-string table inflate beyond the limits,
 * whose shared-string table has too many strings, or whose sheet has too many rows.
 */
export async function checkXlsx(content: Buffer): Promise<void> {
  const L = IMPORT_LIMITS;
  let eocd = -1;
  for (let i = content.length - 22; i >= Math.max(0, content.length - 22 - 0xffff); i--) {
    if (content.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FileProblem('not_tabular');
  const count = content.readUInt16LE(eocd + 10);
  const dirOffset = content.readUInt32LE(eocd + 16);
  if (count > L.xlsxEntries) throw new FileProblem('xlsx_too_large', { limitMb: L.xlsxTotalMb });
  let total = 0;
  let p = dirOffset;
  for (let e = 0; e < count; e++) {
    if (p + 46 > content.length || content.readUInt32LE(p) !== 0x02014b50)
      throw new FileProblem('not_tabular');
    const method = content.readUInt16LE(p + 10);
    const compressed = content.readUInt32LE(p + 20);
    const nameLength = content.readUInt16LE(p + 28);
    const extraLength = content.readUInt16LE(p + 30);
    const commentLength = content.readUInt16LE(p + 32);
    const local = content.readUInt32LE(p + 42);
    const name = content.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (local + 30 > content.length || content.readUInt32LE(local) !== 0x04034b50)
      throw new FileProblem('not_tabular');
    const start = local + 30 + content.readUInt16LE(local + 26) + content.readUInt16LE(local + 28);
    if (compressed === 0xffffffff || start + compressed > content.length)
      throw new FileProblem('not_tabular');
    const data = content.subarray(start, start + compressed);
    const sharedStrings = /^xl\/sharedStrings\.xml$/i.test(name);
    const sheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(name);
    const partLimit = sharedStrings ? L.sharedStringsMb : sheet ? L.sheetMb : L.xlsxTotalMb;
    const limit = Math.min(partLimit * MB, L.xlsxTotalMb * MB - total);
    // `<si>` strings of the table, `<row>`s of a sheet: counted across chunk boundaries.
    const tag = sharedStrings ? '<si' : sheet ? '<row' : null;
    let tags = 0;
    let tail = '';
    const size = await inflatedSize(data, method, limit, (chunk) => {
      if (!tag) return null;
      const text = tail + chunk.toString('latin1');
      for (let i = text.indexOf(tag); i !== -1; i = text.indexOf(tag, i + 1)) {
        const next = text[i + tag.length];
        if (next === '>' || next === ' ') tags++;
        else if (next === undefined) break;
      }
      tail = text.slice(-tag.length);
      if (sharedStrings && tags > L.sharedStrings) return 'shared_strings';
      if (sheet && tags > L.rows + 1) return 'rows';
      return null;
    });
    if (size === 'shared_strings')
      throw new FileProblem('too_many_shared_strings', { limit: L.sharedStrings });
    if (size === 'rows') throw new FileProblem('too_many_rows', { limit: L.rows });
    if (size === 'over') {
      if (limit < partLimit * MB) throw new FileProblem('xlsx_too_large', { limitMb: L.xlsxTotalMb });
      if (sharedStrings || sheet)
        throw new FileProblem('xlsx_part_too_large', {
          part: sharedStrings ? 'sharedStrings' : 'sheet',
          limitMb: partLimit,
        });
      throw new FileProblem('xlsx_too_large', { limitMb: L.xlsxTotalMb });
    }
    if (typeof size === 'number') total += size;
  }
}

/** A zip entry's inflated size, streamed and never kept: 'over' past `limit`, or what `onChunk` stops it for. */
function inflatedSize(
  data: Buffer,
  method: number,
  limit: number,
  onChunk: (b: Buffer) => string | null,
): Promise<number | string> {
  if (method === 0) {
    if (data.length > limit) return Promise.resolve('over');
    return Promise.resolve(onChunk(data) ?? data.length);
  }
  if (method !== 8) return Promise.reject(new FileProblem('not_tabular'));
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let n = 0;
    let done = false;
    const stop = (v: number | string) => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve(v);
    };
    inflate.on('data', (b: Buffer) => {
      if (done) return;
      n += b.length;
      if (n > limit) return stop('over');
      const why = onChunk(b);
      if (why) stop(why);
    });
    inflate.on('end', () => stop(n));
    inflate.on('error', () => {
      if (!done) {
        done = true;
        reject(new FileProblem('not_tabular'));
      }
    });
    inflate.end(data);
  });
}

/** Rows past the limits of rows, columns and cell length stop the reading with the limit named. */
async function* bounded(rows: AsyncGenerator<SheetRow>): AsyncGenerator<SheetRow> {
  const L = IMPORT_LIMITS;
  let n = 0;
  for await (const row of rows) {
    if (++n > L.rows + 1) throw new FileProblem('too_many_rows', { limit: L.rows });
    let last = row.cells.length;
    while (
      last > 0 &&
      (row.cells[last - 1] === null || row.cells[last - 1] === undefined || row.cells[last - 1] === '')
    )
      last--;
    if (last > L.columns) throw new FileProblem('too_many_columns', { row: row.rowNumber, limit: L.columns });
    for (const c of row.cells)
      if (typeof c === 'string' && c.length > L.cellChars)
        throw new FileProblem('cell_too_long', { row: row.rowNumber, limit: L.cellChars });
    yield row;
  }
}

/** Every row of the file (header first), numbered as Excel shows them, within IMPORT_LIMITS. */
export async function* readRows(content: Buffer, format: FileFormat, encoding: TextEncoding | null) {
  if (content.length === 0) throw new FileProblem('empty_file');
  if (format === 'xlsx') {
    await checkXlsx(content);
    yield* bounded(xlsxRows(content));
  } else {
    const lines = estimateRows(content, 'csv') ?? 0;
    if (lines > IMPORT_LIMITS.rows) throw new FileProblem('too_many_rows', { limit: IMPORT_LIMITS.rows });
    yield* bounded(csvRows(content, encoding ?? 'utf-8'));
  }
}

/** A private-use code point (U+E000–F8FF, planes 15–16): a font's own character (造字) no one else can read. */
export const privateUse = (s: string): string | null => {
  const m = /[\uE000-\uF8FF]|[\uDB80-\uDBFF][\uDC00-\uDFFF]/.exec(s);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
};

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
