import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { cellWidth } from '../../text/cells.js';

export interface Hint {
  /** Keys as drawn, e.g. "↑↓" or "Esc". */
  readonly keys: string;
  readonly label: string;
}

/** Hints that fit in `width`, in order; the rest are left out whole rather than cut mid-word. */
export function fittingHints(hints: readonly Hint[], width: number, separator: string): Hint[] {
  const out: Hint[] = [];
  let used = 0;
  for (const hint of hints) {
    const w = cellWidth(`${hint.keys} ${hint.label}`) + (out.length ? cellWidth(separator) : 0);
    if (used + w > width) break;
    out.push(hint);
    used += w;
  }
  return out;
}

export function Footer({ hints, width }: { readonly hints: readonly Hint[]; readonly width: number }) {
  const theme = useTheme();
  const shown = fittingHints(hints, width - 1, theme.glyphs.separator);
  return (
    <Box height={1} width={width}>
      <Text wrap="truncate-end">
        {' '}
        {shown.map((hint, i) => (
          <Text key={hint.keys + hint.label}>
            {i > 0 ? <Text color={theme.text.muted}>{theme.glyphs.separator}</Text> : null}
            <Text color={theme.ui.key} bold={theme.emphasis}>
              {hint.keys}
            </Text>
            <Text color={theme.text.muted}>{` ${hint.label}`}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
