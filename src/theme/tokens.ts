import type { BoxProps } from 'ink';

/** A colour name Ink understands; `undefined` means "the terminal's default" (and no escape at all). */
export type Color = string | undefined;

export type BorderStyle = NonNullable<BoxProps['borderStyle']>;

export interface Glyphs {
  readonly pointer: string;
  readonly ellipsis: string;
  readonly moreAbove: string;
  readonly moreBelow: string;
  readonly pass: string;
  readonly warn: string;
  readonly fail: string;
  readonly running: string;
  readonly bullet: string;
  readonly separator: string;
  readonly rule: string;
  readonly checkboxOn: string;
  readonly checkboxOff: string;
  readonly cursor: string;
  readonly radioOn: string;
  readonly radioOff: string;
  /** Drawn for a secret that has a value: the same whatever its length. */
  readonly hidden: string;
  /** How keys are spelled in hints and help. */
  readonly keys: Readonly<Record<string, string>>;
}

export interface SelectionStyle {
  /** Reverse video for the selected row; off without colour (it is an escape too). */
  readonly inverse: boolean;
  readonly bold: boolean;
}

/** Semantic tokens: views ask for a meaning, never for a colour. */
export interface Theme {
  readonly color: boolean;
  readonly ascii: boolean;
  readonly text: { readonly primary: Color; readonly muted: Color; readonly accent: Color; readonly heading: Color };
  readonly status: { readonly error: Color; readonly warning: Color; readonly success: Color; readonly info: Color };
  readonly ui: { readonly focus: Color; readonly key: Color; readonly selection: SelectionStyle };
  readonly border: { readonly style: BorderStyle; readonly color: Color; readonly focus: Color };
  /** Bold for headings and titles; off without colour. */
  readonly emphasis: boolean;
  readonly glyphs: Glyphs;
}
