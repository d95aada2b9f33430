import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { cell, cellWidth, fit } from '../../text/cells.js';
import { safeText } from '../../text/safe-text.js';
import { labelWidth, valueWidth, windowAround } from './field-layout.js';

export interface TextFieldProps {
  readonly label: string;
  /** As typed (made safe here before it is drawn). */
  readonly value: string;
  readonly cursor: number;
  readonly focused: boolean;
  readonly placeholder?: string | undefined;
  readonly invalid?: boolean;
  readonly width: number;
}

/**
 * One line of a form: focus marker, label, value. The value scrolls so the cursor stays visible.
 * Keys are not read here: the app container applies them to the wizard state (one key at a time).
 */
export function TextField({ label, value, cursor, focused, placeholder, invalid, width }: TextFieldProps) {
  const theme = useTheme();
  const lw = labelWidth(width);
  const vw = valueWidth(width);
  const at = Math.max(0, Math.min(cursor, value.length));
  const before = safeText(value.slice(0, at));
  const after = safeText(value.slice(at));
  let body;
  if (!focused) {
    // Without colour a dim placeholder would read as a value: it is marked as the empty field's hint.
    const hint = placeholder ? (theme.color ? placeholder : `(empty: ${placeholder})`) : '';
    body = value ? <Text>{fit(before + after, vw, theme.glyphs.ellipsis)}</Text> : <Text color={theme.text.muted}>{fit(hint, vw, theme.glyphs.ellipsis)}</Text>;
  } else if (theme.color) {
    // Reverse video on the character under the cursor (a space at the end).
    const under = Array.from(after)[0] ?? ' ';
    const rest = after.slice(under.length);
    const shown = windowAround(before, under, rest, vw, theme.glyphs.ellipsis);
    body = (
      <Text>
        {shown.before}
        <Text inverse>{under}</Text>
        {shown.after}
      </Text>
    );
  } else {
    // Without colour reverse video is an escape too: the cursor is a visible mark instead.
    const shown = windowAround(before, theme.glyphs.cursor, after, vw, theme.glyphs.ellipsis);
    body = <Text>{`${shown.before}${theme.glyphs.cursor}${shown.after}`}</Text>;
  }
  return (
    <Box width={width} height={1}>
      <Text color={focused ? theme.ui.focus : undefined} bold={focused && theme.emphasis}>
        {focused ? `${theme.glyphs.pointer} ` : '  '}
      </Text>
      <Text color={invalid ? theme.status.error : focused ? theme.ui.focus : theme.text.muted}>{`${cell(label, lw, theme.glyphs.ellipsis)} `}</Text>
      <Box width={Math.max(1, width - 2 - cellWidth(cell(label, lw, '')) - 1)}>{body}</Box>
    </Box>
  );
}
