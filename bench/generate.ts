// `node bench/generate.ts --scale N [--seed S]`: fills the platform's database with N people and N/10
// enterprises (at most 1 000 000 and 100 000) of realistic, deterministic Taiwanese data, through
// COPY … FROM STDIN. Uses DATABASE_URL when set, else the embedded server in DATA_DIR, migrated and
// given its reference data first, as at every start. Also a library: bench/server.ts calls generate().
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { maskNationalId, nationalIdKind, smeStatus, type SmeStatus } from '../packages/contracts/src/tw.ts';
import { encryptField, lookupHash, type KeyRing } from '../apps/api/src/lib/crypto.ts';

export const MAX_PEOPLE = 1_000_000;
export const MAX_ENTERPRISES = 100_000;

// ───────────── a seeded generator ─────────────

/** sfc32, seeded through splitmix32: fast, good enough for test data, the same sequence per seed. */
export function rng(seed: number) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split(); // prettier-ignore
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
    chance: (p: number) => next() < p,
    /** A value from `[value, weight]` pairs, through a prepared cumulative table. */
    weighted<T>(table: Weighted<T>): T {
      const r = next() * table.total;
      let lo = 0;
      let hi = table.cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (table.cum[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return table.values[lo]!;
    },
    hex: (digits: number) => {
      let out = '';
      while (out.length < digits) out += int(0x10000).toString(16).padStart(4, '0');
      return out.slice(0, digits);
    },
  };
}
export type Rng = ReturnType<typeof rng>;
type Weighted<T> = { values: T[]; cum: number[]; total: number };
function weights<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  let total = 0;
  const cum = pairs.map(([, w]) => (total += w));
  return { values: pairs.map(([v]) => v), cum, total };
}

// ───────────── Taiwanese data ─────────────

/** The commonest surnames and their approximate shares (內政部 姓名分析). */
const SURNAMES = weights(
  (
    [
      ['陳', 11.1], ['林', 8.3], ['黃', 6.0], ['張', 5.3], ['李', 5.1], ['王', 4.1], ['吳', 4.0],
      ['劉', 3.2], ['蔡', 2.9], ['楊', 2.7], ['許', 2.3], ['鄭', 1.9], ['謝', 1.8], ['洪', 1.5],
      ['郭', 1.5], ['邱', 1.5], ['曾', 1.4], ['廖', 1.3], ['賴', 1.3], ['徐', 1.2], ['周', 1.2],
      ['葉', 1.2], ['蘇', 1.2], ['莊', 1.0], ['呂', 1.0], ['江', 1.0], ['何', 0.9], ['蕭', 0.9],
      ['羅', 0.9], ['高', 0.9], ['潘', 0.8], ['簡', 0.8], ['朱', 0.8], ['鍾', 0.8], ['游', 0.7],
      ['彭', 0.7], ['詹', 0.7], ['胡', 0.6], ['施', 0.6], ['沈', 0.6], ['余', 0.6], ['盧', 0.6],
      ['梁', 0.6], ['趙', 0.5], ['顏', 0.5], ['柯', 0.5], ['翁', 0.5], ['魏', 0.4], ['孫', 0.4],
      ['戴', 0.4], ['范', 0.4], ['方', 0.4], ['宋', 0.4], ['鄧', 0.3], ['杜', 0.3], ['傅', 0.3],
      ['侯', 0.3], ['曹', 0.3], ['薛', 0.3], ['丁', 0.3], ['卓', 0.3], ['馬', 0.3], ['阮', 0.2],
      ['董', 0.2], ['温', 0.2], ['唐', 0.2], ['藍', 0.2], ['石', 0.2], ['蔣', 0.2], ['古', 0.2],
      ['紀', 0.2], ['姚', 0.2], ['連', 0.2], ['歐陽', 0.05], ['司馬', 0.01],
    ] as const
  ).map(([s, w]) => [s, w] as const),
); // prettier-ignore

const GIVEN_MALE = [
  ...'志明建宏俊傑家豪冠宇承翰柏諺宗彥廷哲瑋信偉文華國成聖凱威智勝仁德正育安銘祥嘉鴻耀昌振榮軒睿',
];
const GIVEN_FEMALE = [...'淑芬美玲雅婷怡君佩珊欣宜詩涵雯惠如佳穎琪慧娟秀英麗華靜瑜筱潔心妤蓁庭萱婉真韻芳晴'];
const GIVEN_ANY = [...'家宇子晨思彤文安於語恩佑品妍予庭以辰昀']; // prettier-ignore

