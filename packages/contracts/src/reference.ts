import { z } from 'zod';

export const Region = z.enum(['north', 'central', 'south', 'east', 'islands']);
export type Region = z.infer<typeof Region>;

export const County = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  type: z.string(),
  isoCode: z.string(),
  idLetter: z.string(),
  region: Region,
  region6: z.string(),
  /** Whether the county is in the Greater-South set chosen in the settings. */
  greaterSouth: z.boolean(),
  sortOrder: z.number().int(),
});
export type County = z.infer<typeof County>;

export const UpdateCountyInput = z.object({
  nameZh: z.string().trim().min(1).max(20).optional(),
  nameEn: z.string().trim().min(1).max(60).optional(),
  region: Region.optional(),
  region6: z.string().trim().min(1).max(20).optional(),
});
export type UpdateCountyInput = z.infer<typeof UpdateCountyInput>;

export const IndustryLevel = z.enum(['section', 'division', 'group', 'class']);
export const Industry = z.object({
  code: z.string(),
  level: IndustryLevel,
  section: z.string(),
  parentCode: z.string().nullable(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  tags: z.array(z.string()),
});
export type Industry = z.infer<typeof Industry>;

export const IndustryQuery = z.object({
  level: IndustryLevel.optional(),
  section: z
    .string()
    .regex(/^[A-S]$/)
    .optional(),
  parentCode: z.string().max(4).optional(),
  q: z.string().trim().max(50).optional(),
});
export type IndustryQuery = z.infer<typeof IndustryQuery>;

export const UpdateIndustryInput = z.object({
  nameZh: z.string().trim().min(1).max(100).optional(),
  nameEn: z.string().trim().max(200).nullable().optional(),
  tags: z
    .array(z.string().regex(/^[a-z_]+$/))
    .max(10)
    .optional(),
});
export type UpdateIndustryInput = z.infer<typeof UpdateIndustryInput>;

export const IpasItem = z.object({
  id: z.uuid(),
  nameZh: z.string(),
  code: z.string().nullable(),
  levels: z.string(),
  papers: z.string(),
  notes: z.string(),
  confidence: z.string(),
  source: z.string(),
});
export type IpasItem = z.infer<typeof IpasItem>;

export const UpdateIpasItemInput = z.object({
  nameZh: z.string().trim().min(1).max(100).optional(),
  code: z.string().trim().max(40).nullable().optional(),
  levels: z.string().trim().min(1).max(100).optional(),
  notes: z.string().trim().max(1000).optional(),
});
export type UpdateIpasItemInput = z.infer<typeof UpdateIpasItemInput>;
