import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrivacyNotice } from '@dtp/contracts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'notices');

/**
 * The §8 notices, one JSON file per version (`notices/v<N>.json`, zh-TW and English). A changed
 * notice is a new file with the next version; consents name the version they were given under.
 */
export const NOTICES: readonly PrivacyNotice[] = ['v1.json'].map((f) =>
  PrivacyNotice.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))),
);
export const currentNotice = (): PrivacyNotice => NOTICES[NOTICES.length - 1]!;
