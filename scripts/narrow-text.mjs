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
 * Source of `segmentsOf(string)` (and the lazily made segmenter it falls back on): the string's
 * graphemes as `Intl.Segmenter#segment` gives them (iterable `{ segment, index, input }`, and
 * `containing(index)`). Text made of narrow characters and ESC (a control, so a grapheme of its
 * own) has one grapheme per code unit and is split without the segmenter, whose construction alone
 * costs ~20 ms the first time in a process (it loads ICU's break rules).
 */
export function segmentsSource(name) {
  return `let ${name}Segmenter;
function ${name}Graphemes() {
  return (${name}Segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));
}
function ${name}(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c === 27 || ${narrowTests()})) return ${name}Graphemes().segment(s);
  }
  const at = (i) => ({ segment: s[i], index: i, input: s });
  return {
    containing(i = 0) {
      return i >= 0 && i < s.length ? at(Math.trunc(i)) : undefined;
    },
    *[Symbol.iterator]() {
      for (let i = 0; i < s.length; i++) yield at(i);
    },
  };
}
`;
}
