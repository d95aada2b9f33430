import { Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { wordWrap } from '../../text/cells.js';
import { TextField } from '../input/TextField.js';
import { Dialog } from './Dialog.js';

export interface RenameDialogProps {
  readonly title: string;
  /** Safe text: which connection (id, tenant). */
  readonly about: string;
  readonly value: string;
  /** Safe text, one of them at most: why the name cannot be saved, or what to know about it. */
  readonly error?: string | undefined;
  readonly warning?: string | undefined;
  readonly errorColor: string | undefined;
  readonly warningColor: string | undefined;
  readonly width: number;
}

/** A one-field dialog: the connection's new name, typed in place (Enter saves, Esc cancels; keys in the footer). */
export function RenameDialog({ title, about, value, error, warning, errorColor, warningColor, width }: RenameDialogProps) {
  const theme = useTheme();
  const inner = width - 4;
  return (
    <Dialog title={title} width={width}>
      {wordWrap(about, inner).map((line, i) => (
        <Text key={`a${i}`} color={theme.text.muted}>
          {line}
        </Text>
      ))}
      <TextField label="New name" value={value} cursor={value.length} focused width={inner} invalid={error !== undefined} />
      {error
        ? wordWrap(`${theme.glyphs.fail} ${error}`, inner).map((line, i) => (
            <Text key={`e${i}`} color={errorColor}>
              {line}
            </Text>
          ))
        : null}
      {!error && warning
        ? wordWrap(`${theme.glyphs.warn} ${warning}`, inner).map((line, i) => (
            <Text key={`w${i}`} color={warningColor}>
              {line}
            </Text>
          ))
        : null}
    </Dialog>
  );
}
