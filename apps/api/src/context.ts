import type { Role } from '@dtp/contracts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { KeyRing } from './lib/crypto.ts';

/** What every service factory receives. */
export type Deps = {
  config: Config;
  database: Database;
  keys: KeyRing;
  now: () => Date;
};

export type ActorGrant = {
  id: string;
  role: Role;
  scopeKind: string;
  scopeId: string | null;
  function: 'training' | 'testing' | null;
};

/** The signed-in account behind a request. */
export type Actor = {
  accountId: string;
  email: string;
  displayName: string;
  locale: 'zh-TW' | 'en';
  /** The calendar the account reads dates in (民國 or Gregorian): exports and e-mails follow it. */
  calendar: 'roc' | 'gregorian';
  sessionId: string;
  stage: 'signed_in' | 'mfa_required' | 'mfa_enrolment_required';
  csrfToken: string;
  grants: ActorGrant[];
};

/** Who did it and from where: stamped on audit rows. */
export type RequestContext = {
  actorAccountId: string | null;
  grantId: string | null;
  ip: string | null;
  requestId: string | null;
};

export const systemContext: RequestContext = {
  actorAccountId: null,
  grantId: null,
  ip: null,
  requestId: null,
};
