import { describe, expect, it } from 'vitest';
import { maskEmail, maskForAudit, maskName, maskNationalId, maskPhone } from './mask.ts';

describe('mask', () => {
  it('hides the last four characters of a national ID', () => {
    expect(maskNationalId('A123456789')).toBe('A12345****');
    expect(maskNationalId('A12')).toBe('****');
  });

  it('keeps the first letter and the domain of an e-mail', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@example.com');
    expect(maskEmail('@example.com')).toBe('***');
    expect(maskEmail('no-at-sign')).toBe('***');
  });

  it('masks Han names in the middle and Latin names per word', () => {
    expect(maskName('王小明')).toBe('王○明');
    expect(maskName('歐陽小明')).toBe('歐○○明');
    expect(maskName('王明')).toBe('王○');
    expect(maskName('王')).toBe('王');
    expect(maskName('Alice Chen')).toBe('A**** C***');
  });

  it('hides the last four digits of a phone number', () => {
    expect(maskPhone('0912345678')).toBe('091234****');
    expect(maskPhone('123')).toBe('****');
  });

  it('drops secrets and masks personal fields at any depth for the audit log', () => {
    const out = maskForAudit({
      email: 'bob@example.com',
      passwordHash: '$argon2id$…',
      password: 'hunter2hunter2',
      mfaSecret: 'JBSWY3DP',
      token: 'abc',
      recoveryCodes: ['A', 'B'],
      emptySecret: null,
      displayName: '王小明',
      nested: { toAddress: 'carol@example.com', nationalId: 'A123456789', birthDate: '1990-01-01' },
      list: [{ phone: '0912345678', address: '臺北市' }],
      role: 'admin',
      count: 3,
    });
    expect(out).toEqual({
      email: 'b***@example.com',
      passwordHash: '[redacted]',
      password: '[redacted]',
      mfaSecret: '[redacted]',
      token: '[redacted]',
      recoveryCodes: '[redacted]',
      emptySecret: null,
      displayName: '王○明',
      nested: { toAddress: 'c***@example.com', nationalId: 'A12345****', birthDate: '****-**-**' },
      list: [{ phone: '091234****', address: '***' }],
      role: 'admin',
      count: 3,
    });
    expect(maskForAudit(null)).toBeNull();
    expect(maskForAudit('plain')).toBe('plain');
  });
});
