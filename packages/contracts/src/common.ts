import { z } from 'zod';

export const Locale = z.enum(['zh-TW', 'en']);
export type Locale = z.infer<typeof Locale>;
export const LOCALES = Locale.options;

export const CalendarStyle = z.enum(['roc', 'gregorian']);
export type CalendarStyle = z.infer<typeof CalendarStyle>;

/** User-visible text in both languages; zh-TW is required. */
export const LocalizedText = z.object({
  'zh-TW': z.string().min(1),
  en: z.string().optional(),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

export const Uuid = z.uuid();

/** Query of every keyset-paged list: `cursor` is opaque, `limit` capped. */
export const PageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  sort: z.string().max(100).optional(),
  q: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** A page of a list: `total` is exact up to `totalCap`, then reported as `totalCapped`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    total: z.number().int(),
    totalCapped: z.boolean(),
  });
}
export type Page<T> = { items: T[]; nextCursor: string | null; total: number; totalCapped: boolean };

export const Ok = z.object({ ok: z.literal(true) });
