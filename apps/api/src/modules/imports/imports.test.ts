import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { enterprises, importJobs, importRows, persons } from '../../db/schema/index.ts';
import { createTestApp, errorOf, type TestApp, type TestSession } from '../../../test/helpers.ts';
import {
  badNationalId,
  csv,
  encodeBig5,
  multipart,
  nationalId,
  randomUbn,
} from '../../../test/import-files.ts';
import { newId } from '../../lib/ids.ts';

let t: TestApp;
let pmo: TestSession;
let agencyA: TestSession;
let agencyB: TestSession;
let agencyAId: string;
let serial = 1000;
const nextId = () => nationalId(++serial, 'A', serial % 2 ? 1 : 2);

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.createAgency();
  const b = await t.createAgency();
  agencyAId = a.id;
  pmo = await t.signInAs(await t.createAccount({ roles: ['pmo'] }));
  agencyA = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency', scopeId: a.id }] }));
  agencyB = await t.signInAs(await t.createAccount({ grants: [{ role: 'agency', scopeId: b.id }] }));
});
afterAll(async () => t?.close());

type Job = {
  id: string;
  status: string;
  encoding: string | null;
  format: string;
  rowsTotal: number | null;
  rowsDone: number;
  newCount: number;
  matchCount: number;
  errorCount: number;
  createdCount: number;
  updatedCount: number;
  skippedCount: number;
  failure: string | null;
  retryable: boolean;
  columns: { column: string; field: string | null }[] | null;
};
type Problem = {
  rowNumber: number;
  field: string | null;
  column: string | null;
  issue: string;
  value: string | null;
};

async function upload(s: TestSession, kind: string, fileName: string, content: Buffer, type = 'text/csv') {
  const body = multipart(fileName, content, type);
  return t.as(s, { method: 'POST', url: `/api/imports?kind=${kind}`, ...body });
}

/** Uploads and waits for the validation (run in this process) to finish; returns the job. */
async function validated(s: TestSession, kind: string, fileName: string, content: Buffer, type?: string) {
  const res = await upload(s, kind, fileName, content, type);
  expect(res.statusCode, res.body).toBe(201);
  await t.app.services.imports.idle();
  const job = (await t.as(s, { method: 'GET', url: `/api/imports/${res.json().id}` })).json() as Job;
  expect(['preview', 'invalid']).toContain(job.status);
  return job;
}

const problems = async (s: TestSession, id: string) =>
  (await t.as(s, { method: 'GET', url: `/api/imports/${id}/problems?limit=200` })).json().items as Problem[];
const commit = (s: TestSession, id: string, onMatch: 'update' | 'skip' = 'skip') =>
  t.as(s, { method: 'POST', url: `/api/imports/${id}/commit`, payload: { onMatch } });
const personByEmail = async (email: string) =>
  (await t.db.select().from(persons).where(eq(persons.email, email)))[0];

const PEOPLE_HEADER = ['姓名', '身分證字號', '電子郵件', '性別', '出生日期', '縣市', '學歷'];