/** A name: a surname and one or (nine times in ten) two given characters, by gender. */
function personName(r: Rng, gender: string): string {
  const pool =
    gender === 'male'
      ? GIVEN_MALE
      : gender === 'female'
        ? GIVEN_FEMALE
        : r.chance(0.5)
          ? GIVEN_MALE
          : GIVEN_FEMALE;
  const given = () => (r.chance(0.15) ? r.pick(GIVEN_ANY) : r.pick(pool));
  const surname = r.weighted(SURNAMES);
  if (r.chance(0.1)) return surname + given();
  const a = given();
  let b = given();
  if (a === b && r.chance(0.8)) b = r.pick(pool);
  return surname + a + b;
}

const LETTER_VALUES: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
}; // prettier-ignore

/** A national ID (or, `resident`, a new-format resident certificate) with its check digit. */
export function nationalId(r: Rng, letter: string, second: number): string {
  const body = Array.from({ length: 7 }, () => r.int(10));
  const area = LETTER_VALUES[letter]!;
  let sum = Math.floor(area / 10) + (area % 10) * 9 + second * 8;
  body.forEach((d, i) => (sum += d * (7 - i)));
  const check = (10 - (sum % 10)) % 10;
  return `${letter}${second}${body.join('')}${check}`;
}

/** A 統一編號 whose weighted digit sum is a multiple of 5 (the rule since 2023). */
export function ubn(r: Rng): string {
  const weights8 = [1, 2, 1, 2, 1, 2, 4, 1];
  for (;;) {
    const digits = Array.from({ length: 8 }, () => r.int(10));
    if (digits[0] === 0) digits[0] = 1 + r.int(9);
    let sum = 0;
    for (let i = 0; i < 7; i++) {
      const p = digits[i]! * weights8[i]!;
      sum += Math.floor(p / 10) + (p % 10);
    }
    // Choose the last digit so that the sum is a multiple of 5; a 7th digit of 7 has two readings.
    const need = (5 - (sum % 5)) % 5;
    digits[7] = need + (r.chance(0.5) ? 5 : 0);
    if (digits[6] === 7) continue; // keep to the plain rule
    return digits.join('');
  }
}

/** Population shares of the 22 counties (2024, 萬人), by the county's name. */
const COUNTY_POPULATION: Record<string, number> = {
  新北市: 405, 臺中市: 286, 高雄市: 272, 臺北市: 247, 桃園市: 231, 臺南市: 186, 彰化縣: 123,
  屏東縣: 80, 雲林縣: 66, 新竹縣: 59, 苗栗縣: 54, 嘉義縣: 48, 南投縣: 48, 宜蘭縣: 45, 新竹市: 45,
  基隆市: 36, 花蓮縣: 32, 嘉義市: 26, 臺東縣: 21, 金門縣: 14, 澎湖縣: 11, 連江縣: 1.4,
}; // prettier-ignore

/** Where enterprises are: the population, tilted towards the northern cities and the science parks. */
const COUNTY_BUSINESS_TILT: Record<string, number> = {
  臺北市: 2.2, 新北市: 1.2, 桃園市: 1.2, 新竹市: 1.6, 新竹縣: 1.4, 臺中市: 1.2,
}; // prettier-ignore

/** Enterprise counts by section (財政部 營利事業家數), tilted a little towards the programme's industries. */
const SECTION_SHARE: [string, number][] = [
  ['G', 40], ['C', 15], ['I', 10], ['F', 8], ['S', 5], ['M', 6], ['J', 4], ['H', 3], ['L', 2],
  ['N', 2], ['R', 1.5], ['K', 1], ['A', 0.6], ['Q', 0.6], ['P', 0.4], ['E', 0.4], ['D', 0.2], ['B', 0.1],
]; // prettier-ignore

