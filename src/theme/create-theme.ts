import { ASCII_BOX, ASCII_GLYPHS, UNICODE_GLYPHS } from './glyphs.js';
import { ANSI16, NO_COLOR } from './palettes.js';
import type { Theme } from './tokens.js';

export function createTheme(options: { color: boolean; ascii: boolean }): Theme {
  const palette = options.color ? ANSI16 : NO_COLOR;
  return {
    color: options.color,
    ascii: options.ascii,
    text: palette.text,
    status: palette.status,
    ui: palette.ui,
    emphasis: palette.emphasis,
    border: { style: options.ascii ? ASCII_BOX : 'round', color: palette.borderColor, focus: palette.borderFocus },
    glyphs: options.ascii ? ASCII_GLYPHS : UNICODE_GLYPHS,
  };
}
