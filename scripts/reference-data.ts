/**
 * Turns the reference CSVs (../shared/data by default) into the JSON the API seeds from
 * (apps/api/src/modules/reference/seed). Run again when the CSVs change; the JSON is committed so
 * the app needs nothing outside the repository.  Usage: node scripts/reference-data.ts [DIR]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'data'));
const out = path.join(root, 'apps', 'api', 'src', 'modules', 'reference', 'seed');

const rows = (file: string): Record<string, string>[] =>
  parse(readFileSync(path.join(src, file)), { columns: true, bom: true, skip_empty_lines: true, trim: true });
const write = (file: string, data: unknown) =>
  writeFileSync(path.join(out, file), `${JSON.stringify(data, null, 1)}\n`);

// The five-way split: Penghu ("南部 (often 離島)") goes with the outlying islands, as most usage does.
const region = (r: string) =>
  r.includes('離島')
    ? 'islands'
    : ({ 北部: 'north', 中部: 'central', 南部: 'south', 東部: 'east' } as const)[r.slice(0, 2)];

const counties = rows('tw_counties.csv').map((r, i) => {
  const reg = region(r.region_5way_convention!);
  if (!reg) throw new Error(`unknown region ${r.region_5way_convention} for ${r.name_zh}`);
  return {
    code: r.moi_county_code!,
    nameZh: r.name_zh!,
    nameEn: r.name_en!,
    type: r.type!,
    isoCode: r.iso_3166_2!.split(' ')[0]!,
    idLetter: r.id_area_letter!,
    region: reg,
    // 宜蘭縣 is listed in two of the six regions; the first is kept.
    region6: r.region_6way_2024_balanced_taiwan!.split('/')[0]!.trim(),
    sortOrder: i + 1,
    greaterSouth2019: r.greater_south_2019_per_ctwant === 'Y',
    greaterSouth2025: r.greater_south_silicon_valley_2025 === 'Y',
  };
});

// The CSV has Chinese names only; the English names of sections and divisions are kept in the
// repository (seed/industry-names-en.json, decision 025) and joined here. Groups and classes have none yet.
const namesEn = JSON.parse(readFileSync(path.join(out, 'industry-names-en.json'), 'utf8')) as Record<
  string,
  string
>;
const industries = rows('tw_industry_classification_rev11.csv').map((r) => ({
  code: r.code!,
  level: r.level!.split('(')[0]!,
  section: r.section!,
  parentCode: r.parent_code || null,
  nameZh: r.name_zh!,
  ...(namesEn[r.code!] ? { nameEn: namesEn[r.code!] } : {}),
  tags: r.relevance_tags ? r.relevance_tags.split(';').map((t) => t.trim()) : [],
}));

const unknownCode = (c: string) => !c || c.startsWith('(') || c === '?';
const ipasItems = rows('ipas_items.csv').map((r) => ({
  nameZh: r.item_zh!,
  code: unknownCode(r.site_code!) ? null : r.site_code!,
  levels: r.level!,
  papers: r.subjects!,
  notes: r.format_frequency_notes!,
  confidence: r.confidence!,
  source: r.source!,
}));

write('counties.json', counties);
write('industries.json', industries);
write('ipas-items.json', ipasItems);
console.log(
  `${counties.length} counties, ${industries.length} industry codes, ${ipasItems.length} iPAS items → ${out}`,
);