const TRADE_WORDS: Record<string, string[]> = {
  A: ['農產', '園藝', '畜牧', '水產', '農業'],
  B: ['礦業', '砂石'],
  C: ['精密', '電子', '機械', '光電', '半導體', '化工', '塑膠', '金屬', '食品', '紡織', '工業', '材料', '電機', '模具'],
  D: ['能源', '電力', '綠能'],
  E: ['環保', '水務', '資源'],
  F: ['營造', '工程', '建設', '土木'],
  G: ['貿易', '商行', '實業', '百貨', '國際', '企業'],
  H: ['物流', '運輸', '倉儲', '通運'],
  I: ['餐飲', '美食', '旅店', '咖啡'],
  J: ['資訊', '數位', '軟體', '網路', '電信', '科技', '多媒體'],
  K: ['投資', '保險經紀', '財務'],
  L: ['不動產', '開發', '置業'],
  M: ['顧問', '設計', '管理顧問', '工程顧問', '檢測'],
  N: ['人力', '保全', '清潔', '租賃'],
  P: ['文教', '教育'],
  Q: ['醫療', '生醫', '照護'],
  R: ['文創', '娛樂', '育樂'],
  S: ['服務', '美容', '修護'],
}; // prettier-ignore
const BRAND = [
  ...'永新大臺宏華聯恆東南中興金利富嘉信泰光昇群鼎佳益祥順安和豐億晶達誠旺展元凱盛德全欣福勝源瑞茂友冠',
];
const ROADS = ['中山路', '中正路', '民生路', '民權路', '民族路', '復興路', '和平路', '建國路', '成功路', '光復路', '自強路', '信義路', '仁愛路', '忠孝路', '文化路', '科技路', '工業一路', '經國路']; // prettier-ignore

const EDUCATION = weights([
  ['junior_high_or_below', 8], ['senior_high', 25], ['associate', 12], ['bachelor', 42], ['master', 12], ['doctorate', 1],
] as const); // prettier-ignore
const EMPLOYMENT = weights([
  ['employed', 74], ['self_employed', 5], ['unemployed', 8], ['student', 9], ['retired', 2], ['other', 2],
] as const); // prettier-ignore

/** Where holders of a resident certificate mostly come from (移民署 外來人口統計). */
const RESIDENT_NATIONALITIES = ['VN', 'ID', 'PH', 'TH', 'MY', 'JP', 'US', 'KR'];

const DAY = 86_400_000;

