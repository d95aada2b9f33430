import { Text } from 'ink';
import type { CheckResult } from '../../services/index.js';

type CheckStatus = CheckResult['status'];
import { safeText } from '../../text/safe-text.js';
import type { Theme } from '../../theme/index.js';
import { useTheme } from '../../theme/index.js';
import { fit } from '../../text/cells.js';
import { checkLines, clampScroll, outcomeLines as outcomeLinesOf } from '../../text/dialog-lines.js';
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
  /** First result line drawn once done. */
  readonly scroll?: number | undefined;
}

function statusGlyph(status: CheckStatus, theme: Theme): { glyph: string; color: string | undefined } {
  if (status === 'pass') return { glyph: theme.glyphs.pass, color: theme.status.success };
  if (status === 'warn') return { glyph: theme.glyphs.warn, color: theme.status.warning };
  return { glyph: theme.glyphs.fail, color: theme.status.error };
}

/** A long operation: the running check, each finished check with its result, then the outcome. */
export function ProgressDialog({ title, running, results, done, cancelling, outcome, width, maxLines, scroll = 0 }: ProgressDialogProps) {
  const theme = useTheme();
  const inner = width - 4;
  const lines: Array<{ text: string; color?: string | undefined }> = checkLines(results, inner).map((line) => {
    const result = results[line.result];
    const { glyph, color } = statusGlyph(result?.status ?? 'fail', theme);
    return { text: `${line.first ? glyph : ' '} ${line.text}`, color: line.first ? color : undefined };
  });
  if (!done) {
    lines.push({ text: `${theme.glyphs.running} ${cancelling ? 'Cancelling…' : `Running: ${safeText(running ?? 'starting')}`}`.replace('…', theme.glyphs.ellipsis), color: theme.status.info });
  }
  const outcomeLines = outcomeLinesOf(outcome?.text, inner);
  const room = Math.max(1, maxLines - 4 - outcomeLines.length);
  // While checks arrive the newest lines matter most: older ones scroll off the top. Once done the
  // results read from the top, and the admin scrolls (↑↓ PgUp PgDn Home End).
  const start = done ? clampScroll(scroll, lines.length, room) : Math.max(0, lines.length - room);
  const shown = lines.slice(start, start + room);
  return (
    <Dialog title={title} width={width} more={{ above: start > 0, below: start + room < lines.length }}>
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
