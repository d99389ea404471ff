import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale } from '@dtp/contracts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'locales');
type Tree = { [k: string]: string | Tree };
const catalogues: Record<Locale, Tree> = {
  'zh-TW': JSON.parse(readFileSync(path.join(dir, 'zh-TW.json'), 'utf8')) as Tree,
  en: JSON.parse(readFileSync(path.join(dir, 'en.json'), 'utf8')) as Tree,
};

/** Text from the server locale files (exports, PDFs); a missing key is a bug, so it throws. */
export function serverText(locale: Locale, key: string, params: Record<string, string> = {}): string {
  let node: string | Tree | undefined = catalogues[locale];
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') throw new Error(`missing server locale key ${locale}:${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, k: string) => params[k] ?? '');
}

/** A translator bound to one language. */
export const serverT =
  (locale: Locale) =>
  (key: string, params?: Record<string, string>): string =>
    serverText(locale, key, params);
