import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptField, encryptField, keyRingFrom, lookupHash, sha256 } from './crypto.ts';

const material = () => randomBytes(32).toString('base64');

describe('field encryption', () => {
  it('round-trips, including CJK text, and stores the key id beside the value', () => {
    const ring = keyRingFrom(material(), 'k7');
    const enc = encryptField(ring, '王小明 A123456789');
    expect(enc.keyId).toBe('k7');
    expect(enc.value).not.toContain('A123456789');
    expect(enc.value.split(':')).toHaveLength(3);
    expect(decryptField(ring, enc.keyId, enc.value)).toBe('王小明 A123456789');
  });

  it('uses a fresh IV each time', () => {
    const ring = keyRingFrom(material());
    expect(encryptField(ring, 'same').value).not.toBe(encryptField(ring, 'same').value);
  });

  it('decrypts values under an older key after rotation', () => {
    const old = keyRingFrom(material(), 'k1');
    const enc = encryptField(old, 'secret');
    const next = keyRingFrom(material(), 'k2');
    const rotated = { currentId: 'k2', keys: new Map([...old.keys, ...next.keys]) };
    expect(decryptField(rotated, enc.keyId, enc.value)).toBe('secret');
    expect(encryptField(rotated, 'x').keyId).toBe('k2');
  });

  it('refuses an unknown key id, a wrong key and a tampered value', () => {
    const ring = keyRingFrom(material());
    const enc = encryptField(ring, 'secret');
    expect(() => decryptField(ring, 'k9', enc.value)).toThrow(/unknown field key/);
    expect(() => decryptField(keyRingFrom(material()), enc.keyId, enc.value)).toThrow();
    const [iv, tag, ct] = enc.value.split(':') as [string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptField(ring, enc.keyId, [iv, tag, flipped.toString('base64url')].join(':'))).toThrow();
    const badTag = Buffer.from(tag, 'base64url');
    badTag[0] = badTag[0]! ^ 1;
    expect(() => decryptField(ring, enc.keyId, [iv, badTag.toString('base64url'), ct].join(':'))).toThrow();
  });

  it('requires a 32-byte key', () => {
    expect(() => keyRingFrom(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('hashes', () => {
  it('lookup hashes are stable per key and differ between keys', () => {
    const a = keyRingFrom(material());
    const b = keyRingFrom(material());
    expect(lookupHash(a, 'A123456789')).toBe(lookupHash(a, 'A123456789'));
    expect(lookupHash(a, 'A123456789')).not.toBe(lookupHash(a, 'A123456788'));
    expect(lookupHash(a, 'A123456789')).not.toBe(lookupHash(b, 'A123456789'));
  });

  it('sha256 is base64url', () => {
    expect(sha256('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});
