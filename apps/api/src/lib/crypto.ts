import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Field encryption (AES-256-GCM) with the key id stored beside the ciphertext, so keys rotate:
 * `<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts). Lookup hashes are HMAC-SHA-256 with a
 * separate derived key, so equal values can be found without decrypting.
 */
export type KeyRing = {
  currentId: string;
  keys: Map<string, Buffer>;
};

export function keyRingFrom(material: string, id = 'k1'): KeyRing {
  const key = Buffer.from(material, 'base64');
  if (key.length !== 32) throw new Error('FIELD_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  return { currentId: id, keys: new Map([[id, key]]) };
}

export function encryptField(ring: KeyRing, plain: string): { keyId: string; value: string } {
  const key = ring.keys.get(ring.currentId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return {
    keyId: ring.currentId,
    value: [iv, tag, ct].map((b) => b.toString('base64url')).join(':'),
  };
}

export function decryptField(ring: KeyRing, keyId: string, value: string): string {
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`unknown field key ${keyId}`);
  const [iv, tag, ct] = value.split(':').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(ct!), decipher.final()]).toString('utf8');
}

export function lookupHash(ring: KeyRing, value: string): string {
  const key = createHmac('sha256', ring.keys.get(ring.currentId)!).update('lookup').digest();
  return createHmac('sha256', key).update(value).digest('base64url');
}

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Whole-buffer encryption (an uploaded file that holds ID numbers): `<iv 12><tag 16><ciphertext>`. */
export function encryptBytes(ring: KeyRing, plain: Buffer): { keyId: string; value: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.currentId)!, iv);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { keyId: ring.currentId, value: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
}

export function decryptBytes(ring: KeyRing, keyId: string, value: Buffer): Buffer {
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`unknown field key ${keyId}`);
  const decipher = createDecipheriv('aes-256-gcm', key, value.subarray(0, 12));
  decipher.setAuthTag(value.subarray(12, 28));
  return Buffer.concat([decipher.update(value.subarray(28)), decipher.final()]);
}
