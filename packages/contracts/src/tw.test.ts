import { describe, expect, it } from 'vitest';
import {
  isValidNationalId,
  isValidUbn,
  maskNationalId,
  nationalIdKind,
  officialTai,
  parseRocDate,
  smeStatus,
  NationalId,
  normaliseHalfWidth,
  Ubn,
} from './tw.ts';
import {
  CreateEnterpriseInput,
  CreatePersonInput,
  NationalIdInput,
  UbnInput,
  UpdatePersonInput,
} from './registry.ts';
import { CreateClaimInput, UpdateMyPersonInput } from './personal-data.ts';

/** Makes the check digit for the first nine characters, by the textbook formula, independently. */
function withCheckDigit(first9: string): string {
  const values = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
  const area = values.indexOf(first9[0]!) + 10;
  const second = /[A-D]/.test(first9[1]!) ? (values.indexOf(first9[1]!) + 10) % 10 : Number(first9[1]);
  const rest = [second, ...first9.slice(2).split('').map(Number)];
  const sum = Math.floor(area / 10) + (area % 10) * 9 + rest.reduce((s, d, i) => s + d * (8 - i), 0);
  return first9 + String((10 - (sum % 10)) % 10);
}

describe('national ID and resident certificate numbers', () => {
  it('accepts the well-known valid national ID and rejects a wrong check digit', () => {
    expect(isValidNationalId('A123456789')).toBe(true);
    expect(isValidNationalId('a123456789 ')).toBe(true);
    expect(isValidNationalId('A123456788')).toBe(false);
  });
  it('accepts every area letter with a correct check digit, both sexes', () => {
    for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      for (const sex of '12') {
        const id = withCheckDigit(`${letter}${sex}2345678`);
        expect(isValidNationalId(id), id).toBe(true);
        expect(nationalIdKind(id)).toBe('national');
        const wrong = id.slice(0, 9) + String((Number(id[9]) + 1) % 10);
        expect(isValidNationalId(wrong), wrong).toBe(false);
      }
    }
  });
  it('accepts new-format resident certificates (second digit 8 or 9)', () => {
    const a = withCheckDigit('A80000001');
    const b = withCheckDigit('F91234567');
    expect([a, b].map(isValidNationalId)).toEqual([true, true]);
    expect(nationalIdKind(a)).toBe('resident_new');
  });
  it('accepts old-format resident certificates (second letter A–D)', () => {
    for (const second of 'ABCD') {
      const id = withCheckDigit(`A${second}1234567`);
      expect(isValidNationalId(id), id).toBe(true);
      expect(nationalIdKind(id)).toBe('resident_old');
    }
    expect(isValidNationalId('AE12345678')).toBe(false);
  });
  it('rejects malformed numbers', () => {
    for (const bad of ['', 'A12345678', 'A1234567890', '1123456789', 'A323456789', 'A12345678X']) {
      expect(isValidNationalId(bad), bad).toBe(false);
    }
  });
  it('masks the last four characters', () => {
    expect(maskNationalId('A123456789')).toBe('A12345****');
  });
});

describe('統一編號', () => {
  it('accepts numbers valid under the old ÷10 rule', () => {
    expect(isValidUbn('22099131')).toBe(true); // sum 30
    expect(isValidUbn('04595257')).toBe(true);
    expect(isValidUbn('22099131', 'pre2023')).toBe(true);
  });
  it('accepts numbers valid only under the 2023 ÷5 rule', () => {
    // 1,2,1,2,1,2,4,1 × 00000005 → 5
    expect(isValidUbn('00000005')).toBe(true);
    expect(isValidUbn('00000005', 'pre2023')).toBe(false);
  });
  it('applies the 7th-digit-7 rule', () => {
    // 0000007x: 7×4=28 → 10; with x=4 the sum is 14 (not ÷5) but sum+1 = 15 is.
    expect(isValidUbn('00000074')).toBe(true);
    expect(isValidUbn('00000073')).toBe(false);
    // Under the old rule: x=9 gives 19, sum+1 = 20.
    expect(isValidUbn('00000079', 'pre2023')).toBe(true);
  });
  it('rejects malformed and wrong numbers', () => {
    for (const bad of ['', '1234567', '123456789', '1234567a', '22099132'])
      expect(isValidUbn(bad), bad).toBe(false);
  });
});

