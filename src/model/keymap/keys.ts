/**
 * A key as the keymap names it: 'up', 'return', 'ctrl-c', 'shift-tab', 'space', 'backspace', or
 * one printable character ('j', 'G', '/').
 */
export type KeyName = string;

export interface KeyPress {
  readonly name: KeyName;
  /** The printable text of the key ('' for named keys other than space). */
  readonly text: string;
  /** The line end at the end of a pasted value: not Enter where text is being entered. */
  readonly pasted?: true;
}
