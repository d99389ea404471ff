import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp, type TestSession } from '../../../test/helpers.ts';
import {
  csv,
  encodeBig5,
  encodeGbk,
  multipart,
  nationalId,
  sharedRow,
  xlsxOf,
} from '../../../test/import-files.ts';

/**
 * What an import may cost before it is read (issue #8, item 1), and text in other encodings
 * (item 5): hostile or mis-encoded files are refused with a message that names the limit or the
 * encoding problem, never by taking the server down or corrupting names.
 */
let t: TestApp;
let clerk: TestSession;
let clerkEn: TestSession;
let serial = 7_100_000;

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.createAgency();
  clerk = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency', scopeId: a.id }] }));
  clerkEn = await t.signInAs(
    await t.createAccount({ grants: [{ role: 'agency', scopeId: a.id }], locale: 'en' }),
  );
});
afterAll(async () => t?.close());

type Job = {
  id: string;
  status: string;
  encoding: string | null;
  failure: string | null;
  retryable: boolean;
};
type Problem = { rowNumber: number; field: string | null; issue: string; params?: Record<string, unknown> };

async function uploaded(s: TestSession, name: string, content: Buffer, type = 'text/csv') {
  const res = await t.as(s, {
    method: 'POST',
    url: '/api/imports?kind=people',
    ...multipart(name, content, type),
  });
  expect(res.statusCode, res.body).toBe(201);
  await t.app.services.imports.idle();
  return (await t.as(s, { method: 'GET', url: `/api/imports/${res.json().id}` })).json() as Job;
}
const problemsOf = async (s: TestSession, id: string) =>
  (await t.as(s, { method: 'GET', url: `/api/imports/${id}/problems?limit=200` })).json().items as Problem[];
const reportOf = async (s: TestSession, id: string) =>
  (await t.as(s, { method: 'GET', url: `/api/imports/${id}/problems/export?format=csv` })).body;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = ['姓名', '身分證字號', '電子郵件'];

describe('limits on what an import may cost (item 1)', () => {
  it('reads a small XLSX made by the test’s zip writer (the control for the hostile files)', async () => {
    const id = nationalId(++serial);
    const strings = [...HEADER, '王小明', id, 'xlsx-ok@example.tw'];
    const file = xlsxOf(strings, strings.length, [sharedRow(1, [0, 1, 2]), sharedRow(2, [3, 4, 5])]);
    const job = await uploaded(clerk, 'ok.xlsx', file, XLSX);
    expect(job.status, JSON.stringify(await problemsOf(clerk, job.id))).toBe('preview');
  });

  it('refuses an XLSX declaring a million rows of long shared strings, in bounded time and memory', async () => {
    const ROWS = 1_000_000;
    const long = '長'.repeat(120);
    const file = xlsxOf(
      (function* () {
        yield* HEADER;
        for (let i = 0; i < ROWS; i++) yield `${long}${i}`;
      })(),
      ROWS + HEADER.length,
      (function* () {
        yield sharedRow(1, [0, 1, 2]);
        for (let i = 0; i < ROWS; i++) yield sharedRow(i + 2, [i + 3]);
      })(),
    );
    expect(file.length).toBeLessThan(50 * 1024 * 1024);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = Date.now();
    const job = await uploaded(clerkEn, 'hostile.xlsx', file, XLSX);
    clearInterval(sampler);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(peak - rss0).toBeLessThan(256 * 1024 * 1024);
    expect(job.status).toBe('invalid');
    const [p] = await problemsOf(clerkEn, job.id);
    expect(p).toMatchObject({
      rowNumber: 0,
      issue: 'xlsx_part_too_large',
      params: { part: 'sharedStrings', limitMb: 64 },
    });
    // The error report says it in the clerk's language, naming the limit.
    expect(await reportOf(clerkEn, job.id)).toContain('64 MB');
  }, 60_000);

  it('refuses a CSV with more rows than the limit, naming the limit', async () => {
    const rows = ['姓名\r\n'];
    for (let i = 0; i < 200_001; i++) rows.push(`人${i}\r\n`);
    const job = await uploaded(clerk, 'many.csv', Buffer.from(rows.join('')));
    expect(job.status).toBe('invalid');
    expect(await problemsOf(clerk, job.id)).toEqual([
      expect.objectContaining({ rowNumber: 0, issue: 'too_many_rows', params: { limit: 200_000 } }),
    ]);
    expect(await reportOf(clerk, job.id)).toContain('200,000');
  }, 60_000);

  it('refuses a cell longer than the limit and a row wider than the limit', async () => {
    const long = await uploaded(clerk, 'long.csv', Buffer.from(csv([HEADER, ['王'.repeat(5000), '', '']])));
    expect(await problemsOf(clerk, long.id)).toEqual([
      expect.objectContaining({ rowNumber: 0, issue: 'cell_too_long', params: { row: 2, limit: 2000 } }),
    ]);
    const wide = await uploaded(
      clerk,
      'wide.csv',
      Buffer.from(csv([HEADER, ['王', '', '', ...Array.from({ length: 300 }, () => 'x')]])),
    );
    expect(await problemsOf(clerk, wide.id)).toEqual([
      expect.objectContaining({ rowNumber: 0, issue: 'too_many_columns', params: { row: 2, limit: 200 } }),
    ]);
  });

  it('gives up on a job whose attempts reached the limit: failed, not claimed again', async () => {
    const job = await uploaded(
      clerk,
      'again.csv',
      Buffer.from(csv([HEADER, ['王小明', nationalId(++serial), '']])),
    );
    // As after a process died mid-validation for the third time: validating, lease lapsed.
    await t.db.execute(
      sql`update import_jobs set status = 'validating', attempts = 3, locked_until = now() - interval '1 minute' where id = ${job.id}`,
    );
    await t.app.services.imports.workDue();
    const after = (await t.as(clerk, { method: 'GET', url: `/api/imports/${job.id}` })).json() as Job;
    expect(after).toMatchObject({ status: 'failed', failure: 'attempts', retryable: false });
    const [row] = (
      await t.db.execute<{ attempts: number }>(sql`select attempts from import_jobs where id = ${job.id}`)
    ).rows;
    expect(row!.attempts).toBe(3);
    const retry = await t.as(clerk, { method: 'POST', url: `/api/imports/${job.id}/retry` });
    expect(retry.statusCode).toBe(412);
  });
});

