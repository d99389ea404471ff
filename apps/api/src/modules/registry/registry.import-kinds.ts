import {
  CreateEnterpriseInput,
  CreatePersonInput,
  maskNationalId,
  nationalIdKind,
  officialTai,
  smeStatus,
  UbnInput,
} from '@dtp/contracts';
import type { Deps } from '../../context.ts';
import { encryptField, lookupHash } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { maskName } from '../../lib/mask.ts';
import { toFieldIssue } from '../../plugins/error-handler.ts';
import {
  cellChoice,
  cellCode,
  cellDate,
  cellNumber,
  cellText,
  defineImportKind,
  type Cell,
  type ImportKind,
  type ImportMatch,
  type RowProblem,
  type WriteResult,
} from '../imports/index.ts';
import type { KpiService } from '../kpi/index.ts';
import { ENTERPRISES_REGISTERED, PEOPLE_REGISTERED } from './registry.metrics.ts';
import * as repo from './registry.import.repository.ts';

/**
 * The registry's import kinds: people (matched by national-ID keyed hash, else e-mail) and
 * enterprises (matched by 統一編號). Rows are checked with the same contracts as the forms
 * (CreatePersonInput, CreateEnterpriseInput); national IDs are protected exactly as
 * registry.service.ts does: AES-GCM with the key id, a keyed hash, the masked form.
 */

type Lookups = { counties: Map<string, string>; industries: Set<string> };

async function loadLookups(db: Parameters<typeof repo.countyLookup>[0]): Promise<Lookups> {
  const counties = new Map<string, string>();
  const key = (s: string) => officialTai(s).toLowerCase().replace(/\s+/g, '');
  for (const c of await repo.countyLookup(db)) {
    for (const name of [c.code, c.name_zh, c.name_en, c.iso_code, c.name_en.replace(/ (City|County)$/i, '')])
      counties.set(key(name), c.code);
  }
  return { counties, industries: new Set(await repo.industryClassCodes(db)) };
}

function county(c: Cell | undefined, lookups: Lookups, problems: RowProblem[]) {
  const s = cellText(c);
  if (s === undefined) return undefined;
  const code = lookups.counties.get(officialTai(s).toLowerCase().replace(/\s+/g, ''));
  if (!code) problems.push({ field: 'countyCode', issue: 'unknown_county' });
  return code;
}