describe('SME status (中小企業認定標準)', () => {
  it('is an SME by capital or by employees', () => {
    expect(smeStatus({ paidInCapitalTwd: 100_000_000, regularEmployees: 500 })).toBe('sme');
    expect(smeStatus({ paidInCapitalTwd: 100_000_001, regularEmployees: 199 })).toBe('sme');
    expect(smeStatus({ paidInCapitalTwd: 100_000_001, regularEmployees: 200 })).toBe('large');
    expect(smeStatus({ paidInCapitalTwd: 5_000_000, regularEmployees: 4 })).toBe('small');
    expect(smeStatus({ paidInCapitalTwd: null, regularEmployees: null })).toBeNull();
  });
});

describe('民國 dates', () => {
  it('parses', () => {
    expect(parseRocDate('114/5/3')).toBe('2025-05-03');
    expect(parseRocDate('民國114年5月3日')).toBe('2025-05-03');
    expect(parseRocDate('113.2.29')).toBe('2024-02-29');
    expect(parseRocDate('114/2/29')).toBeNull();
    expect(parseRocDate('abc')).toBeNull();
  });
  it('stores 臺 for 台', () => {
    expect(officialTai('台北市')).toBe('臺北市');
  });
});

describe('full-width input is made half-width (NFKC) before it is checked and stored', () => {
  it('normaliseHalfWidth turns full-width digits, letters, hyphens and spaces half-width', () => {
    expect(normaliseHalfWidth('０９１２－３４５６７８')).toBe('0912-345678');
    expect(normaliseHalfWidth('（０２）２３４５　６７８９')).toBe('(02)2345 6789');
    expect(normaliseHalfWidth('＋８８６‐９１２')).toBe('+886-912');
    expect(normaliseHalfWidth('Ａ１２３４５６７８９')).toBe('A123456789');
  });
  it('phone numbers typed full-width pass and are stored half-width (people, my profile)', () => {
    expect(CreatePersonInput.parse({ name: '王小明', phone: '０９１２－３４５６７８' }).phone).toBe(
      '0912-345678',
    );
    expect(UpdatePersonInput.parse({ phone: '０９１２　３４５６７８' }).phone).toBe('0912 345678');
    expect(UpdateMyPersonInput.parse({ phone: '＋８８６　９１２３４５６７８' }).phone).toBe('+886 912345678');
    expect(UpdateMyPersonInput.safeParse({ phone: '０９１２ＡＢＣ' }).success).toBe(false);
  });
  it('national IDs, 統一編號 and county codes typed full-width are read as half-width', () => {
    expect(NationalIdInput.parse('Ａ１２３４５６７８９')).toBe('A123456789');
    expect(NationalIdInput.parse('ａ１２３４５６７８９　')).toBe('A123456789');
    expect(NationalId.parse('Ａ１２３４５６７８９')).toBe('A123456789');
    expect(
      CreateClaimInput.parse({ basis: 'national_id', nationalId: 'Ａ１２３４５６７８９' }).nationalId,
    ).toBe('A123456789');
    expect(UbnInput.parse('０４５９５２５７')).toBe('04595257');
    expect(Ubn.parse('２２０９９１３１')).toBe('22099131');
    expect(CreateEnterpriseInput.parse({ ubn: '０４５９５２５７', name: '測試' }).ubn).toBe('04595257');
    expect(CreatePersonInput.parse({ name: '王小明', countyCode: '６３０００' }).countyCode).toBe('63000');
    expect(UpdateMyPersonInput.parse({ countyCode: '６３０００' }).countyCode).toBe('63000');
  });
});
