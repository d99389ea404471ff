import { createTheme } from '@mantine/core';

/** Shade 8/9 of the palette keeps text and buttons at a contrast of at least 4.5:1 (WCAG AA). */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 9, dark: 4 },
  fontFamily:
    '"Noto Sans TC", "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", system-ui, -apple-system, "Segoe UI", sans-serif',
  headings: {
    fontFamily:
      '"Noto Sans TC", "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", system-ui, -apple-system, "Segoe UI", sans-serif',
  },
  defaultRadius: 'sm',
  focusRing: 'always',
});
