import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidNationalId, isValidUbn, smeStatus } from '../packages/contracts/src/tw.ts';
import { decryptField } from '../apps/api/src/lib/crypto.ts';
import { createTestApp, type TestApp, type TestSession } from '../apps/api/test/helpers.ts';
import { generate, nationalId, rng, ubn } from './generate.ts';

let a: TestApp;
let b: TestApp;
let pmo: TestSession;
const SCALE = 3000;

beforeAll(async () => {
  [a, b] = await Promise.all([createTestApp(), createTestApp()]);
  await generate(a.database.pool, a.keys, { scale: SCALE, seed: 7 });
  pmo = await a.signInAs(await a.createAccount({ roles: ['pmo'] }));
}, 120_000);
afterAll(async () => Promise.all([a?.close(), b?.close()]));

const rows = async (t: TestApp, sql: string) => (await t.database.pool.query(sql)).rows;
const PLAIN = `select id, name, email, phone, birth_date, gender, nationality, county_code, education,
  employment_status, employer_enterprise_id, national_id_hash, national_id_masked, created_at
  from persons order by id`;

describe('bench data generator', () => {
  it('makes valid national IDs and 統一編號 by the checksum rules', () => {
    const r = rng(1);
    for (let i = 0; i < 2000; i++) {
      expect(isValidNationalId(nationalId(r, 'A', 1 + (i % 2)))).toBe(true);
      expect(isValidNationalId(nationalId(r, 'E', 8 + (i % 2)))).toBe(true);
      expect(isValidUbn(ubn(r))).toBe(true);
    }
  });

  it('fills people and enterprises as the registry stores them: encrypted, hashed, masked, SME derived', async () => {
    const [counts] = await rows(
      a,
      `select (select count(*)::int from persons) as people, (select count(*)::int from enterprises) as ents,
              (select count(*)::int from enterprise_sme_statuses) as sme,
              (select count(distinct county_code)::int from persons) as counties`,
    );
    expect(counts).toMatchObject({ people: SCALE, ents: SCALE / 10, counties: 22 });
    expect(counts.sme).toBe(SCALE / 10); // the trigger kept each enterprise's judgement

    const people = await rows(
      a,
      `select name, gender, national_id_enc, national_id_key_id, national_id_hash, national_id_masked,
              national_id_kind, birth_date from persons`,
    );
    for (const p of people) {
      const id = decryptField(a.keys, p.national_id_key_id, p.national_id_enc);
      expect(isValidNationalId(id), id).toBe(true);
      expect(p.national_id_masked).toBe(`${id.slice(0, 6)}****`);
      if (p.national_id_kind === 'national' && p.gender !== 'other' && p.gender !== 'undisclosed')
        expect(id[1]).toBe(p.gender === 'male' ? '1' : '2');
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      const age = 2026 - Number(String(p.birth_date).slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(66);
    }
    const surnames = new Map<string, number>();
    for (const p of people) surnames.set(p.name[0], (surnames.get(p.name[0]) ?? 0) + 1);
    expect(surnames.get('陳')! / SCALE).toBeGreaterThan(0.07); // the commonest surname, ~11 %

    for (const e of await rows(
      a,
      'select ubn, paid_in_capital_twd as c, regular_employees as n, sme_status as s from enterprises',
    )) {
      expect(isValidUbn(e.ubn), e.ubn).toBe(true);
      expect(e.s).toBe(smeStatus({ paidInCapitalTwd: e.c, regularEmployees: e.n }));
    }
  });

  it('makes the same data from the same seed', async () => {
    await generate(b.database.pool, b.keys, { scale: SCALE, seed: 7 });
    // The keyed hash depends on each database's key; everything else is the same row for row.
    const strip = (xs: Record<string, unknown>[]) => xs.map(({ national_id_hash: _h, ...x }) => x);
    expect(strip(await rows(b, PLAIN))).toEqual(strip(await rows(a, PLAIN)));
    expect(await rows(b, 'select * from enterprises order by id')).toEqual(
      await rows(a, 'select * from enterprises order by id'),
    );
  }, 120_000);

  it('refuses a database that already has data', async () => {
    await expect(generate(a.database.pool, a.keys, { scale: 10 })).rejects.toThrow(/fresh database/);
  });

  it('pages through every person by keyset, newest first, each once', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const url = `/api/people?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await a.as(pmo, { method: 'GET', url })).json() as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((p) => p.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const all = await rows(a, 'select id from persons order by created_at desc, id desc');
    expect(seen).toEqual(all.map((r) => r.id));
  });

  it('serves the registry lists: a county, a two-character name, a national ID', async () => {
    const list = await a.as(pmo, { method: 'GET', url: '/api/people?countyCode=64000&limit=20' });
    expect(list.statusCode).toBe(200);
    const page = list.json() as { items: { countyCode: string }[]; total: number };
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((p) => p.countyCode === '64000')).toBe(true);

    const [someone] = await rows(a, `select name, national_id_enc, national_id_key_id from persons limit 1`);
    const given = someone.name.slice(-2);
    const named = await a.as(pmo, { method: 'GET', url: `/api/people?q=${encodeURIComponent(given)}` });
    expect((named.json() as { items: { name: string }[] }).items.every((p) => p.name.includes(given))).toBe(
      true,
    );
    const id = decryptField(a.keys, someone.national_id_key_id, someone.national_id_enc);
    const byId = await a.as(pmo, { method: 'GET', url: `/api/people?q=${id}` });
    expect((byId.json() as { items: { name: string }[] }).items.map((p) => p.name)).toEqual([someone.name]);
  });
});