describe('reading files', () => {
  it('reads a Big5 (CP950) CSV of people, previews it, and commits it stamped with the agency', async () => {
    const ids = [nextId(), nextId(), nextId()];
    const text = csv([
      PEOPLE_HEADER,
      ['陳淑芬', ids[0]!, 'big5-1@example.tw', '女', '84/4/1', '台北市', '大學'],
      ['林志豪', ids[1]!.toLowerCase(), 'big5-2@example.tw', '男', '1990-12-31', '高雄市', '碩士'],
      ['黃美玲', ids[2]!, 'big5-3@example.tw', '女', '民國79年2月3日', '臺中市', '專科'],
    ]);
    const bytes = encodeBig5(text);
    expect(bytes.toString('utf8')).not.toContain('陳淑芬'); // really not UTF-8
    const job = await validated(agencyA, 'people', '學員名單.csv', bytes);
    expect(job).toMatchObject({
      status: 'preview',
      encoding: 'big5',
      format: 'csv',
      rowsTotal: 3,
      rowsDone: 3,
      newCount: 3,
      errorCount: 0,
    });
    expect(job.columns?.map((c) => c.field)).toEqual([
      'name',
      'nationalId',
      'email',
      'gender',
      'birthDate',
      'countyCode',
      'education',
    ]);

    const rows = (await t.as(agencyA, { method: 'GET', url: `/api/imports/${job.id}/rows` })).json();
    expect(rows.total).toBe(3);
    expect(rows.items[0]).toMatchObject({
      rowNumber: 2,
      status: 'new',
      match: null,
      values: {
        name: '陳淑芬',
        nationalId: `${ids[0]!.slice(0, 6)}****`,
        birthDate: '1995-04-01',
        countyCode: '63000',
        gender: 'female',
        education: 'bachelor',
      },
    });
    expect(rows.items[2].values.birthDate).toBe('1990-02-03');
    expect(JSON.stringify(rows)).not.toContain(ids[0]!);

    const res = await commit(agencyA, job.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'committed',
      createdCount: 3,
      updatedCount: 0,
      skippedCount: 0,
    });
    const p = await personByEmail('big5-2@example.tw');
    expect(p).toMatchObject({
      name: '林志豪',
      countyCode: '64000',
      sourceAgencyId: agencyAId,
      nationalIdKind: 'national',
    });
    expect(p!.nationalIdEnc).not.toContain(ids[1]!);
    expect(p!.nationalIdHash).toBeTruthy();
    expect(p!.nationalIdMasked).toBe(`${ids[1]!.slice(0, 6)}****`);
    // The person is found by national ID through the registry's own search (same keyed hash).
    const found = (await t.as(agencyA, { method: 'GET', url: `/api/people?q=${ids[1]}` })).json();
    expect(found.items.map((x: { id: string }) => x.id)).toEqual([p!.id]);

    // Audit: the upload, the commit summary, the created ids (no personal values in the clear).
    expect(await t.auditRows({ action: 'import.upload', targetId: job.id })).toHaveLength(1);
    const [summary] = await t.auditRows({ action: 'import.commit', targetId: job.id });
    expect(summary!.after).toMatchObject({ kind: 'people', created: 3, updated: 0, skipped: 0 });
    const created = (await t.auditRows({ action: 'person.import' })).find(
      (r) => (r.after as { importId: string }).importId === job.id,
    );
    expect((created!.after as { created: string[] }).created).toContain(p!.id);
    // The file and the staged rows are gone once committed.
    expect(await t.db.select().from(importRows).where(eq(importRows.jobId, job.id))).toHaveLength(0);
    const hasFile = await t.db.execute(sql`select 1 from import_files where job_id = ${job.id}`);
    expect(hasFile.rows).toHaveLength(0);
  });

  it('reads UTF-8 with and without a BOM, and English headers', async () => {
    for (const [bom, expected] of [
      [true, 'utf-8-bom'],
      [false, 'utf-8'],
    ] as const) {
      const text = csv([
        ['Name', 'National ID', 'E-mail', 'County'],
        ['王小明', nextId(), `utf8-${expected}@example.tw`, 'Taichung City'],
      ]);
      const content = Buffer.concat([
        bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
        Buffer.from(text),
      ]);
      const job = await validated(pmo, 'people', 'people.csv', content);
      expect(job).toMatchObject({ status: 'preview', encoding: expected, newCount: 1 });
      expect(job.columns?.[0]).toEqual({ column: 'Name', field: 'name' });
      const rows = (await t.as(pmo, { method: 'GET', url: `/api/imports/${job.id}/rows` })).json();
      expect(rows.items[0].values).toMatchObject({ name: '王小明', countyCode: '66000' });
    }
  });

  it('reads the first sheet of an XLSX of enterprises: numbers that are codes, dates, 臺/台', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('企業');
    const ubnLeadingZero = (() => {
      for (;;) {
        const u = randomUbn();
        if (u.startsWith('0')) return u;
      }
    })();
    const ubn2 = randomUbn();
    ws.addRow(['統一編號', '公司名稱', '行業代碼', '縣市', '實收資本額', '員工數', '備註']);
    ws.addRow([Number(ubnLeadingZero), '台灣數位股份有限公司', 2611, '新竹縣', 50_000_000, 30, '']);
    ws.addRow([ubn2, '大型製造公司', '2931', '臺南市', '2,000,000,000', '850 人', 'x']);
    const content = Buffer.from(await wb.xlsx.writeBuffer());
    const job = await validated(agencyA, 'enterprises', '企業名單.xlsx', content, 'application/octet-stream');
    expect(job).toMatchObject({ status: 'preview', format: 'xlsx', encoding: null, newCount: 2 });
    expect(job.columns?.find((c) => c.column === '備註')).toEqual({ column: '備註', field: null });
    const rows = (await t.as(agencyA, { method: 'GET', url: `/api/imports/${job.id}/rows` })).json();
    expect(rows.items[0].values).toMatchObject({
      ubn: ubnLeadingZero,
      name: '臺灣數位股份有限公司',
      industryCode: '2611',
      countyCode: '10004',
      smeStatus: 'sme',
    });
    expect(rows.items[1].values).toMatchObject({
      paidInCapitalTwd: 2_000_000_000,
      regularEmployees: 850,
      smeStatus: 'large',
    });
    expect((await commit(agencyA, job.id)).statusCode).toBe(200);
    const [e] = await t.db.select().from(enterprises).where(eq(enterprises.ubn, ubnLeadingZero));
    expect(e).toMatchObject({ name: '臺灣數位股份有限公司', smeStatus: 'sme', sourceAgencyId: agencyAId });
    expect(e!.smeStatusAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('broken files', () => {
  it('names row and field: bad checksum, wrong county, bad e-mail, duplicates inside the file', async () => {
    const dup = nextId();
    const text = csv([
      PEOPLE_HEADER,
      ['正確者', nextId(), 'ok@example.tw', '男', '', '', ''],
      ['錯碼者', badNationalId(77), '', '', '', '', ''],
      ['錯縣者', nextId(), '', '', '', '台北縣', ''],
      ['重複甲', dup, 'dup@example.tw', '', '', '', ''],
      ['重複乙', dup, '', '', '', '', ''],
      ['', nextId(), 'not-an-email', '外星', '1990-02-30', '', ''],
    ]);
    const job = await validated(agencyA, 'people', 'broken.csv', Buffer.from(text));
    expect(job).toMatchObject({ status: 'invalid', errorCount: 4, newCount: 2 });
    const list = await problems(agencyA, job.id);
    const brief = list.map((p) => [p.rowNumber, p.field, p.issue]);
    expect(brief).toEqual(
      expect.arrayContaining([
        [3, 'nationalId', 'invalid_checksum'],
        [4, 'countyCode', 'unknown_county'],
        [6, 'nationalId', 'duplicate_in_file'],
        [7, 'name', 'required'],
        [7, 'email', 'invalid_format'],
        [7, 'gender', 'invalid_value'],
        [7, 'birthDate', 'invalid_format'],
      ]),
    );
    const county = list.find((p) => p.field === 'countyCode')!;
    expect(county).toMatchObject({ column: '縣市', value: '台北縣' });
    // ID numbers are masked even in the error list.
    const checksum = list.find((p) => p.issue === 'invalid_checksum')!;
    expect(checksum.value).toMatch(/\*\*\*\*$/);
    // All or nothing: no row is written while any row is wrong.
    const res = await commit(agencyA, job.id);
    expect(res.statusCode).toBe(412);
    expect(errorOf(res).reason).toBe('IMPORT_HAS_ERRORS');
    expect(await personByEmail('ok@example.tw')).toBeUndefined();
  });

  it('refuses a file missing a required column (row 1), an empty file and a file that is not a table', async () => {
    const missing = await validated(
      pmo,
      'enterprises',
      'e.csv',
      Buffer.from(csv([['公司名稱'], ['某公司']])),
    );
    expect(missing.status).toBe('invalid');
    expect((await problems(pmo, missing.id)).map((p) => [p.rowNumber, p.field, p.issue])).toEqual([
      [1, 'ubn', 'missing_column'],
    ]);

    const empty = await validated(pmo, 'people', 'empty.csv', Buffer.alloc(0));
    expect((await problems(pmo, empty.id)).map((p) => [p.rowNumber, p.issue])).toEqual([[0, 'empty_file']]);
    const bomOnly = await validated(pmo, 'people', 'bom.csv', Buffer.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a]));
    expect((await problems(pmo, bomOnly.id)).map((p) => p.issue)).toEqual(['empty_file']);
    const headerOnly = await validated(pmo, 'people', 'h.csv', Buffer.from('姓名,電子郵件\r\n'));
    expect((await problems(pmo, headerOnly.id)).map((p) => p.issue)).toEqual(['no_rows']);

    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.alloc(64),
    ]);
    const notCsv = await validated(pmo, 'people', 'photo.csv', png);
    expect((await problems(pmo, notCsv.id)).map((p) => [p.rowNumber, p.issue])).toEqual([[0, 'not_tabular']]);
    const brokenZip = await validated(
      pmo,
      'people',
      'x.xlsx',
      Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40)]),
    );
    expect((await problems(pmo, brokenZip.id)).map((p) => p.issue)).toEqual(['not_tabular']);
    const xls = await validated(
      pmo,
      'people',
      'old.xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    );
    expect((await problems(pmo, xls.id)).map((p) => p.issue)).toEqual(['xls_unsupported']);
    const quote = await validated(
      pmo,
      'people',
      'q.csv',
      Buffer.from('姓名,電子郵件\r\n"王小明,a@example.tw\r\n'),
    );
    expect((await problems(pmo, quote.id)).map((p) => p.issue)).toEqual(['malformed_csv']);
  });

  it('validates the request: the kind and the file are named', async () => {
    const bad = await upload(pmo, 'classes', 'a.csv', Buffer.from('x'));
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields).toEqual([expect.objectContaining({ field: 'querystring.kind' })]);
    const noFile = await t.as(pmo, {
      method: 'POST',
      url: '/api/imports?kind=people',
      payload: {},
    });
    expect(noFile.statusCode).toBe(400);
    expect(errorOf(noFile)).toMatchObject({
      reason: 'IMPORT_FILE_MISSING',
      fields: [{ field: 'file', issue: 'required' }],
    });
  });

  it('downloads the error list as CSV in the caller’s language', async () => {
    const job = await validated(
      agencyA,
      'people',
      'r.csv',
      Buffer.from(csv([PEOPLE_HEADER, ['某人', badNationalId(5), '', '', '', '', '']])),
    );
    const res = await t.as(agencyA, {
      method: 'GET',
      url: `/api/imports/${job.id}/problems/export?format=csv`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const body = res.body.replace(/^\uFEFF/, '');
    expect(body.split('\r\n')[0]).toBe('列號,欄位,檔案欄名,問題,內容');
    expect(body).toContain('2,身分證字號,身分證字號,檢查碼錯誤,');
  });
});