/** A UUIDv7 for the instant `ms`, its random bits from the generator (so the same seed, the same ids). */
function uuid7(r: Rng, ms: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const variant = (8 + r.int(4)).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.hex(3)}-${variant}${r.hex(3)}-${r.hex(12)}`;
}

// ───────────── COPY ─────────────

/** One value in COPY's text format: \N for null, and the four characters it escapes. */
function copyValue(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: string[],
  rows: Iterable<(string | number | null)[]>,
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  async function* lines() {
    let chunk: string[] = [];
    for (const row of rows) {
      chunk.push(row.map(copyValue).join('\t'));
      if (chunk.length === 2000) {
        yield `${chunk.join('\n')}\n`;
        chunk = [];
      }
    }
    if (chunk.length) yield `${chunk.join('\n')}\n`;
  }
  await pipeline(Readable.from(lines()), stream);
}

/**
 * The table's secondary indexes, dropped before the load and built again after it: building a GIN
 * index once is far faster than keeping it up to date row by row. Indexes behind a constraint stay.
 */
async function dropIndexes(client: pg.PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `select i.relname as name, pg_get_indexdef(x.indexrelid) as def
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      where t.relname = $1 and t.relnamespace = 'public'::regnamespace
        and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
      order by i.relname`,
    [table],
  );
  for (const r of rows) await client.query(`drop index ${r.name}`);
  return rows.map((r) => r.def);
}

// ───────────── the generator ─────────────

export type GenerateOptions = {
  scale: number;
  seed?: number;
  log?: (m: string) => void;
};

export type GenerateResult = { people: number; enterprises: number; seconds: number };

/**
 * Adds `scale` people and `scale / 10` enterprises. Refuses a database that already has more than
 * a thousand people (demo data is fine): generate into a fresh one. The plain data is the same for
 * the same seed and scale; national IDs are encrypted with a fresh random IV each time, as the
 * registry does, so their ciphertext differs while their keyed hash does not.
 */
export async function generate(pool: pg.Pool, keys: KeyRing, opts: GenerateOptions): Promise<GenerateResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const people = Math.min(Math.max(0, Math.floor(opts.scale)), MAX_PEOPLE);
  const enterpriseCount = Math.min(Math.max(1, Math.floor(people / 10)), MAX_ENTERPRISES);
  const r = rng(opts.seed ?? 1);

  const client = await pool.connect();
  try {
    const existing = await client.query<{ n: number }>('select count(*)::int as n from persons');
    if ((existing.rows[0]?.n ?? 0) > 1000) {
      throw new Error(
        `The database already has ${existing.rows[0]!.n} people; generate into a fresh database.`,
      );
    }
    const counties = (
      await client.query<{ code: string; name: string; letter: string }>(
        'select code, name_zh as name, id_letter as letter from counties order by code',
      )
    ).rows;
    if (counties.length === 0) throw new Error('No counties: the reference data is missing.');
    const classes = (
      await client.query<{ code: string; section: string }>(
        `select code, section from industries where level = 'class' order by code`,
      )
    ).rows;
    const agencies = (await client.query<{ id: string }>('select id from agencies order by id')).rows.map(
      (a) => a.id,
    );
    const takenUbns = new Set(
      (await client.query<{ ubn: string }>('select ubn from enterprises')).rows.map((x) => x.ubn),
    );
    const takenHashes = new Set(
      (
        await client.query<{ h: string }>(
          'select national_id_hash as h from persons where national_id_hash is not null',
        )
      ).rows.map((x) => x.h),
    );

    const byPopulation = weights(counties.map((c) => [c, COUNTY_POPULATION[c.name] ?? 10] as const));
    const byBusiness = weights(
      counties.map(
        (c) => [c, (COUNTY_POPULATION[c.name] ?? 10) * (COUNTY_BUSINESS_TILT[c.name] ?? 1)] as const,
      ),
    );
    const classesBySection = new Map<string, string[]>();
    for (const c of classes)
      classesBySection.set(c.section, [...(classesBySection.get(c.section) ?? []), c.code]);
    const sections = weights(SECTION_SHARE.filter(([s]) => classesBySection.has(s)));

    const now = Date.UTC(2026, 10, 1); // a fixed "now": the same data whenever it is generated
    const asOf = '2026-01-01';

    // Enterprises: sizes heavy-tailed, as they are (most have a handful of staff).
    log(`Generating ${enterpriseCount} enterprises…`);
    const enterpriseIds: string[] = [];
    const enterpriseSize: number[] = [];
    const enterpriseRows: (string | number | null)[][] = [];
    for (let i = 0; i < enterpriseCount; i++) {
      const created = now - Math.floor(r.next() * 3 * 365 * DAY);
      const id = uuid7(r, created);
      let code: string;
      do code = ubn(r);
      while (takenUbns.has(code));
      takenUbns.add(code);
      const section = r.weighted(sections);
      const industry = r.pick(classesBySection.get(section)!);
      const county = r.weighted(byBusiness);
      const employees = Math.max(0, Math.floor(Math.exp(r.next() * r.next() * 9.2)) - 1); // 0 … ~10 000
      const capital =
        Math.round(
          ((employees + 1) * (200_000 + r.next() * 2_000_000) * (r.chance(0.05) ? 20 : 1)) / 10_000,
        ) * 10_000;
      const status: SmeStatus | null = smeStatus({ paidInCapitalTwd: capital, regularEmployees: employees });
      const form = employees < 5 && r.chance(0.3) ? '企業社' : r.chance(0.55) ? '股份有限公司' : '有限公司';
      const prefix = r.chance(0.12) ? county.name.slice(0, 2) : '';
      const name = `${prefix}${r.pick(BRAND)}${r.pick(BRAND)}${r.pick(TRADE_WORDS[section]!)}${form}`;
      const address = `${county.name}${r.pick(ROADS)}${1 + r.int(400)}號`;
      enterpriseIds.push(id);
      enterpriseSize.push(employees);
      const createdIso = new Date(created).toISOString();
      enterpriseRows.push([
        id, code, name, industry, county.code, address, capital, employees, status, asOf,
        agencies.length && r.chance(0.3) ? r.pick(agencies) : null, createdIso, createdIso,
      ]); // prettier-ignore
    }
    // Employers are drawn in proportion to their staff (plus one, so every enterprise can be drawn).
    const employers = weights(enterpriseIds.map((id, i) => [id, enterpriseSize[i]! + 1] as const));

    await client.query('begin');
    const enterpriseIndexes = await dropIndexes(client, 'enterprises');
    await copyRows(
      client,
      'enterprises',
      [
        'id', 'ubn', 'name', 'industry_code', 'county_code', 'address', 'paid_in_capital_twd',
        'regular_employees', 'sme_status', 'sme_status_as_of', 'source_agency_id', 'created_at', 'updated_at',
      ], // prettier-ignore
      enterpriseRows,
    );
    log(`Building the enterprises' indexes…`);
    for (const def of enterpriseIndexes) await client.query(def);

    log(`Generating ${people} people…`);
    const personIndexes = await dropIndexes(client, 'persons');
    const seen = new Set<string>();
    function* personRows() {
      for (let i = 0; i < people; i++) {
        const created = now - Math.floor(r.next() * 3 * 365 * DAY);
        const id = uuid7(r, created);
        const g = r.next();
        const gender = g < 0.495 ? 'male' : g < 0.99 ? 'female' : g < 0.995 ? 'other' : 'undisclosed';
        const name = personName(r, gender);
        const county = r.weighted(byPopulation);
        // Age 18–65, more of them between 25 and 45; born on a day of the year.
        const age = 18 + Math.floor(((r.next() + r.next() + r.next()) / 3) * 47);
        const birth = new Date(now - age * 365.25 * DAY - r.int(365) * DAY).toISOString().slice(0, 10);
        const resident = r.chance(0.02);
        const sex = gender === 'male' ? 1 : gender === 'female' ? 2 : 1 + r.int(2);
        const letter = r.chance(0.85) ? county.letter : r.pick(counties).letter;
        let nid: string;
        let hash: string;
        do {
          nid = nationalId(r, letter, resident ? 7 + sex : sex);
          hash = lookupHash(keys, nid);
        } while (seen.has(nid) || takenHashes.has(hash));
        seen.add(nid);
        const enc = encryptField(keys, nid);
        const employment = r.weighted(EMPLOYMENT);
        const employer = employment === 'employed' && r.chance(0.9) ? r.weighted(employers) : null;
        const email = r.chance(0.7) ? `p${(i + 1).toString(36)}.${r.hex(4)}@example.tw` : null;
        const phone = r.chance(0.6) ? `09${String(r.int(100_000_000)).padStart(8, '0')}` : null;
        const createdIso = new Date(created).toISOString();
        yield [
          id, name, email, phone, birth, gender, resident ? r.pick(RESIDENT_NATIONALITIES) : 'TW', county.code,
          r.weighted(EDUCATION), employment, employer, 'zh-TW', enc.value, enc.keyId, hash,
          nationalIdKind(nid), maskNationalId(nid), agencies.length && r.chance(0.3) ? r.pick(agencies) : null,
          createdIso, createdIso,
        ]; // prettier-ignore
        if ((i + 1) % 100_000 === 0) log(`  ${i + 1} people`);
      }
    }
    await copyRows(
      client,
      'persons',
      [
        'id', 'name', 'email', 'phone', 'birth_date', 'gender', 'nationality', 'county_code', 'education',
        'employment_status', 'employer_enterprise_id', 'preferred_locale', 'national_id_enc',
        'national_id_key_id', 'national_id_hash', 'national_id_kind', 'national_id_masked',
        'source_agency_id', 'created_at', 'updated_at',
      ], // prettier-ignore
      personRows(),
    );
    log(`Building the people's indexes…`);
    await client.query(`set local maintenance_work_mem = '512MB'`);
    for (const def of personIndexes) await client.query(def);
    // COPY bypasses the registry's KPI facts (K26 people, K27 enterprises): mark every metric stale,
    // so the platform builds them from these rows when it next starts (or bench/server.ts does now).
    await client.query('delete from kpi_metric_states');
    await client.query('commit');
    // What autovacuum does to a table after a bulk insert: statistics, and the visibility map that
    // lets the capped counts of the lists read their indexes alone.
    await client.query('vacuum (analyze) enterprises, persons, enterprise_sme_statuses');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  return { people, enterprises: enterpriseCount, seconds: (Date.now() - started) / 1000 };
}

// ───────────── the command ─────────────

if (import.meta.main) {
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } },
  });
  const { loadConfig } = await import('../apps/api/src/config.ts');
  const { createDb } = await import('../apps/api/src/db/client.ts');
  const { prepareDatabase } = await import('../apps/api/src/bootstrap.ts');
  const { confirmFieldKeys, loadKeys } = await import('../apps/api/src/lib/keys.ts');
  const config = loadConfig();
  const database = await createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    log: (m) => console.log(m),
  });
  try {
    const loaded = loadKeys(config);
    const keys = loaded.keys;
    await prepareDatabase({ config, database, keys, now: () => new Date() });
    await confirmFieldKeys(database.pool, loaded);
    const result = await generate(database.pool, keys, {
      scale: Number(values.scale),
      seed: Number(values.seed),
      log: (m) => console.log(m),
    });
    console.log(
      `Generated ${result.people} people and ${result.enterprises} enterprises in ${result.seconds.toFixed(1)} s.`,
    );
  } finally {
    await database.close();
  }
}
