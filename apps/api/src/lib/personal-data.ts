import type { DbOrTx } from '../db/client.ts';

/**
 * Whose data: the person record and the account (either may be absent), and the e-mail addresses
 * they had when the request was handled (a provider that runs after the account's is anonymised
 * still knows them).
 */
export type DataSubject = { personId: string | null; accountId: string | null; emails: string[] };

/**
 * What one module holds about a person (個資法 §3 rights). Each module that stores personal data
 * registers a provider in app.ts: `collect` answers the access/copy right (one section of the JSON
 * download), `anonymise` serves a granted deletion inside the deciding transaction, removing what
 * identifies the person and keeping the records that must be kept.
 */
export type PersonalDataProvider = {
  section: string;
  collect(db: DbOrTx, subject: DataSubject): Promise<unknown>;
  anonymise?(tx: DbOrTx, subject: DataSubject, at: Date): Promise<void>;
};

export type PersonalDataProviders = {
  register(provider: PersonalDataProvider): void;
  list(): readonly PersonalDataProvider[];
};

export function createPersonalDataProviders(): PersonalDataProviders {
  const providers: PersonalDataProvider[] = [];
  return {
    register(p) {
      if (providers.some((q) => q.section === p.section)) throw new Error(`provider ${p.section} twice`);
      providers.push(p);
    },
    list: () => providers,
  };
}
