import { Text } from 'ink';
import { safeText } from '../../text/safe-text.js';
import { useTheme } from '../../theme/index.js';
import { fit } from '../../text/cells.js';

export interface FilterFieldProps {
  readonly value: string;
  readonly editing: boolean;
  readonly width: number;
}

/**
 * The `/` filter. It reads no keys: the central dispatcher gives it every printable key while it is
 * edited (the reducer appends them), so there is one owner of the keyboard. The cursor stays at the
 * end: reverse video with colour, a visible mark without (reverse video is an escape too).
 */
export function FilterField({ value, editing, width }: FilterFieldProps) {
  const theme = useTheme();
  if (!editing) {
    return value ? (
      <Text color={theme.text.accent}>{fit(`/${safeText(value)}`, width, theme.glyphs.ellipsis)}</Text>
    ) : (
      <Text color={theme.text.muted}>{fit('/ filter', width, theme.glyphs.ellipsis)}</Text>
    );
  }
  // The end of a long filter stays in view, next to the cursor.
  const shown = Array.from(safeText(value));
  const room = Math.max(1, width - 2);
  const tail = shown.length > room ? theme.glyphs.ellipsis + shown.slice(shown.length - room + 1).join('') : shown.join('');
  return (
    <Text>
      <Text color={theme.ui.focus}>/</Text>
      {tail}
      {theme.color ? <Text inverse> </Text> : <Text>{theme.glyphs.cursor}</Text>}
    </Text>
  );
}
