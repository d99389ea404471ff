import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The 22 municipalities, cities and counties; `code` is the Ministry of the Interior's code. */
export const counties = pgTable('counties', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  type: text('type').notNull(),
  isoCode: text('iso_code').notNull(),
  idLetter: text('id_letter').notNull(),
  region: text('region', { enum: ['north', 'central', 'south', 'east', 'islands'] }).notNull(),
  region6: text('region6').notNull(),
  sortOrder: integer('sort_order').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** 行業統計分類 (rev. 11): sections, divisions, groups and classes in one tree. */
export const industries = pgTable(
  'industries',
  {
    code: text('code').primaryKey(),
    level: text('level', { enum: ['section', 'division', 'group', 'class'] }).notNull(),
    section: text('section').notNull(),
    parentCode: text('parent_code'),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en'),
    /** The programme's domains this code belongs to (semiconductor, it_services, …). */
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('industries_parent_code_idx').on(t.parentCode),
    index('industries_section_idx').on(t.section),
  ],
);

/** iPAS competency assessment items as far as known; the certification module builds on them. */
export const ipasItems = pgTable(
  'ipas_items',
  {
    id: uuid('id').primaryKey(),
    nameZh: text('name_zh').notNull(),
    code: text('code'),
    levels: text('levels').notNull(),
    papers: text('papers').notNull(),
    notes: text('notes').notNull().default(''),
    confidence: text('confidence').notNull().default(''),
    source: text('source').notNull().default(''),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ipas_items_name_levels_key').on(t.nameZh, t.levels)],
);