/** zod issues of the row schema as row problems (the same keys the forms' errors use). */
function schemaProblems(issues: { code: string; path: PropertyKey[]; message: string }[]): RowProblem[] {
  return issues.map((i) => {
    const f = toFieldIssue('', i);
    return { field: f.field, issue: f.issue, ...(f.params ? { params: f.params } : {}) };
  });
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

const GENDERS = {
  female: ['女', '女性', 'f', 'woman'],
  male: ['男', '男性', 'm', 'man'],
  other: ['其他', '多元', 'x'],
  undisclosed: ['不透露', '不願透露', '不提供', '未提供', 'prefer not to say'],
} as const;
const EDUCATION = {
  junior_high_or_below: ['國中以下', '國中', '國小', 'junior high or below', 'junior high'],
  senior_high: ['高中職', '高中', '高職', 'senior high', 'high school'],
  associate: ['專科', '五專', '二專', 'associate'],
  bachelor: ['大學', '學士', '大學（學士）', 'bachelor', 'university'],
  master: ['碩士', '研究所', 'master'],
  doctorate: ['博士', 'doctorate', 'phd'],
} as const;
const EMPLOYMENT = {
  employed: ['在職', '受僱', '就業中', 'employed'],
  self_employed: ['自營', '自營作業者', '創業', 'self-employed', 'self employed'],
  unemployed: ['待業', '失業', '待業中', 'unemployed'],
  student: ['學生', '在學', 'student'],
  retired: ['退休', 'retired'],
  other: ['其他', 'other'],
} as const;
const LOCALES = {
  'zh-TW': ['中文', '華語', 'zh', 'chinese', '繁體中文'],
  en: ['英文', 'english', 'en'],
} as const;
const NATIONALITY: Record<string, string> = {
  中華民國: 'TW',
  臺灣: 'TW',
  台灣: 'TW',
  本國: 'TW',
  taiwan: 'TW',
};

export type PersonRecord = {
  id?: string;
  name: string;
  email?: string;
  phone?: string;
  birthDate?: string;
  gender?: string;
  nationality?: string;
  countyCode?: string;
  education?: string;
  employmentStatus?: string;
  employerUbn?: string;
  employerEnterpriseId?: string;
  preferredLocale?: string;
  nationalIdEnc?: string;
  nationalIdKeyId?: string;
  nationalIdHash?: string;
  nationalIdKind?: string;
  nationalIdMasked?: string;
  /** Set instead of `nationalIdHash` when the number is on a record the uploader may not see (decision 016). */
  nationalIdHeldHash?: string;
};

/** Fields a person update compares and the audit records (the national ID by its masked form). */
const PERSON_FIELDS = [
  'name',
  'email',
  'phone',
  'birthDate',
  'gender',
  'nationality',
  'countyCode',
  'education',
  'employmentStatus',
  'employerEnterpriseId',
  'preferredLocale',
] as const;

export function createPersonImportKind(deps: Deps, kpi: KpiService) {
  return countingFacts(
    kpi,
    PEOPLE_REGISTERED,
    defineImportKind<PersonRecord, Lookups>({
      name: 'people',
      targetType: 'person',
      columns: [
        {
          field: 'name',
          required: true,
          headers: { 'zh-TW': ['姓名', '中文姓名'], en: ['Name', 'Full name'] },
        },
        {
          field: 'nationalId',
          headers: {
            'zh-TW': ['身分證字號', '身分證統一編號', '身份證字號', '統一證號', '居留證號', '身分證號'],
            en: ['National ID', 'National ID number', 'ID number', 'Resident certificate number'],
          },
        },
        {
          field: 'email',
          headers: {
            'zh-TW': ['電子郵件', '電子信箱', '電子郵件信箱', 'Email'],
            en: ['E-mail', 'Email address'],
          },
        },
        {
          field: 'phone',
          headers: {
            'zh-TW': ['電話', '手機', '行動電話', '聯絡電話'],
            en: ['Phone', 'Mobile', 'Telephone'],
          },
        },
        {
          field: 'birthDate',
          headers: {
            'zh-TW': ['出生日期', '生日', '出生年月日'],
            en: ['Birth date', 'Date of birth', 'Birthday'],
          },
        },
        { field: 'gender', headers: { 'zh-TW': ['性別'], en: ['Gender', 'Sex'] } },
        { field: 'nationality', headers: { 'zh-TW': ['國籍'], en: ['Nationality'] } },
        {
          field: 'countyCode',
          headers: {
            'zh-TW': ['縣市', '居住縣市', '縣市別'],
            en: ['County', 'City or county', 'County code'],
          },
        },
        { field: 'education', headers: { 'zh-TW': ['學歷', '最高學歷', '教育程度'], en: ['Education'] } },
        {
          field: 'employmentStatus',
          headers: { 'zh-TW': ['就業狀態', '就業狀況'], en: ['Employment status', 'Employment'] },
        },
        {
          field: 'employerUbn',
          headers: {
            'zh-TW': ['任職企業統一編號', '服務單位統一編號', '公司統一編號', '雇主統一編號'],
            en: ['Employer UBN', 'Employer unified business number'],
          },
        },
        {
          field: 'preferredLocale',
          headers: { 'zh-TW': ['偏好語言', '語言'], en: ['Preferred language', 'Language'] },
        },
      ],
      load: loadLookups,

      parseRow(cells, lookups) {
        const problems: RowProblem[] = [];
        const nationality = cellText(cells.nationality);
        const phoneCell = cells.phone;
        // Excel drops a mobile number's leading zero (0912… → 912…).
        const phone =
          typeof phoneCell === 'number' && /^9\d{8}$/.test(String(phoneCell))
            ? `0${phoneCell}`
            : cellText(phoneCell);
        const input = defined({
          name: cellText(cells.name),
          email: cellText(cells.email)?.toLowerCase(),
          phone,
          birthDate: cellDate(cells.birthDate),
          gender: cellChoice(cells.gender, GENDERS),
          nationality: nationality
            ? (NATIONALITY[nationality.toLowerCase()] ?? nationality.toUpperCase())
            : undefined,
          countyCode: county(cells.countyCode, lookups, problems),
          education: cellChoice(cells.education, EDUCATION),
          employmentStatus: cellChoice(cells.employmentStatus, EMPLOYMENT),
          preferredLocale: cellChoice(cells.preferredLocale, LOCALES),
          nationalId: cellText(cells.nationalId),
        });
        const parsed = CreatePersonInput.safeParse(input);
        if (!parsed.success) problems.push(...schemaProblems(parsed.error.issues));
        const ubnText = cellCode(cells.employerUbn, 8);
        let employerUbn: string | undefined;
        if (ubnText !== undefined) {
          const u = UbnInput.safeParse(ubnText);
          if (u.success) employerUbn = u.data;
          else problems.push({ field: 'employerUbn', issue: 'invalid_checksum' });
        }
        if (!parsed.success || problems.length) return { record: null, problems };
        const { nationalId, ...fields } = parsed.data;
        const record: PersonRecord = { ...(defined(fields) as PersonRecord) };
        if (employerUbn) record.employerUbn = employerUbn;
        if (nationalId) {
          const enc = encryptField(deps.keys, nationalId);
          record.nationalIdEnc = enc.value;
          record.nationalIdKeyId = enc.keyId;
          record.nationalIdHash = lookupHash(deps.keys, nationalId);
          record.nationalIdKind = nationalIdKind(nationalId) ?? undefined;
          record.nationalIdMasked = maskNationalId(nationalId);
        }
        // The mask and the digit after it: what the candidates of one masked number share.
        return { record, problems, ...(nationalId ? { probeKey: nationalId.slice(0, 7) } : {}) };
      },

      keysOf: (r) =>
        (r.nationalIdHash ?? r.nationalIdHeldHash)
          ? [{ field: 'nationalId', key: `nid:${r.nationalIdHash ?? r.nationalIdHeldHash}` }]
          : r.email
            ? [{ field: 'email', key: `email:${r.email}` }]
            : [],

      async resolve(db, scope, rows) {
        const records = rows.map((r) => r.record).filter((r): r is PersonRecord => !!r);
        const hashes = records.flatMap((r) => (r.nationalIdHash ? [r.nationalIdHash] : []));
        const emails = records.flatMap((r) => (r.email ? [r.email] : []));
        const ubns = records.flatMap((r) => (r.employerUbn ? [r.employerUbn] : []));
        const [candidates, employers] = await Promise.all([
          repo.personCandidates(db, hashes, emails),
          repo.enterprisesByUbn(db, [...new Set(ubns)]),
        ]);
        const visible = (c: repo.PersonCandidate) =>
          scope.agencyId === null || c.source_agency_id === scope.agencyId;
        // By national ID, a record the uploader may see wins over one they may not (decision 016).
        const byHash = new Map<string, repo.PersonCandidate>();
        for (const c of candidates) {
          if (c.hash && (!byHash.has(c.hash) || (visible(c) && !visible(byHash.get(c.hash)!))))
            byHash.set(c.hash, c);
        }
        // By e-mail, only records the uploader may see: another agency's record is no one's business here.
        const byEmail = new Map<string, repo.PersonCandidate[]>();
        for (const c of candidates)
          if (c.email && visible(c)) byEmail.set(c.email, [...(byEmail.get(c.email) ?? []), c]);
        const employerIds = new Map(employers.map((e) => [e.ubn, e.id]));
        return rows.map((row) => {
          const r = row.record;
          if (!r) return null;
          if (r.employerUbn) {
            const id = employerIds.get(r.employerUbn);
            if (id) r.employerEnterpriseId = id;
            else row.problems.push({ field: 'employerUbn', issue: 'not_found' });
          }
          let found = r.nationalIdHash ? byHash.get(r.nationalIdHash) : undefined;
          if (found && !visible(found)) {
            // The number is on a record the uploader may not see: the row is shown and written as
            // a new person, its number held apart from the unique index for the programme office
            // to merge; nothing the uploader sees differs from a number not on file.
            r.nationalIdHeldHash = r.nationalIdHash;
            delete r.nationalIdHash;
            found = undefined;
          }
          if (!found && r.email) {
            // By e-mail only a person without a national ID on file (or when the row has none).
            const same = (byEmail.get(r.email) ?? []).filter(
              (c) => !(r.nationalIdHash ?? r.nationalIdHeldHash) || !c.hash,
            );
            if (same.length > 1) row.problems.push({ field: 'email', issue: 'ambiguous_match' });
            else found = same[0];
          }
          if (!found) return null;
          const match: ImportMatch = {
            id: found.id,
            inScope: true,
            label: [maskName(found.name), found.masked].filter(Boolean).join(' '),
          };
          return match;
        });
      },

      display: (r) => ({
        name: r.name,
        nationalId: r.nationalIdMasked ?? null,
        email: r.email ?? null,
        phone: r.phone ?? null,
        birthDate: r.birthDate ?? null,
        gender: r.gender ?? null,
        nationality: r.nationality ?? null,
        countyCode: r.countyCode ?? null,
        education: r.education ?? null,
        employmentStatus: r.employmentStatus ?? null,
        employerUbn: r.employerUbn ?? null,
        preferredLocale: r.preferredLocale ?? null,
      }),

      insertStaged: (tx, scope, staged) => repo.insertPersonsFrom(tx, staged, scope.agencyId),

      async write(tx, scope, rows, onMatch) {
        const result: WriteResult = { created: [], updated: [], skipped: 0 };
        const inserts: Record<string, unknown>[] = [];
        const updates = new Map<string, PersonRecord>();
        for (const row of rows) {
          const { employerUbn: _u, ...record } = row.record;
          if (!row.match) {
            const id = record.id ?? newId();
            inserts.push({ ...record, id });
            result.created.push(id);
          } else if (onMatch === 'update' && row.match.inScope) updates.set(row.match.id, record);
          else result.skipped++;
        }
        await repo.insertPersons(tx, inserts, scope.agencyId);
        if (updates.size) {
          const changed: Record<string, unknown>[] = [];
          for (const before of await repo.lockPersons(tx, [...updates.keys()])) {
            const rec = updates.get(before.id)!;
            const b: Record<string, unknown> = {};
            const a: Record<string, unknown> = {};
            for (const f of PERSON_FIELDS) {
              const v = rec[f];
              if (v !== undefined && v !== before[f]) {
                b[f] = before[f];
                a[f] = v;
              }
            }
            if (
              (rec.nationalIdHash && rec.nationalIdHash !== before.nationalIdHash) ||
              rec.nationalIdHeldHash
            ) {
              b.nationalId = before.nationalIdMasked;
              a.nationalId = rec.nationalIdMasked;
            }
            if (Object.keys(a).length === 0) {
              result.skipped++;
              continue;
            }
            changed.push({ ...rec, id: before.id });
            result.updated.push({ id: before.id, before: b, after: a });
          }
          await repo.updatePersons(tx, changed);
        }
        return result;
      },
    }),
  );
}

export type EnterpriseRecord = {
  id?: string;
  ubn: string;
  name: string;
  industryCode?: string;
  countyCode?: string;
  address?: string;
  paidInCapitalTwd?: number;
  regularEmployees?: number;
  smeStatus?: string | null;
};

const ENTERPRISE_FIELDS = [
  'name',
  'industryCode',
  'countyCode',
  'address',
  'paidInCapitalTwd',
  'regularEmployees',
] as const;

export function createEnterpriseImportKind(kpi: KpiService) {
  return countingFacts(
    kpi,
    ENTERPRISES_REGISTERED,
    defineImportKind<EnterpriseRecord, Lookups>({
      name: 'enterprises',
      targetType: 'enterprise',
      columns: [
        {
          field: 'ubn',
          required: true,
          headers: {
            'zh-TW': ['統一編號', '統編', '營利事業統一編號'],
            en: ['UBN', 'Unified business number'],
          },
        },
        {
          field: 'name',
          required: true,
          headers: {
            'zh-TW': ['企業名稱', '公司名稱', '名稱', '營業人名稱'],
            en: ['Name', 'Enterprise name', 'Company name'],
          },
        },
        {
          field: 'industryCode',
          headers: { 'zh-TW': ['行業代碼', '行業別代碼', '行業別'], en: ['Industry code', 'Industry'] },
        },
        {
          field: 'countyCode',
          headers: {
            'zh-TW': ['縣市', '所在縣市', '縣市別'],
            en: ['County', 'City or county', 'County code'],
          },
        },
        { field: 'address', headers: { 'zh-TW': ['地址', '公司地址', '營業地址'], en: ['Address'] } },
        {
          field: 'paidInCapitalTwd',
          headers: { 'zh-TW': ['實收資本額', '資本額', '資本總額'], en: ['Paid-in capital', 'Capital'] },
        },
        {
          field: 'regularEmployees',
          headers: {
            'zh-TW': ['經常僱用員工數', '員工數', '員工人數', '僱用人數'],
            en: ['Regular employees', 'Employees'],
          },
        },
      ],
      load: loadLookups,

      parseRow(cells, lookups) {
        const problems: RowProblem[] = [];
        const industryCode = cellCode(cells.industryCode, 4);
        const input = defined({
          ubn: cellCode(cells.ubn, 8),
          name: cellText(cells.name),
          industryCode,
          countyCode: county(cells.countyCode, lookups, problems),
          address: cellText(cells.address),
          paidInCapitalTwd: cellNumber(cells.paidInCapitalTwd),
          regularEmployees: cellNumber(cells.regularEmployees),
        });
        const parsed = CreateEnterpriseInput.safeParse(input);
        if (!parsed.success) problems.push(...schemaProblems(parsed.error.issues));
        else if (parsed.data.industryCode && !lookups.industries.has(parsed.data.industryCode))
          problems.push({ field: 'industryCode', issue: 'unknown_industry' });
        if (!parsed.success || problems.length) return { record: null, problems };
        const record = defined(parsed.data) as EnterpriseRecord;
        record.smeStatus = smeStatus({
          paidInCapitalTwd: record.paidInCapitalTwd ?? null,
          regularEmployees: record.regularEmployees ?? null,
        });
        return { record, problems };
      },

      keysOf: (r) => [{ field: 'ubn', key: `ubn:${r.ubn}` }],

      async resolve(db, scope, rows) {
        const ubns = rows.flatMap((r) => (r.record ? [r.record.ubn] : []));
        const found = new Map((await repo.enterprisesByUbn(db, ubns)).map((e) => [e.ubn, e]));
        return rows.map((row) => {
          const e = row.record ? found.get(row.record.ubn) : undefined;
          if (!e) return null;
          const inScope = scope.agencyId === null || e.source_agency_id === scope.agencyId;
          return { id: e.id, inScope, label: inScope ? `${e.name} ${e.ubn}` : null };
        });
      },

      display: (r) => ({
        ubn: r.ubn,
        name: r.name,
        industryCode: r.industryCode ?? null,
        countyCode: r.countyCode ?? null,
        address: r.address ?? null,
        paidInCapitalTwd: r.paidInCapitalTwd ?? null,
        regularEmployees: r.regularEmployees ?? null,
        smeStatus: r.smeStatus ?? null,
      }),

      insertStaged: (tx, scope, staged, today) =>
        repo.insertEnterprisesFrom(tx, staged, scope.agencyId, today),

      async write(tx, scope, rows, onMatch, today) {
        const result: WriteResult = { created: [], updated: [], skipped: 0 };
        const inserts: Record<string, unknown>[] = [];
        const updates = new Map<string, EnterpriseRecord>();
        for (const row of rows) {
          if (!row.match) {
            const id = row.record.id ?? newId();
            const status = row.record.smeStatus ?? null;
            inserts.push({ ...row.record, id, smeStatus: status, smeStatusAsOf: status ? today : null });
            result.created.push(id);
          } else if (onMatch === 'update' && row.match.inScope) updates.set(row.match.id, row.record);
          else result.skipped++;
        }
        await repo.insertEnterprises(tx, inserts, scope.agencyId);
        if (updates.size) {
          const changed: Record<string, unknown>[] = [];
          for (const before of await repo.lockEnterprises(tx, [...updates.keys()])) {
            const rec = updates.get(before.id)!;
            const b: Record<string, unknown> = {};
            const a: Record<string, unknown> = {};
            for (const f of ENTERPRISE_FIELDS) {
              const v = rec[f];
              if (v !== undefined && v !== before[f]) {
                b[f] = before[f];
                a[f] = v;
              }
            }
            if (Object.keys(a).length === 0) {
              result.skipped++;
              continue;
            }
            // The SME status is judged again from the merged figures, and dated when it changes.
            const status = smeStatus({
              paidInCapitalTwd: rec.paidInCapitalTwd ?? before.paidInCapitalTwd,
              regularEmployees: rec.regularEmployees ?? before.regularEmployees,
            });
            const statusChanged = status !== before.smeStatus;
            if (statusChanged) {
              b.smeStatus = before.smeStatus;
              a.smeStatus = status;
            }
            changed.push({
              ...rec,
              id: before.id,
              smeStatus: status,
              smeStatusAsOf: statusChanged ? today : null,
            });
            result.updated.push({ id: before.id, before: b, after: a });
          }
          await repo.updateEnterprises(tx, changed);
        }
        return result;
      },
    }),
  );
}

/** The records an import creates count for the registry's KPI, in the import's own transaction. */
function countingFacts(kpi: KpiService, metricCode: string, kind: ImportKind): ImportKind {
  const { insertStaged, write } = kind;
  return {
    ...kind,
    ...(insertStaged
      ? {
          async insertStaged(tx, scope, staged, today) {
            const ids = await insertStaged.call(kind, tx, scope, staged, today);
            await kpi.recordFactsFor(tx, metricCode, ids);
            return ids;
          },
        }
      : {}),
    async write(tx, ...rest) {
      const result = await write.call(kind, tx, ...rest);
      await kpi.recordFactsFor(tx, metricCode, result.created);
      return result;
    },
  };
}