describe('matching and committing', () => {
  it('shows matches to existing people (by national ID, else e-mail) and updates or skips them', async () => {
    const idKnown = nextId();
    const made = await t.as(agencyA, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '既有者', nationalId: idKnown, phone: '0911111111' },
    });
    expect(made.statusCode).toBe(201);
    const byEmail = await t.as(agencyA, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '信箱者', email: 'known@example.tw' },
    });
    const text = csv([
      ['姓名', '身分證字號', '電子郵件', '電話'],
      ['既有者', idKnown, 'changed@example.tw', ''],
      ['信箱者', '', 'KNOWN@example.tw', '0922222222'],
      ['新人', nextId(), '', ''],
    ]);
    const job = await validated(agencyA, 'people', 'm.csv', Buffer.from(text));
    expect(job).toMatchObject({ status: 'preview', newCount: 1, matchCount: 2 });
    const rows = (
      await t.as(agencyA, { method: 'GET', url: `/api/imports/${job.id}/rows?status=match` })
    ).json();
    expect(rows.items.map((r: { match: { id: string } }) => r.match.id)).toEqual([
      made.json().id,
      byEmail.json().id,
    ]);
    expect(rows.items[0].match.label).toBe(`既○者 ${idKnown.slice(0, 6)}****`);

    const res = await commit(agencyA, job.id, 'update');
    expect(res.json()).toMatchObject({ createdCount: 1, updatedCount: 2, skippedCount: 0 });
    const updated = (await t.db.select().from(persons).where(eq(persons.id, made.json().id)))[0]!;
    expect(updated).toMatchObject({ email: 'changed@example.tw', phone: '0911111111' }); // empty cells keep values
    const [audit] = await t.auditRows({ action: 'person.update', targetId: made.json().id });
    expect(audit!.before).toEqual({ email: null });
    expect(audit!.after).toEqual({ email: 'c***@example.tw', importId: job.id });

    // The same file again, skipping matches: nothing changes.
    const again = await validated(
      agencyA,
      'people',
      'm2.csv',
      Buffer.from(
        csv([
          ['姓名', '身分證字號', '電話'],
          ['既有者', idKnown, '0933333333'],
        ]),
      ),
    );
    expect(again.matchCount).toBe(1);
    expect((await commit(agencyA, again.id, 'skip')).json()).toMatchObject({
      skippedCount: 1,
      updatedCount: 0,
    });
    expect((await t.db.select().from(persons).where(eq(persons.id, made.json().id)))[0]!.phone).toBe(
      '0911111111',
    );
  });

  it('never updates or reveals a record outside the uploader’s scope: the row is a new person, theirs is left as is (decision 016)', async () => {
    const id = nextId();
    const theirs = await t.as(agencyB, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '他單位', nationalId: id },
    });
    const job = await validated(
      agencyA,
      'people',
      's.csv',
      Buffer.from(
        csv([
          ['姓名', '身分證字號', '電話'],
          ['他單位', id, '0944444444'],
        ]),
      ),
    );
    expect(job).toMatchObject({ newCount: 1, matchCount: 0 });
    const rows = (await t.as(agencyA, { method: 'GET', url: `/api/imports/${job.id}/rows` })).json();
    expect(rows.items[0]).toMatchObject({ status: 'new', match: null });
    expect((await commit(agencyA, job.id, 'update')).json()).toMatchObject({
      createdCount: 1,
      updatedCount: 0,
      skippedCount: 0,
    });
    expect((await t.db.select().from(persons).where(eq(persons.id, theirs.json().id)))[0]!.phone).toBeNull();
  });

  it('keeps jobs to their agency: another agency gets 404', async () => {
    const job = await validated(agencyA, 'people', 'a.csv', Buffer.from(csv([['姓名'], ['某甲']])));
    expect((await t.as(agencyB, { method: 'GET', url: `/api/imports/${job.id}` })).statusCode).toBe(404);
    expect((await commit(agencyB, job.id)).statusCode).toBe(404);
    expect((await t.as(pmo, { method: 'GET', url: `/api/imports/${job.id}` })).statusCode).toBe(200);
    const mine = (await t.as(agencyB, { method: 'GET', url: '/api/imports?limit=200' })).json();
    expect(mine.items.map((j: { id: string }) => j.id)).not.toContain(job.id);
  });

  it('lets only one of two simultaneous commits of a job win', async () => {
    const rowsIn = Array.from({ length: 300 }, (_, i) => [`並行${i}`, nextId()]);
    const job = await validated(
      agencyA,
      'people',
      'c.csv',
      Buffer.from(csv([['姓名', '身分證字號'], ...rowsIn])),
    );
    const [a, b] = await Promise.all([commit(agencyA, job.id), commit(agencyA, job.id)]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(errorOf(loser).reason).toBe('IMPORT_BUSY');
    const n = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from persons where name like '並行%'`,
    );
    expect(n.rows[0]!.n).toBe(300);
  });

  it('writes nothing when a record appeared since the preview, and can be validated again', async () => {
    const id = nextId();
    const job = await validated(
      pmo,
      'people',
      'st.csv',
      Buffer.from(
        csv([
          ['姓名', '身分證字號'],
          ['先來', nextId()],
          ['後到', id],
        ]),
      ),
    );
    expect(job.newCount).toBe(2);
    await t.as(pmo, { method: 'POST', url: '/api/people', payload: { name: '搶先', nationalId: id } });
    const res = await commit(pmo, job.id);
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).reason).toBe('IMPORT_STALE');
    const failed = (await t.as(pmo, { method: 'GET', url: `/api/imports/${job.id}` })).json();
    expect(failed).toMatchObject({ status: 'failed', failure: 'stale', retryable: true });
    const n = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from persons where name = '先來'`,
    );
    expect(n.rows[0]!.n).toBe(0);

    expect((await t.as(pmo, { method: 'POST', url: `/api/imports/${job.id}/retry` })).statusCode).toBe(200);
    await t.app.services.imports.idle();
    const again = (await t.as(pmo, { method: 'GET', url: `/api/imports/${job.id}` })).json();
    expect(again).toMatchObject({ status: 'preview', newCount: 1, matchCount: 1 });
    expect((await commit(pmo, job.id)).json()).toMatchObject({ createdCount: 1, skippedCount: 1 });
  });

  it('marks a commit left behind by a dead process as failed and retryable', async () => {
    const job = await validated(pmo, 'people', 'd.csv', Buffer.from(csv([['姓名'], ['遺留']])));
    await t.db
      .update(importJobs)
      .set({ status: 'committing', commitStartedAt: new Date(Date.now() - 60_000) })
      .where(eq(importJobs.id, job.id));
    // A commit still running holds its lock: a fresh one (started now) is left alone.
    const fresh = await validated(pmo, 'people', 'f.csv', Buffer.from(csv([['姓名'], ['進行']])));
    await t.db
      .update(importJobs)
      .set({ status: 'committing', commitStartedAt: new Date() })
      .where(eq(importJobs.id, fresh.id));
    await t.app.services.imports.recoverInterrupted();
    const j = (await t.as(pmo, { method: 'GET', url: `/api/imports/${job.id}` })).json();
    expect(j).toMatchObject({ status: 'failed', failure: 'interrupted', retryable: true });
    expect((await t.as(pmo, { method: 'GET', url: `/api/imports/${fresh.id}` })).json().status).toBe(
      'committing',
    );
    expect(await t.auditRows({ action: 'import.interrupted', targetId: job.id })).toHaveLength(1);
  });

  it('discards a job with its file and staged rows', async () => {
    const job = await validated(agencyA, 'people', 'x.csv', Buffer.from(csv([['姓名'], ['丟棄']])));
    const res = await t.as(agencyA, { method: 'DELETE', url: `/api/imports/${job.id}` });
    expect(res.json().status).toBe('discarded');
    expect(await t.db.select().from(importRows).where(eq(importRows.jobId, job.id))).toHaveLength(0);
    expect((await commit(agencyA, job.id)).statusCode).toBe(412);
    expect(await t.auditRows({ action: 'import.discard', targetId: job.id })).toHaveLength(1);
  });

  it('describes a kind’s columns for the template and help', async () => {
    const res = await t.as(agencyA, { method: 'GET', url: '/api/imports/kinds/enterprises' });
    expect(res.json().columns[0]).toMatchObject({ field: 'ubn', required: true });
    void newId;
  });
});
