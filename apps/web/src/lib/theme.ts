import { createTheme, NativeSelect, NumberInput, PasswordInput, TextInput } from '@mantine/core';

// Labels stay exactly their text (no " *" inside the label, so getByLabel(…, exact) and screen
// readers read the same name); `required` still marks the input, and forms say what is required.
const noAsterisk = { defaultProps: { withAsterisk: false } };

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
  components: {
    TextInput: TextInput.extend(noAsterisk),
    PasswordInput: PasswordInput.extend(noAsterisk),
    NumberInput: NumberInput.extend(noAsterisk),
    NativeSelect: NativeSelect.extend(noAsterisk),
  },
});
