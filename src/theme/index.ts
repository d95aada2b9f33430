export type { Theme, Glyphs, Color } from './tokens.js';
export { createTheme } from './create-theme.js';
export { ThemeProvider, useTheme } from './context.js';
