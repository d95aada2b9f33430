import type { Glyphs } from '../../theme/index.js';

/** How a key name from the keymap is drawn ('up' → '↑', or 'Up' in ASCII mode). */
export function keyLabel(name: string, glyphs: Glyphs): string {
  return glyphs.keys[name] ?? name;
}

export function keysLabel(names: readonly string[], glyphs: Glyphs): string {
  const labels = names.map((n) => keyLabel(n, glyphs));
  return labels.every((l) => l.length === 1) ? labels.join('') : labels.join('/');
}
