import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;
const make = (secret: string, label = '', issuer = '') =>
  new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secret),
  });

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export const totpUrl = (secret: string, label: string, issuer: string): string =>
  make(secret, label, issuer).toString();

/** The time step a code matches (±1 step of clock drift), or null. */
export function matchTotp(secret: string, code: string, at: Date): number | null {
  const delta = make(secret).validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / PERIOD) + delta;
}

export const totpNow = (secret: string, at = new Date()): string =>
  make(secret).generate({ timestamp: at.getTime() });
