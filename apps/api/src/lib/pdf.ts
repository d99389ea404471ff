import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import subsetFont from 'subset-font';

/**
 * Printable documents with Chinese text. pdf-lib's own subsetting drops CJK glyphs, so the Noto
 * Sans TC fonts (npm @expo-google-fonts/noto-sans-tc) are cut down with HarfBuzz to the characters
 * the document uses, then embedded whole: a few tens of kB instead of 7 MB a weight.
 */
const require = createRequire(import.meta.url);
const fontPath = (weight: '400Regular' | '700Bold') =>
  require.resolve(`@expo-google-fonts/noto-sans-tc/${weight}/NotoSansTC_${weight}.ttf`);
let fontFiles: Promise<[Buffer, Buffer]> | undefined;
const loadFonts = () =>
  (fontFiles ??= Promise.all([readFile(fontPath('400Regular')), readFile(fontPath('700Bold'))]));

/**
 * No OpenType layout features and no glyphs reached only through them. pdf-lib draws text through
 * fontkit's shaping but writes widths and the text layer (ToUnicode) only for the glyphs the cmap
 * maps; Noto Sans TC's Latin-script lookups swap digits after a letter for alternates outside the
 * cmap, so "K01" was drawn as 「K0 1」 (default width) and its digits missing from the text layer.
 * Without layout features every glyph drawn is one the cmap maps.
 */
const SUBSET = { targetFormat: 'sfnt', keepFeatures: [], noLayoutClosure: true } as const;

export type PdfBlock =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string; muted?: boolean }
  | {
      kind: 'table';
      columns: { header: string; width: number; align?: 'left' | 'right' }[];
      rows: string[][];
    }
  /** Horizontal bars, each labelled with its value; `target` draws a mark where given. */
  | { kind: 'bars'; items: { label: string; value: number; text: string; target?: number | null }[] };

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const INK = rgb(0.1, 0.12, 0.16);
const MUTED = rgb(0.35, 0.38, 0.42);
const RULE = rgb(0.8, 0.82, 0.85);
const BAR = rgb(0.11, 0.4, 0.72);

function allText(blocks: PdfBlock[], footer: string): string {
  const parts: string[] = [footer, '0123456789.,-–%/:()… '];
  for (const b of blocks) {
    if (b.kind === 'table') parts.push(...b.columns.map((c) => c.header), ...b.rows.flat());
    else if (b.kind === 'bars') parts.push(...b.items.flatMap((i) => [i.label, i.text]));
    else parts.push(b.text);
  }
  return [...new Set(parts.join(''))].join('');
}

/** Renders blocks onto A4 pages, with `footer` and page numbers at the bottom of each. */
export async function renderPdf(meta: { title: string; footer: string; lang: string }, blocks: PdfBlock[]) {
  const [regular, bold] = await loadFonts();
  const chars = allText(blocks, meta.footer + meta.title);
  const [regSub, boldSub] = await Promise.all([
    subsetFont(regular, chars, SUBSET),
    subsetFont(bold, chars, SUBSET),
  ]);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(meta.title);
  doc.setLanguage(meta.lang);
  doc.setCreator('數位人才發展平台');
  const font = await doc.embedFont(regSub, { subset: false });
  const boldFont = await doc.embedFont(boldSub, { subset: false });

  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const width = A4[0] - 2 * MARGIN;
  const ensure = (h: number) => {
    if (y - h < MARGIN + 24) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };
  const fit = (text: string, f: PDFFont, size: number, max: number) => {
    if (f.widthOfTextAtSize(text, size) <= max) return text;
    let t = text;
    while (t.length > 1 && f.widthOfTextAtSize(t + '…', size) > max) t = t.slice(0, -1);
    return t + '…';
  };
  const wrap = (text: string, f: PDFFont, size: number, max: number) => {
    const lines: string[] = [];
    for (const para of text.split('\n')) {
      let line = '';
      for (const ch of para) {
        if (f.widthOfTextAtSize(line + ch, size) > max && line) {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
      lines.push(line);
    }
    return lines;
  };

  for (const b of blocks) {
    if (b.kind === 'title' || b.kind === 'heading') {
      const size = b.kind === 'title' ? 18 : 13;
      ensure(size * 2.2);
      y -= size * (b.kind === 'title' ? 1 : 1.6);
      for (const line of wrap(b.text, boldFont, size, width)) {
        page.drawText(line, { x: MARGIN, y, size, font: boldFont, color: INK });
        y -= size * 1.4;
      }
      y += size * 0.4;
    } else if (b.kind === 'text') {
      for (const line of wrap(b.text, font, 9.5, width)) {
        ensure(14);
        page.drawText(line, { x: MARGIN, y: y - 10, size: 9.5, font, color: b.muted ? MUTED : INK });
        y -= 14;
      }
      y -= 4;
    } else if (b.kind === 'table') {
      const total = b.columns.reduce((s, c) => s + c.width, 0);
      const xs: number[] = [];
      let x = MARGIN;
      for (const c of b.columns) {
        xs.push(x);
        x += (c.width / total) * width;
      }
      const colW = b.columns.map((c) => (c.width / total) * width - 6);
      const drawRow = (cells: string[], f: PDFFont) => {
        ensure(16);
        cells.forEach((cell, i) => {
          const c = b.columns[i]!;
          const t = fit(cell, f, 8.5, colW[i]!);
          const tx = c.align === 'right' ? xs[i]! + colW[i]! - f.widthOfTextAtSize(t, 8.5) : xs[i]!;
          page.drawText(t, { x: tx, y: y - 11, size: 8.5, font: f, color: INK });
        });
        y -= 15;
        page.drawLine({
          start: { x: MARGIN, y },
          end: { x: MARGIN + width, y },
          thickness: 0.4,
          color: RULE,
        });
      };
      drawRow(
        b.columns.map((c) => c.header),
        boldFont,
      );
      for (const r of b.rows) drawRow(r, font);
      y -= 8;
    } else {
      const max = Math.max(1, ...b.items.map((i) => Math.max(i.value, i.target ?? 0)));
      const labelW = width * 0.3;
      const barMax = width * 0.5;
      for (const item of b.items) {
        ensure(16);
        page.drawText(fit(item.label, font, 8.5, labelW - 6), {
          x: MARGIN,
          y: y - 11,
          size: 8.5,
          font,
          color: INK,
        });
        const w = (Math.max(0, item.value) / max) * barMax;
        if (w > 0) page.drawRectangle({ x: MARGIN + labelW, y: y - 12, width: w, height: 10, color: BAR });
        if (item.target) {
          const tx = MARGIN + labelW + (item.target / max) * barMax;
          page.drawLine({ start: { x: tx, y: y - 14 }, end: { x: tx, y: y }, thickness: 1.2, color: INK });
        }
        page.drawText(item.text, { x: MARGIN + labelW + w + 4, y: y - 11, size: 8, font, color: MUTED });
        y -= 15;
      }
      y -= 8;
    }
  }

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const text = `${meta.footer}    ${i + 1} / ${pages.length}`;
    p.drawText(text, { x: MARGIN, y: MARGIN - 16, size: 8, font, color: MUTED });
  });
  return Buffer.from(await doc.save());
}
