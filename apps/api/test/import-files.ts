import { randomBytes } from 'node:crypto';
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
