import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';

/** Time-ordered ids made in the app (PostgreSQL 15 has no UUIDv7 generator). */
export const newId = (): string => v7();

/** An unguessable token for anything reachable without sign-in (links, cookies). */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
