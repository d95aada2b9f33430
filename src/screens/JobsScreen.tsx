import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import { safeText } from '../text/safe-text.js';
import type { JobRow } from '../services/index.js';
import type { LiveRun } from '../services/live-runs.js';
import type { ListModel } from '../model/list/list.js';
import type { TableLayout } from '../model/layout.js';
import type { Theme } from '../theme/index.js';
import { useTheme } from '../theme/index.js';
import type { ColumnSpec } from '../components/table/columns.js';
import { columnWidths } from '../components/table/columns.js';
import type { Segment } from '../components/table/Table.js';
import { cell, fit, fitWithSuffix } from '../text/cells.js';
import { progressShort, progressText, when } from './figures.js';
import { FilteredTable } from './list-title.js';

export interface JobsScreenProps {
  /** The rows after the filter. */
  readonly rows: readonly JobRow[];
  readonly total: number;
  readonly list: ListModel;
  /** Cycles running now, by job id, wherever they were started. */
  readonly live: Readonly<Record<string, LiveRun>>;
  readonly layout: TableLayout;
  readonly width: number;
}

function columnsFor(width: number): ColumnSpec[] {
  return [
    { title: 'Job', grow: 1, min: 8 },
    { title: 'Server connection', grow: 1, min: 8 },
    { title: 'Kind', width: 7 },
    { title: 'Status', width: width >= 78 ? 22 : 12 },
  ];
}

function resultColor(row: JobRow, running: boolean, theme: Theme): string | undefined {
  if (running) return theme.status.info;
  const result = row.lastRun?.result;
  return result === 'failed' ? theme.status.error : result === 'warning' || result === 'stopped' ? theme.status.warning : result === 'succeeded' ? theme.status.success : theme.text.muted;
}

/** Running with its figures, else the last result and date; narrow terminals keep the words. */
function status(row: JobRow, live: LiveRun | undefined, wide: boolean): string {
  if (live) return live.stopping ? 'stopping' : wide ? `running ${progressShort(live.progress)}` : 'running';
  if (!row.lastRun) return 'never run';
  return wide ? `${row.lastRun.result} ${row.lastRun.at.slice(0, 10)}` : row.lastRun.result;
}

/** Jobs: each with its connection (marked [obsolete]), kind and status, live while a cycle runs. */
export function JobsScreen({ rows, total, list, live, layout, width }: JobsScreenProps) {
  const theme = useTheme();
  const tableWidth = width - 2;
  const columns = useMemo(() => columnsFor(tableWidth), [tableWidth]);
  const widths = useMemo(() => columnWidths(columns, tableWidth), [columns, tableWidth]);
  const wide = tableWidth >= 78;
  const ellipsis = theme.glyphs.ellipsis;
  const header = columns.map((c, i) => cell(c.title, widths[i] ?? 1, ellipsis)).join(' ');
  // Memoised on `live`, which changes only when a status file does: unchanged rows skip rendering.
  const renderRow = useCallback(
    (row: JobRow): Segment[] => {
      const [name = 10, connection = 10, kind = 7, result = 12] = widths;
      const run = live[row.id];
      return [
        { text: `${cell(safeText(row.name), name, ellipsis)} ` },
        {
          text: cell(fitWithSuffix(safeText(row.connectionName), row.connectionObsolete ? ' [obsolete]' : '', connection, ellipsis), connection, ellipsis),
          color: row.connectionObsolete ? theme.status.warning : undefined,
        },
        { text: ` ${cell(row.kind, kind, ellipsis)} ` },
        { text: cell(status(row, run, wide), result, ellipsis), color: resultColor(row, run !== undefined, theme) },
      ];
    },
    [widths, ellipsis, theme, wide, live],
  );
  const selected = rows[list.cursor];
  const filtered = list.filter.text || list.filter.editing;
  return (
    <Box flexDirection="column" width={width}>
      <FilteredTable
        title={`Jobs (${filtered ? `${rows.length} of ${total}` : total})`}
        filter={list.filter}
        titleColumns={40}
        items={rows}
        offset={list.offset}
        cursor={list.cursor}
        rows={layout.rows}
        width={width}
        header={header}
        renderRow={renderRow}
        keyOf={(row) => row.id}
        empty={total === 0 ? 'There are no jobs: n makes one.' : 'No job matches the filter (Esc clears it).'}
      />
      <Box flexDirection="column" height={layout.detail} width={width}>
        {selected ? <JobSummary row={selected} live={live[selected.id]} width={width} /> : null}
      </Box>
    </Box>
  );
}

/** The selected job in two lines: what it is doing or did, and how it runs. */
function JobSummary({ row, live, width }: { readonly row: JobRow; readonly live: LiveRun | undefined; readonly width: number }) {
  const theme = useTheme();
  const sep = theme.glyphs.separator;
  const first = live
    ? `${live.stopping ? 'Stopping' : 'Running'} since ${when(live.since).slice(11)}${sep}${progressText(live.progress, sep)}`
    : row.lastRun
      ? `Last run ${when(row.lastRun.at)} ${row.lastRun.result}${row.lastRun.message ? `: ${safeText(row.lastRun.message)}` : ''}`
      : 'Never run.';
  const second = row.connectionObsolete
    ? 'Its server connection still uses Basic Authentication: running it shows a warning first.'
    : `${row.schedule}${sep}storage ${row.storageName ? `'${safeText(row.storageName)}'` : '(none: e edits the job to choose one)'}${sep}Enter: history`;
  return (
    <>
      <Text color={resultColor(row, live !== undefined, theme)}>{` ${fit(first, width - 2, theme.glyphs.ellipsis)}`}</Text>
      <Text color={row.connectionObsolete ? theme.status.warning : theme.text.muted}>{` ${fit(second, width - 2, theme.glyphs.ellipsis)}`}</Text>
    </>
  );
}
