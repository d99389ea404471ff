import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { attachment, exportStream, safeCell, type ExportColumn } from './spreadsheet.ts';

async function* rowsOf<T>(rows: T[]) {
  for (const r of rows) yield r;
}
const collect = async (s: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
};
type Row = { name: string; n: number | null };
const columns: ExportColumn<Row>[] = [
  { header: '姓名', value: (r) => r.name },
  { header: 'n', value: (r) => r.n },
];

describe('spreadsheet export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const v of ['=1+1', '+886', '-2', '@SUM(A1)', '\tx', '\rx']) expect(safeCell(v)).toBe(`'${v}`);
    expect(safeCell('王小明')).toBe('王小明');
    expect(safeCell(-2)).toBe(-2);
    expect(safeCell(null)).toBeNull();
  });

  it('writes CSV with a BOM, quoting, and safe cells', async () => {
    const buf = await collect(
      exportStream(
        'csv',
        columns,
        rowsOf([
          { name: '王, "小明"', n: 1 },
          { name: '=HYPERLINK("x")', n: null },
        ]),
      ),
    );
    expect(buf.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(buf.toString('utf8').slice(1)).toBe('姓名,n\r\n"王, ""小明""",1\r\n"\'=HYPERLINK(""x"")",\r\n');
  });

  it('writes an XLSX that reads back, with numbers kept as numbers', async () => {
    const buf = await collect(exportStream('xlsx', columns, rowsOf([{ name: '=cmd', n: 42 }]), '名單'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('名單')!;
    expect(ws.getRow(1).values).toEqual([undefined, '姓名', 'n']);
    expect(ws.getRow(2).values).toEqual([undefined, "'=cmd", 42]);
  });

  it('names a Chinese file in Content-Disposition', () => {
    expect(attachment('人員名單.csv')).toBe(
      `attachment; filename="____.csv"; filename*=UTF-8''%E4%BA%BA%E5%93%A1%E5%90%8D%E5%96%AE.csv`,
    );
  });
});
