import { Box, Text } from 'ink';
import type { Theme } from '../../theme/index.js';
import { useTheme } from '../../theme/index.js';
import type { Secret } from '../../domain/index.js';
import { cell } from '../../text/cells.js';
import { labelWidth } from './field-layout.js';

export interface SecretFieldProps {
  readonly label: string;
  readonly value: Secret;
  /** Drawn when the field is empty, e.g. "(empty)" or "(unchanged)" (Edit keeps the stored one). */
  readonly emptyText: string;
  readonly focused: boolean;
  readonly invalid?: boolean;
  readonly width: number;
}

/**
 * What a masked field shows: a fixed text whatever the secret's length (one mask character per
 * typed character, as ink-text-input draws it, would tell the length), never a character of it.
 */
export function maskedText(value: Secret, emptyText: string, theme: Pick<Theme, 'glyphs'>): string {
  return value.isEmpty ? emptyText : theme.glyphs.hidden;
}

/** A password / client secret field (storage-and-secrets.md §5): never prefilled, never revealed. */
export function SecretField({ label, value, emptyText, focused, invalid, width }: SecretFieldProps) {
  const theme = useTheme();
  const shown = maskedText(value, emptyText, theme);
  return (
    <Box width={width} height={1}>
      <Text color={focused ? theme.ui.focus : undefined} bold={focused && theme.emphasis}>
        {focused ? `${theme.glyphs.pointer} ` : '  '}
      </Text>
      <Text color={invalid ? theme.status.error : focused ? theme.ui.focus : theme.text.muted}>{`${cell(label, labelWidth(width), theme.glyphs.ellipsis)} `}</Text>
      <Text color={value.isEmpty ? theme.text.muted : undefined}>{shown}</Text>
      {focused ? <Text color={theme.ui.focus}>{` ${theme.glyphs.cursor}`}</Text> : null}
    </Box>
  );
}
