import { describe, expect, it } from 'vitest';
import { createTheme } from '../../src/theme/index.js';
import { bodyHeight, frameHeight, isTooSmall, normaliseSize, tableLayout } from '../../src/model/layout.js';

describe('theme', () => {
  it('the no-colour theme has no colour, no bold and no reverse video anywhere', () => {
    const theme = createTheme({ color: false, ascii: false });
    const colours = [...Object.values(theme.text), ...Object.values(theme.status), theme.ui.focus, theme.ui.key, theme.border.color, theme.border.focus];
    expect(colours.filter((c) => c !== undefined)).toEqual([]);
    expect(theme.emphasis).toBe(false);
    expect(theme.ui.selection).toEqual({ inverse: false, bold: false });
  });

  it('the colour theme uses the 16 named ANSI colours only', () => {
    const theme = createTheme({ color: true, ascii: false });
    const named = /^(black|red|green|yellow|blue|magenta|cyan|white|gray|grey)(Bright)?$/;
    for (const c of [...Object.values(theme.text), ...Object.values(theme.status), theme.ui.focus, theme.border.color]) {
      if (c !== undefined) expect(c).toMatch(named);
    }
  });

  it('ASCII mode draws boxes with + - | and uses ASCII glyphs only', () => {
    const theme = createTheme({ color: true, ascii: true });
    expect(typeof theme.border.style).toBe('object');
    const text = JSON.stringify(theme.border.style) + JSON.stringify(theme.glyphs);
    expect(text).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe('layout', () => {
  it('treats a missing or absurd size as 80x24', () => {
    expect(normaliseSize(undefined, undefined)).toEqual({ columns: 80, rows: 24 });
    expect(normaliseSize(0, 0)).toEqual({ columns: 80, rows: 24 });
    expect(normaliseSize(100, 4)).toEqual({ columns: 100, rows: 24 });
  });

  it('keeps the frame below the terminal height', () => {
    for (const rows of [15, 24, 40, 100]) expect(frameHeight({ columns: 80, rows })).toBe(rows - 1);
  });

  it('is too small below 60x15 and not at it', () => {
    expect(isTooSmall({ columns: 60, rows: 15 })).toBe(false);
    expect(isTooSmall({ columns: 59, rows: 24 })).toBe(true);
    expect(isTooSmall({ columns: 80, rows: 14 })).toBe(true);
  });

  it('derives table rows from the terminal rows minus the chrome', () => {
    expect(bodyHeight({ columns: 80, rows: 24 }, undefined)).toBe(19);
    expect(tableLayout({ columns: 80, rows: 24 }, undefined).rows).toBe(15);
    expect(tableLayout({ columns: 120, rows: 40 }, 'banner').rows).toBe(30);
  });
});
