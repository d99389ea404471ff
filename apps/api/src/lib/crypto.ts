import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  randomBytes,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';

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

/**
 * KeyObjects made once per key (a raw Buffer key is imported again on every call, which costs
 * more than the encryption of a short field: it matters for bulk imports).
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(key: Buffer): KeyObject {
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = createSecretKey(key)));
  return k;
}
const lookupKeys = new WeakMap<Buffer, KeyObject>();
function lookupKey(ring: KeyRing): KeyObject {
  const key = ring.keys.get(ring.currentId)!;
  let k = lookupKeys.get(key);
  if (!k) lookupKeys.set(key, (k = createSecretKey(createHmac('sha256', key).update('lookup').digest())));
  return k;
}

/** 96-bit random IVs, drawn from the CSPRNG 4 096 at a time (one system call instead of one per field). */
let ivPool = Buffer.alloc(0);
let ivAt = 0;
function nextIv(): Buffer {
  if (ivAt >= ivPool.length) {
    ivPool = randomFillSync(Buffer.alloc(12 * 4096));
    ivAt = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivAt, ivAt + 12));
  ivAt += 12;
  return iv;
}

export function encryptField(ring: KeyRing, plain: string): { keyId: string; value: string } {
  const key = keyObject(ring.keys.get(ring.currentId)!);
  const iv = nextIv();
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
  const decipher = createDecipheriv('aes-256-gcm', keyObject(key), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(ct!), decipher.final()]).toString('utf8');
}

export function lookupHash(ring: KeyRing, value: string): string {
  return createHmac('sha256', lookupKey(ring)).update(value).digest('base64url');
}

/**
 * A key's fingerprint: HMAC-SHA-256 of a fixed label under the key, first 128 bits. It tells keys
 * apart (stored beside the key id in `field_keys`, printed by backups) without revealing the key.
 */
export const keyFingerprint = (key: Buffer): string =>
  createHmac('sha256', key).update('dtp field-key fingerprint v1').digest('base64url').slice(0, 22);

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
