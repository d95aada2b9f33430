import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { clampScroll, textLines } from '../../text/dialog-lines.js';
import { Dialog } from './Dialog.js';

export interface ConfirmDialogProps {
  readonly title: string;
  /** Safe text (already through displayText). */
  readonly text: string;
  readonly yesLabel: string;
  readonly noLabel: string;
  readonly choice: 'yes' | 'no';
  readonly tone: string | undefined;
  readonly width: number;
  readonly maxLines: number;
  readonly scroll?: number | undefined;
}

function Button({ label, chosen }: { readonly label: string; readonly chosen: boolean }) {
  const theme = useTheme();
  // Without colour the chosen answer is marked by the pointer alone.
  return (
    <Text inverse={chosen && theme.ui.selection.inverse} color={chosen ? theme.ui.focus : undefined}>
      {chosen ? `${theme.glyphs.pointer}[ ${label} ]` : ` [ ${label} ]`}
    </Text>
  );
}

/** A yes/no question; destructive ones open on No, so Enter alone never destroys anything. The keys are in the footer (one hint, in the answers' words). */
export function ConfirmDialog({ title, text, yesLabel, noLabel, choice, tone, width, maxLines, scroll = 0 }: ConfirmDialogProps) {
  const all = textLines(text, width - 4);
  const rows = Math.max(1, maxLines - 5);
  const start = clampScroll(scroll, all.length, rows);
  const lines = all.slice(start, start + rows);
  return (
    <Dialog title={title} titleColor={tone} width={width} more={{ above: start > 0, below: start + rows < all.length }}>
      {lines.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Box marginTop={1}>
        <Button label={noLabel} chosen={choice === 'no'} />
        <Text> </Text>
        <Button label={yesLabel} chosen={choice === 'yes'} />
      </Box>
    </Dialog>
  );
}
