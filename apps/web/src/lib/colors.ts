/** Status colours with at least 4.5:1 contrast on white and on striped rows (WCAG AA). */
export const COLOR_OK = '#1f6f33';
export const COLOR_BAD = 'red.9';
export const COLOR_NEUTRAL = 'gray.8';
