import { Text } from 'ink';
import type { CheckResult } from '../../services/index.js';

type CheckStatus = CheckResult['status'];
import { safeText } from '../../text/safe-text.js';
import type { Theme } from '../../theme/index.js';
import { useTheme } from '../../theme/index.js';
import { fit, wordWrap } from '../../text/cells.js';
import { Dialog } from './Dialog.js';

export interface CheckLine {
  readonly name: string;
  readonly status: CheckStatus;
  readonly message: string;
}

export interface ProgressDialogProps {
  readonly title: string;
  readonly running: string | undefined;
  readonly results: readonly CheckLine[];
  readonly done: boolean;
  readonly cancelling: boolean;
  readonly outcome: { readonly text: string; readonly color: string | undefined } | undefined;
  readonly width: number;
  readonly maxLines: number;
}

function statusGlyph(status: CheckStatus, theme: Theme): { glyph: string; color: string | undefined } {
  if (status === 'pass') return { glyph: theme.glyphs.pass, color: theme.status.success };
  if (status === 'warn') return { glyph: theme.glyphs.warn, color: theme.status.warning };
  return { glyph: theme.glyphs.fail, color: theme.status.error };
}

/** A long operation: the running check, each finished check with its result, then the outcome. */
export function ProgressDialog({ title, running, results, done, cancelling, outcome, width, maxLines }: ProgressDialogProps) {
  const theme = useTheme();
  const inner = width - 4;
  const lines: Array<{ text: string; color?: string | undefined }> = [];
  for (const r of results) {
    const { glyph, color } = statusGlyph(r.status, theme);
    const wrapped = wordWrap(`${safeText(r.name)}: ${safeText(r.message)}`, inner - 2);
    wrapped.forEach((text, i) => lines.push({ text: `${i === 0 ? glyph : ' '} ${text}`, color: i === 0 ? color : undefined }));
  }
  if (!done) {
    lines.push({ text: `${theme.glyphs.running} ${cancelling ? 'Cancelling…' : `Running: ${safeText(running ?? 'starting')}`}`.replace('…', theme.glyphs.ellipsis), color: theme.status.info });
  }
  const outcomeLines = outcome ? wordWrap(outcome.text, inner).slice(0, 4) : [];
  const room = Math.max(1, maxLines - 4 - outcomeLines.length);
  // The newest lines matter most while checks arrive; older ones scroll off the top.
  const shown = lines.length > room ? lines.slice(lines.length - room) : lines;
  return (
    <Dialog title={title} width={width}>
      {shown.map((line, i) => (
        <Text key={i} color={line.color}>
          {fit(line.text, inner, theme.glyphs.ellipsis)}
        </Text>
      ))}
      {outcomeLines.map((line, i) => (
        <Text key={`o${i}`} color={outcome?.color} bold={theme.emphasis}>
          {line}
        </Text>
      ))}
      <Text color={theme.text.muted}>{done ? `${theme.glyphs.keys.return ?? 'Enter'} close` : 'Esc cancel'}</Text>
    </Dialog>
  );
}
