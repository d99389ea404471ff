// subset-font ships no types; this is the part of its API the platform uses.
declare module 'subset-font' {
  export default function subsetFont(
    font: Buffer,
    text: string | undefined,
    options?: {
      targetFormat?: 'sfnt' | 'woff' | 'woff2';
      /** OpenType layout features to keep (all when absent). */
      keepFeatures?: readonly string[];
      /** Keep no glyph reached only through layout substitutions. */
      noLayoutClosure?: boolean;
    },
  ): Promise<Buffer>;
}
