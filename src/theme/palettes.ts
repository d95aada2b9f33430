import type { Theme } from './tokens.js';

type Palette = Pick<Theme, 'text' | 'status' | 'ui' | 'emphasis'> & { readonly borderColor: Theme['border']['color']; readonly borderFocus: Theme['border']['focus'] };

/**
 * The 16 named ANSI colours only: servers reached over SSH often have TERM=xterm, screen or
 * linux, where anything richer is mapped down anyway (terminal-ui.md §5).
 */
export const ANSI16: Palette = {
  text: { primary: undefined, muted: 'gray', accent: 'cyan', heading: 'cyanBright' },
  status: { error: 'redBright', warning: 'yellow', success: 'green', info: 'cyan' },
  ui: { focus: 'cyanBright', key: 'cyan', selection: { inverse: true, bold: false } },
  emphasis: true,
  borderColor: 'gray',
  borderFocus: 'cyanBright',
};

/** NO_COLOR / --no-color: not one escape sequence; selection is shown by a marker instead. */
export const NO_COLOR: Palette = {
  text: { primary: undefined, muted: undefined, accent: undefined, heading: undefined },
  status: { error: undefined, warning: undefined, success: undefined, info: undefined },
  ui: { focus: undefined, key: undefined, selection: { inverse: false, bold: false } },
  emphasis: false,
  borderColor: undefined,
  borderFocus: undefined,
};
