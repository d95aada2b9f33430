import { Box, Text } from 'ink';
import type { CycleRecord } from '../domain/index.js';
import type { JobRow } from '../services/index.js';
import type { LiveRun } from '../services/live-runs.js';
import { useTheme } from '../theme/index.js';
import type { Theme } from '../theme/index.js';
import { cell, fit, wordWrap } from '../text/cells.js';
import { safeText } from '../text/safe-text.js';
import { duration, progressText, size, when } from './figures.js';

export interface JobDetailScreenProps {
  readonly row: JobRow;
  readonly live: LiveRun | undefined;
  readonly width: number;
  readonly height: number;
  /** First line drawn (clamped here, where the lines are known). */
  readonly scroll?: number;
}

const COLUMNS = [
  { title: 'Result', width: 9 },
  { title: 'Start', width: 16 },
  { title: 'Duration', width: 8, right: true },
  { title: 'Scanned', width: 7, right: true },
  { title: 'Backed up', width: 9, right: true },
  { title: 'Removed', width: 7, right: true },
  { title: 'Bytes', width: 8, right: true },
  { title: 'Errors', width: 6, right: true },
] as const;

function resultColor(result: CycleRecord['result'], theme: Theme): string | undefined {
  return result === 'failed' ? theme.status.error : result === 'succeeded' ? theme.status.success : theme.status.warning;
}

function cycleCells(c: CycleRecord, restore: boolean): string[] {
  const errors = c.errorCount ?? c.errors.length;
  return [c.result, when(c.startedAt), duration(c.startedAt, c.endedAt), String(c.scanned), String(restore ? c.restored : c.backedUp), String(c.removed), size(c.bytes), String(errors)];
}

type Line = { readonly text: string; readonly color?: string | undefined; readonly bold?: boolean };

/** Every line of a job's details (the screen draws a window of them; the scroll keys count them). */
export function jobDetailLines(row: JobRow, live: LiveRun | undefined, width: number, theme: Theme): Line[] {
  const sep = theme.glyphs.separator;
  const ellipsis = theme.glyphs.ellipsis;
  const inner = width - 2;
  const restore = row.kind === 'restore';
  const cycles = row.job.cycles ?? [];
  const sources = row.sources === 'all' ? 'all' : row.sources.map((s) => safeText(s)).join(', ');
  const lines: Array<{ text: string; color?: string | undefined; bold?: boolean }> = [
    { text: `Job '${safeText(row.name)}'${sep}${row.kind}${sep}${row.schedule}`, color: theme.text.heading, bold: theme.emphasis },
    { text: `Server connection '${safeText(row.connectionName)}'${row.connectionObsolete ? ' [obsolete]' : ''}${sep}storage ${row.storageName ? `'${safeText(row.storageName)}'` : '(none)'}`, color: row.connectionObsolete ? theme.status.warning : undefined },
    { text: `${restore ? 'Restores' : 'Sources'}: ${sources}`, color: theme.text.muted },
    live
      ? { text: `${live.stopping ? 'Stopping' : 'Running'} since ${when(live.since)} (${safeText(live.what)}): ${progressText(live.progress, sep)}`, color: theme.status.info }
      : { text: 'Not running.', color: theme.text.muted },
    { text: '' },
    { text: `Cycle history (newest first, last ${cycles.length || 'none'})`, color: theme.text.heading, bold: theme.emphasis },
  ];
  const header = COLUMNS.map((c) => cell(c.title === 'Backed up' && restore ? 'Restored' : c.title, c.width, ellipsis, 'right' in c ? 'right' : 'left')).join(' ');
  const history = cycles.map((c) => ({
    text: cycleCells(c, restore)
      .map((v, i) => {
        const col = COLUMNS[i];
        return col ? cell(v, col.width, ellipsis, 'right' in col ? 'right' : 'left') : v;
      })
      .join(' '),
    color: resultColor(c.result, theme),
  }));
  const last = cycles[0];
  const errorLines: Array<{ text: string; color?: string | undefined }> = [];
  if (last && last.errors.length) {
    const total = last.errorCount ?? last.errors.length;
    errorLines.push({ text: `Errors of the last cycle (${total}${total > last.errors.length ? `, the first ${last.errors.length} kept` : ''})`, color: theme.status.error });
    for (const e of last.errors) {
      const where = [e.source ? safeText(e.source) : '', e.item ? `item ${safeText(e.item)}` : ''].filter(Boolean).join(', ');
      for (const line of wordWrap(`${where ? `${where}: ` : ''}${safeText(e.message)}`, inner - 2)) errorLines.push({ text: `  ${line}` });
    }
  } else if (last) errorLines.push({ text: 'The last cycle had no errors.', color: theme.text.muted });
  return [...lines, ...(history.length ? [{ text: header, color: theme.text.muted }, ...history] : [{ text: 'No cycle has run yet: r runs one now.', color: theme.text.muted }]), { text: '' }, ...errorLines];
}

/** The scrolling part (all but the title line, which stays) and how much of it fits: what the pane keys move over. */
export function jobDetailRange(row: JobRow, live: LiveRun | undefined, width: number, height: number, theme: Theme): { lines: number; rows: number } {
  return { lines: jobDetailLines(row, live, width, theme).length - 1, rows: Math.max(1, height - 1) };
}

/** A job's details: how it runs, its running cycle live, its cycle history and the last cycle's errors. */
export function JobDetailScreen({ row, live, width, height, scroll = 0 }: JobDetailScreenProps) {
  const theme = useTheme();
  const inner = width - 2;
  const ellipsis = theme.glyphs.ellipsis;
  const [title = { text: '' }, ...rest] = jobDetailLines(row, live, width, theme);
  // The title stays; the rest scrolls with the pane keys when it is taller than the screen.
  const rows = Math.max(1, height - 1);
  const offset = Math.max(0, Math.min(scroll, rest.length - rows));
  const shown = [title, ...rest.slice(offset, offset + rows)];
  const more = `${offset > 0 ? theme.glyphs.moreAbove : ''}${offset + rows < rest.length ? theme.glyphs.moreBelow : ''}`;
  const marks = more ? ` ${more}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((line, i) => (
        <Text key={i} color={line.color} bold={'bold' in line && line.bold === true}>
          {i === 0 ? ` ${fit(line.text, inner - marks.length, ellipsis)}${marks}` : ` ${fit(line.text, inner, ellipsis)}`}
        </Text>
      ))}
    </Box>
  );
}
