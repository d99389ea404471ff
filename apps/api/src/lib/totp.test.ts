import { describe, expect, it } from 'vitest';
import { matchTotp, newTotpSecret, totpNow, totpUrl } from './totp.ts';

describe('TOTP', () => {
  const at = new Date('2026-03-01T08:00:10Z');
  const step = Math.floor(at.getTime() / 1000 / 30);

  it('accepts the current code and reports its time step', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const code = totpNow(secret, at);
    expect(code).toMatch(/^\d{6}$/);
    expect(matchTotp(secret, code, at)).toBe(step);
  });

  it('allows one step of clock drift either way, and no more', () => {
    const secret = newTotpSecret();
    const prev = totpNow(secret, new Date(at.getTime() - 30_000));
    const next = totpNow(secret, new Date(at.getTime() + 30_000));
    const old = totpNow(secret, new Date(at.getTime() - 90_000));
    expect(matchTotp(secret, prev, at)).toBe(step - 1);
    expect(matchTotp(secret, next, at)).toBe(step + 1);
    expect(matchTotp(secret, old, at)).toBeNull();
  });

  it("refuses another secret's code", () => {
    const code = totpNow(newTotpSecret(), at);
    const other = newTotpSecret();
    // A 1-in-a-million collision is possible in principle; compare with the other secret's code.
    if (totpNow(other, at) !== code) expect(matchTotp(other, code, at)).toBeNull();
  });

  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits; 6 → 287082).
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpNow(secret, new Date(59_000))).toBe('287082');
  });

  it('makes an otpauth URL with issuer and label', () => {
    const url = totpUrl(newTotpSecret(), 'a@example.com', '數位人才發展平台');
    expect(url).toMatch(/^otpauth:\/\/totp\//);
    expect(url).toContain('secret=');
    expect(decodeURIComponent(url)).toContain('數位人才發展平台');
  });
});
