/**
 * Masking of personal data for display and for the audit log. National IDs follow the
 * government rule: the last four characters hidden (A12345****).
 */
export function maskNationalId(id: string): string {
  return id.length <= 4 ? '****' : `${id.slice(0, -4)}****`;
}

export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** 王小明 → 王○明; two characters → 王○; Latin names keep the first letter of each word. */
export function maskName(name: string): string {
  const chars = [...name];
  if (/^[\p{Script=Han}]+$/u.test(name)) {
    if (chars.length <= 1) return name;
    if (chars.length === 2) return `${chars[0]}○`;
    return `${chars[0]}${'○'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  }
  return name
    .split(/\s+/)
    .map((w) => (w ? `${w[0]}${'*'.repeat(Math.max(0, w.length - 1))}` : w))
    .join(' ');
}

export function maskPhone(phone: string): string {
  return phone.length <= 4 ? '****' : `${phone.slice(0, -4)}****`;
}

const REDACT = /password|secret|token|hash|recovery/i;
const MASKERS: Record<string, (v: string) => string> = {
  email: maskEmail,
  toAddress: maskEmail,
  nationalId: maskNationalId,
  displayName: maskName,
  name: maskName,
  phone: maskPhone,
  birthDate: () => '****-**-**',
  address: () => '***',
};

/** A copy of `value` safe for the audit log: secrets removed, personal fields masked. */
export function maskForAudit(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(maskForAudit);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (REDACT.test(k)) out[k] = v == null ? v : '[redacted]';
    else if (typeof v === 'string' && MASKERS[k]) out[k] = MASKERS[k](v);
    else out[k] = maskForAudit(v);
  }
  return out;
}
