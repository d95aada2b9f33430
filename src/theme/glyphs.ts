import type { BoxProps } from 'ink';
import type { Glyphs } from './tokens.js';

type BoxStyle = Exclude<NonNullable<BoxProps['borderStyle']>, string>;

/** Box drawing for `--ascii`: terminals and fonts without line-drawing characters, serial consoles. */
export const ASCII_BOX: BoxStyle = {
  topLeft: '+',
  top: '-',
  topRight: '+',
  right: '|',
  bottomRight: '+',
  bottom: '-',
  bottomLeft: '+',
  left: '|',
};

export const UNICODE_GLYPHS: Glyphs = {
  pointer: '›',
  ellipsis: '…',
  moreAbove: '▲',
  moreBelow: '▼',
  pass: '✓',
  warn: '!',
  fail: '✗',
  running: '…',
  bullet: '•',
  separator: ' · ',
  rule: '─',
  checkboxOn: '[x]',
  checkboxOff: '[ ]',
  cursor: '_',
  radioOn: '(•)',
  radioOff: '( )',
  hidden: '[hidden]',
  keys: { up: '↑', down: '↓', left: '←', right: '→', return: '⏎', escape: 'Esc', tab: 'Tab', 'shift-tab': 'S-Tab', space: 'Space', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End', 'ctrl-c': 'C-c', 'ctrl-u': 'C-u', 'ctrl-d': 'C-d', 'ctrl-b': 'C-b', 'ctrl-l': 'C-l' },
};

export const ASCII_GLYPHS: Glyphs = {
  ...UNICODE_GLYPHS,
  pointer: '>',
  ellipsis: '~',
  moreAbove: '^',
  moreBelow: 'v',
  pass: '+',
  warn: '!',
  fail: 'x',
  running: '*',
  bullet: '*',
  separator: ' | ',
  rule: '-',
  radioOn: '(*)',
  keys: { ...UNICODE_GLYPHS.keys, up: 'Up', down: 'Down', left: 'Left', right: 'Right', return: 'Enter' },
};
