import { hash, verify } from '@node-rs/argon2';

/** argon2id at OWASP's minimum: 19 MiB memory, 2 iterations, 1 lane. `2` is Algorithm.Argon2id. */
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> =>
  hash(password, OPTIONS as unknown as Parameters<typeof hash>[1]);

export async function verifyPassword(phc: string | null, password: string): Promise<boolean> {
  // Without a hash we still spend the same time, so response times do not reveal which e-mails exist.
  const target = phc ?? DUMMY;
  try {
    const ok = await verify(target, password);
    return phc !== null && ok;
  } catch {
    return false;
  }
}

const DUMMY =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jm0vPp4Cz5QqoSa0wtWYF3fcdmAnUxhbuMz4zgQk4d8';
