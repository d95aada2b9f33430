import { Text } from 'ink';
import TextInput from 'ink-text-input';
import { safeText } from '../../text/safe-text.js';
import { useTheme } from '../../theme/index.js';
import { fit } from '../../text/cells.js';

export interface FilterFieldProps {
  readonly value: string;
  readonly editing: boolean;
  readonly onChange: (text: string) => void;
  readonly width: number;
}

/**
 * The `/` filter. While editing, ink-text-input owns the keys (the dispatcher leaves printable
 * keys to it). Its cursor is reverse video, invisible without colour, so then we draw our own.
 */
export function FilterField({ value, editing, onChange, width }: FilterFieldProps) {
  const theme = useTheme();
  if (!editing) {
    return value ? (
      <Text color={theme.text.accent}>{fit(`/${safeText(value)}`, width, theme.glyphs.ellipsis)}</Text>
    ) : (
      <Text color={theme.text.muted}>{fit('/ filter', width, theme.glyphs.ellipsis)}</Text>
    );
  }
  return (
    <Text>
      <Text color={theme.ui.focus}>/</Text>
      <TextInput value={value} onChange={onChange} focus={true} showCursor={theme.color} />
      {theme.color ? null : <Text>{theme.glyphs.cursor}</Text>}
    </Text>
  );
}
