import { z } from 'zod';
import { calendarDate, ROC_OFFSET } from './dates.ts';

/**
 * Taiwan identifiers and calendar rules, pure and shared by the API and the web app.
 *
 * National ID (國民身分證統一編號): area letter, sex digit 1/2, 8 digits; the letter's two-digit
 * value contributes tens×1 + units×9, the next eight digits weigh 8…1, the check digit 1, and the
 * sum is a multiple of 10. Resident certificates (統一證號) use the same sum: the new format
 * (since 2021) has 8 or 9 as its second character; the old format has a second letter A–D whose
 * value counts by its units digit.
 */
const LETTER_VALUES: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
}; // prettier-ignore

export type NationalIdKindName = 'national' | 'resident_new' | 'resident_old';

export function nationalIdKind(value: string): NationalIdKindName | null {
  if (/^[A-Z][12]\d{8}$/.test(value)) return 'national';
  if (/^[A-Z][89]\d{8}$/.test(value)) return 'resident_new';
  if (/^[A-Z][A-D]\d{8}$/.test(value)) return 'resident_old';
  return null;
}

/**
 * Full-width (全形) characters typed with a Chinese input method made half-width: NFKC turns
 * ０–９, Ａ–Ｚ, ａ–ｚ, －, ＋, （）and the ideographic space into their ASCII forms; the other dashes
 * an input method may give (‐ ‑ ‒ – — ― −) become a hyphen. Every digit field (phone, national ID,
 * 統一編號, codes) goes through this before it is checked, so web and API read the same value.
 */
export const normaliseHalfWidth = (value: string): string =>
  value.normalize('NFKC').replace(/[\u2010-\u2015\u2212]/g, '-');

/** Half-width, upper-cased, spaces stripped; the stored and compared form. */
export const normaliseNationalId = (value: string): string =>
  normaliseHalfWidth(value).trim().toUpperCase().replace(/\s+/g, '');

export function isValidNationalId(raw: string): boolean {
  const value = normaliseNationalId(raw);
  const kind = nationalIdKind(value);
  if (!kind) return false;
  const area = LETTER_VALUES[value[0]!]!;
  const second = kind === 'resident_old' ? LETTER_VALUES[value[1]!]! % 10 : Number(value[1]);
  const digits = [second, ...value.slice(2).split('').map(Number)];
  let sum = Math.floor(area / 10) + (area % 10) * 9;
  for (let i = 0; i < 8; i++) sum += digits[i]! * (8 - i);
  sum += digits[8]!;
  return sum % 10 === 0;
}

/** The government display rule: the last four characters hidden (A12345****). */
export const maskNationalId = (value: string): string =>
  value.length <= 4 ? '****' : `${value.slice(0, -4)}****`;

/**
 * 統一編號 (unified business number): weights 1,2,1,2,1,2,4,1; each product's digits are added.
 * Since 2023 the sum must be a multiple of 5 (before: 10), so every number valid under the old rule
 * stays valid. When the 7th digit is 7 its product (28) may count as 10 or as 1, so sum or sum+1
 * may be the multiple.
 */
export function isValidUbn(value: string, rule: 'current' | 'pre2023' = 'current'): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  const weights = [1, 2, 1, 2, 1, 2, 4, 1];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const p = Number(value[i]) * weights[i]!;
    sum += Math.floor(p / 10) + (p % 10);
  }
  const divisor = rule === 'current' ? 5 : 10;
  if (sum % divisor === 0) return true;
  return value[6] === '7' && (sum + 1) % divisor === 0;
}

/** 中小企業認定標準 (2020): paid-in capital ≤ NT$100 M or fewer than 200 regular employees. */
export const SME_CAPITAL_LIMIT_TWD = 100_000_000;
export const SME_EMPLOYEE_LIMIT = 200;
export const SMALL_ENTERPRISE_EMPLOYEE_LIMIT = 5;

export type SmeStatus = 'small' | 'sme' | 'large';

export function smeStatus(input: {
  paidInCapitalTwd: number | null;
  regularEmployees: number | null;
}): SmeStatus | null {
  const { paidInCapitalTwd: capital, regularEmployees: staff } = input;
  if (capital === null && staff === null) return null;
  const sme =
    (capital !== null && capital <= SME_CAPITAL_LIMIT_TWD) || (staff !== null && staff < SME_EMPLOYEE_LIMIT);
  if (!sme) return 'large';
  return staff !== null && staff < SMALL_ENTERPRISE_EMPLOYEE_LIMIT ? 'small' : 'sme';
}

/** Reads `114/5/3`, `114-05-03`, `114.5.3` or `民國114年5月3日` into an ISO date; null if not a real date. */
export function parseRocDate(input: string): string | null {
  const m = /^\s*(?:民國)?\s*(\d{1,3})\s*[/.\-年]\s*(\d{1,2})\s*[/.\-月]\s*(\d{1,2})\s*日?\s*$/.exec(input);
  if (!m) return null;
  return calendarDate(Number(m[1]) + ROC_OFFSET, Number(m[2]), Number(m[3]));
}

/** 台 is accepted on input; 臺 is the official spelling that is stored and shown. */
export const officialTai = (s: string): string => s.replace(/台/g, '臺');

export const NationalId = z
  .string()
  .transform(normaliseNationalId)
  .refine(isValidNationalId, { message: 'invalid national ID or resident certificate number' });
export const Ubn = z
  .string()
  .overwrite(normaliseHalfWidth)
  .trim()
  .refine((v) => isValidUbn(v), { message: 'invalid unified business number' });