describe('text in other encodings (item 5)', () => {
  it('flags names whose Big5-HKSCS characters decode to private-use code points', async () => {
    // 堃 is FB69 and 喆 FB46 in Big5-HKSCS; CP950 has them in its user-defined area.
    const id = nationalId(++serial);
    const head = encodeBig5(`${HEADER.join(',')}\r\n`);
    const row = Buffer.concat([
      encodeBig5('林'),
      Buffer.from([0xfb, 0x69, 0xfb, 0x46]),
      encodeBig5(`,${id},hkscs@example.tw\r\n`),
    ]);
    const job = await uploaded(clerk, 'hkscs.csv', Buffer.concat([head, row]));
    expect(job).toMatchObject({ status: 'invalid', encoding: 'big5' });
    expect(await problemsOf(clerk, job.id)).toEqual([
      expect.objectContaining({ rowNumber: 2, field: 'name', issue: 'private_use_character' }),
    ]);
  });

  it('refuses a GBK (Simplified Chinese) file, naming the encoding problem and the first bad row', async () => {
    const text = csv([
      ['姓名', '身分证字号', '电子邮件'],
      ['张伟', '', 'gbk1@example.cn'],
      ['王秀英', '', 'gbk2@example.cn'],
      ['李娜', '', 'gbk3@example.cn'],
      ['刘洋', '', 'gbk4@example.cn'],
      ['陈静', '', 'gbk5@example.cn'],
    ]);
    const job = await uploaded(clerk, 'gbk.csv', encodeGbk(text));
    expect(job).toMatchObject({ status: 'invalid', encoding: 'gbk' });
    expect(await problemsOf(clerk, job.id)).toEqual([
      expect.objectContaining({ rowNumber: 0, issue: 'encoding_gbk', params: { row: 1 } }),
    ]);
    expect(await reportOf(clerk, job.id)).toContain('GBK');
  });

  it('refuses a UTF-8 file with one Big5 row, naming that row', async () => {
    const good = Buffer.from(
      csv([HEADER, ['王小明', '', 'u1@example.tw'], ['陳美玲', '', 'u2@example.tw']]),
      'utf8',
    );
    const bad = encodeBig5('林志豪,,u3@example.tw\r\n');
    const more = Buffer.from('黃大同,,u4@example.tw\r\n', 'utf8');
    const job = await uploaded(clerk, 'mixed.csv', Buffer.concat([good, bad, more]));
    expect(job).toMatchObject({ status: 'invalid', encoding: 'unknown' });
    expect(await problemsOf(clerk, job.id)).toEqual([
      expect.objectContaining({ rowNumber: 0, issue: 'encoding_mixed', params: { row: 4 } }),
    ]);
    expect(await reportOf(clerk, job.id)).toContain('4');
  });

  it('still reads a plain Big5 file', async () => {
    const job = await uploaded(
      clerk,
      'big5.csv',
      encodeBig5(csv([HEADER, ['陳淑芬', nationalId(++serial), 'b5@example.tw']])),
    );
    expect(job).toMatchObject({ status: 'preview', encoding: 'big5' });
  });
});
