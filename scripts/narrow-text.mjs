// Characters the panel's frames are made of (Latin-1, punctuation, arrows, box drawing, the few
// symbols the screens use) that are one column wide, never an emoji, and never join a neighbour
// into a larger grapheme. test/build/narrow-text.test.ts checks every one against string-width.
export const NARROW_RANGES = [
  [0x20, 0x7e],
  [0xa0, 0xac],
  [0xae, 0xff],
  [0x2010, 0x2027],
  [0x2030, 0x203b],
  [0x2190, 0x2193],
  [0x2212, 0x2212],
  [0x2248, 0x2248],
  [0x2260, 0x2265],
  [0x23ce, 0x23ce],
  [0x2500, 0x259f],
  [0x25b2, 0x25b2],
  [0x25bc, 0x25bc],
  [0x2713, 0x2713],
  [0x2717, 0x2717],
];

const narrowTests = () => NARROW_RANGES.map(([from, to]) => (from === to ? `c === ${from}` : `(c >= ${from} && c <= ${to})`)).join(' || ');

/** Source of `isAllNarrow(string)`, for the build to put into string-width. */
export function isAllNarrowSource(name) {
  return `function ${name}(s) {\n  for (let i = 0; i < s.length; i++) {\n    const c = s.charCodeAt(i);\n    if (!(${narrowTests()})) return false;\n  }\n  return true;\n}\n`;
}

/**
 * Source of `codeUnitSegments(string)`: the string's graphemes as Intl.Segmenter would give them
 * (`{ segment, index }`), or undefined when it cannot say so without Intl.Segmenter. Text made of
 * narrow characters and ESC (a control: a grapheme of its own) has one grapheme per code unit.
 */
export function codeUnitSegmentsSource(name) {
  return `function ${name}(s) {\n  for (let i = 0; i < s.length; i++) {\n    const c = s.charCodeAt(i);\n    if (!(c === 27 || ${narrowTests()})) return undefined;\n  }\n  const out = new Array(s.length);\n  for (let i = 0; i < s.length; i++) out[i] = { segment: s[i], index: i };\n  return out;\n}\n`;
}
