import { randomBytes } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { isValidUbn } from '@dtp/contracts';

/**
 * Files for import tests, made by the test: a CP950 (Big5) encoder built from the platform's own
 * `TextDecoder('big5')` by reverse lookup, valid ID numbers by their checksum, multipart bodies.
 */
let big5: Map<string, number> | null = null;
function big5Table(): Map<string, number> {
  if (big5) return big5;
  const table = new Map<string, number>();
  const decoder = new TextDecoder('big5');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (const [from, to] of [
      [0x40, 0x7e],
      [0xa1, 0xfe],
    ] as const) {
      for (let trail = from; trail <= to; trail++) {
        const ch = decoder.decode(Uint8Array.of(lead, trail));
        // The first code for a character wins (CP950 has a few duplicates), as Windows encodes.
        if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, (lead << 8) | trail);
      }
    }
  }
  big5 = table;
  return table;
}

/** Text in Big5 (CP950), as Excel on a Traditional Chinese Windows saves a CSV. */
export function encodeBig5(text: string): Buffer {
  const table = big5Table();
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const code = table.get(ch);
      if (code === undefined) throw new Error(`no Big5 code for ${ch}`);
      out.push(code >> 8, code & 0xff);
    }
  }
  return Buffer.from(out);
}

let gbk: Map<string, number[]> | null = null;
/** Text in GBK (Simplified Chinese Windows), by reverse lookup of the platform's `TextDecoder('gbk')`. */
export function encodeGbk(text: string): Buffer {
  if (!gbk) {
    gbk = new Map();
    const d = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = d.decode(Uint8Array.of(lead, trail));
        if (ch.length === 1 && ch !== '\uFFFD' && !gbk.has(ch)) gbk.set(ch, [lead, trail]);
      }
  }
  const table = gbk;
  return Buffer.from(
    [...text].flatMap((c) => {
      const cp = c.codePointAt(0)!;
      if (cp < 0x80) return [cp];
      const code = table.get(c);
      if (!code) throw new Error(`no GBK code for ${c}`);
      return code;
    }),
  );
}

const LETTERS: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
}; // prettier-ignore

/** A national ID that passes the checksum: letter, sex digit, seven serial digits, check digit. */
export function nationalId(serial: number, letter = 'A', sex: 1 | 2 = 1): string {
  const body = `${sex}${String(serial).padStart(7, '0')}`;
  const v = LETTERS[letter]!;
  let sum = Math.floor(v / 10) + (v % 10) * 9;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * (8 - i);
  return `${letter}${body}${(10 - (sum % 10)) % 10}`;
}

/** A national ID with a wrong check digit. */
export const badNationalId = (serial: number) => {
  const good = nationalId(serial);
  return `${good.slice(0, -1)}${(Number(good.slice(-1)) + 1) % 10}`;
};

/** A random 統一編號 that passes the checksum. */
export function randomUbn(): string {
  for (;;) {
    const u = String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0');
    if (isValidUbn(u)) return u;
  }
}

export const csv = (rows: (string | number)[][]) =>
  rows
    .map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : c)).join(','))
    .join('\r\n') + '\r\n';

/** A multipart/form-data body with one file part, for `app.inject` or fetch. */
export function multipart(fileName: string, content: Buffer, contentType = 'text/csv') {
  const boundary = `----dtp${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A file entry of a zip: its name and its content in pieces (a generator, so a huge entry is never held whole). */
export type ZipEntry = { name: string; pieces: Iterable<string | Buffer> };

/**
 * A zip (deflate, no zip64) written piece by piece with zlib: what an XLSX is. Only the
 * compressed bytes are kept, so a test can make a file that inflates to hundreds of megabytes.
 */
export function zipFile(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const parts: Buffer[] = [];
    let crc = 0;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const deflate = (piece: Buffer, last: boolean) =>
      parts.push(deflateRawSync(piece, { level: 6, finishFlush: last ? undefined : constants.Z_SYNC_FLUSH }));
    // Pieces are deflated in groups of about 4 MB, each group a separate flushed block.
    const flush = (last: boolean) => {
      if (!pendingBytes && !last) return;
      const data = Buffer.concat(pending);
      crc = crc32(data, crc);
      size += data.length;
      pending = [];
      pendingBytes = 0;
      deflate(data, last);
    };
    for (const p of e.pieces) {
      const b = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
      pending.push(b);
      pendingBytes += b.length;
      if (pendingBytes >= 4 << 20) flush(false);
    }
    flush(true);
    const data = Buffer.concat(parts);
    const header = (central: boolean) => {
      const h = Buffer.alloc(central ? 46 : 30);
      let i = 0;
      h.writeUInt32LE(central ? 0x02014b50 : 0x04034b50, i);
      i += 4;
      if (central) {
        h.writeUInt16LE(20, i);
        i += 2;
      }
      h.writeUInt16LE(20, i); // version needed
      h.writeUInt16LE(0x0800, i + 2); // UTF-8 names
      h.writeUInt16LE(8, i + 4); // deflate
      h.writeUInt32LE(0, i + 6); // time, date
      h.writeUInt32LE(crc >>> 0, i + 10);
      h.writeUInt32LE(data.length, i + 14);
      h.writeUInt32LE(size >>> 0, i + 18);
      h.writeUInt16LE(name.length, i + 22);
      if (central) h.writeUInt32LE(offset, i + 36); // local header offset (comment, disk, attrs are 0)
      return Buffer.concat([h, name]);
    };
    const local = header(false);
    locals.push(local, data);
    central.push(header(true));
    offset += local.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** An XLSX of one sheet whose rows are given as arrays of shared-string indexes, with the shared strings. */
export function xlsxOf(sharedStrings: Iterable<string>, count: number, rows: Iterable<string>): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return zipFile([
    {
      name: '[Content_Types].xml',
      pieces: [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
      ],
    },
    {
      name: '_rels/.rels',
      pieces: [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ],
    },
    {
      name: 'xl/workbook.xml',
      pieces: [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ],
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      pieces: [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
      ],
    },
    {
      name: 'xl/sharedStrings.xml',
      pieces: (function* () {
        yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${count}" uniqueCount="${count}">`;
        let chunk = '';
        for (const s of sharedStrings) {
          chunk += `<si><t>${esc(s)}</t></si>`;
          if (chunk.length > 1 << 20) {
            yield chunk;
            chunk = '';
          }
        }
        yield `${chunk}</sst>`;
      })(),
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      pieces: (function* () {
        yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
        let chunk = '';
        for (const r of rows) {
          chunk += r;
          if (chunk.length > 1 << 20) {
            yield chunk;
            chunk = '';
          }
        }
        yield `${chunk}</sheetData></worksheet>`;
      })(),
    },
  ]);
}

/** A sheet row (`<row>`) whose cells are shared-string indexes, in columns A, B, C, … */
export const sharedRow = (r: number, indexes: number[]) =>
  `<row r="${r}">${indexes.map((s, i) => `<c r="${String.fromCharCode(65 + i)}${r}" t="s"><v>${s}</v></c>`).join('')}</row>`;
