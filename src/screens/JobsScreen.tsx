import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import { safeText } from '../text/safe-text.js';
import type { JobRow } from '../services/index.js';
import type { ListState } from '../model/state/types.js';
import type { TableLayout } from '../model/layout.js';
import type { Theme } from '../theme/index.js';
import { useTheme } from '../theme/index.js';
import type { ColumnSpec } from '../components/table/columns.js';
import { columnWidths } from '../components/table/columns.js';
import type { Segment } from '../components/table/Table.js';
import { Table } from '../components/table/Table.js';
import { cell, fit, fitWithSuffix } from '../text/cells.js';
import { ListTitle } from './list-title.js';

export interface JobsScreenProps {
  readonly rows: readonly JobRow[];
  readonly list: ListState;
  readonly layout: TableLayout;
  readonly width: number;
}

function columnsFor(width: number): ColumnSpec[] {
  return [
    { title: 'Job', grow: 1, min: 8 },
    { title: 'Server connection', grow: 1, min: 8 },
    { title: 'Kind', width: 7 },
    { title: 'Last result', width: width >= 78 ? 20 : 11 },
  ];
}

function resultColor(row: JobRow, theme: Theme): string | undefined {
  const result = row.lastRun?.result;
  return result === 'failed' ? theme.status.error : result === 'warning' ? theme.status.warning : result === 'succeeded' ? theme.status.success : theme.text.muted;
}

/** Result and date; narrow terminals keep the result (the date is in the details line). */
function lastResult(row: JobRow, withDate: boolean): string {
  if (!row.lastRun) return 'never run';
  return withDate ? `${row.lastRun.result} ${row.lastRun.at.slice(0, 10)}` : row.lastRun.result;
}

/** Jobs: each with its connection (marked [obsolete]), kind and last result; `r` runs one. */
export function JobsScreen({ rows, list, layout, width }: JobsScreenProps) {
  const theme = useTheme();
  const tableWidth = width - 2;
  const columns = useMemo(() => columnsFor(tableWidth), [tableWidth]);
  const widths = useMemo(() => columnWidths(columns, tableWidth), [columns, tableWidth]);
  const withDate = tableWidth >= 78;
  const ellipsis = theme.glyphs.ellipsis;
  const header = columns.map((c, i) => cell(c.title, widths[i] ?? 1, ellipsis)).join(' ');
  const renderRow = useCallback(
    (row: JobRow): Segment[] => {
      const [name = 10, connection = 10, kind = 7, result = 11] = widths;
      return [
        { text: `${cell(safeText(row.name), name, ellipsis)} ` },
        {
          text: cell(fitWithSuffix(safeText(row.connectionName), row.connectionObsolete ? ' [obsolete]' : '', connection, ellipsis), connection, ellipsis),
          color: row.connectionObsolete ? theme.status.warning : undefined,
        },
        { text: ` ${cell(row.kind, kind, ellipsis)} ` },
        { text: cell(lastResult(row, withDate), result, ellipsis), color: resultColor(row, theme) },
      ];
    },
    [widths, ellipsis, theme, withDate],
  );
  const selected = rows[list.cursor];
  return (
    <Box flexDirection="column" width={width}>
      <ListTitle title={`Jobs (${rows.length})`} cursor={list.cursor} count={rows.length} offset={list.offset} rows={layout.rows} width={width} />
      <Table items={rows} offset={list.offset} cursor={list.cursor} rows={layout.rows} width={width} header={header} renderRow={renderRow} keyOf={(row) => row.id} empty="There are no jobs." />
      <Box flexDirection="column" height={layout.detail} width={width}>
        {selected ? <JobDetail row={selected} width={width} /> : null}
      </Box>
    </Box>
  );
}

function JobDetail({ row, width }: { readonly row: JobRow; readonly width: number }) {
  const theme = useTheme();
  const run = row.lastRun
    ? `Last run ${row.lastRun.at.replace('T', ' ').slice(0, 16)} ${row.lastRun.result}${row.lastRun.message ? `: ${safeText(row.lastRun.message)}` : ''}`
    : 'Never run.';
  const second = row.connectionObsolete
    ? `Its server connection still uses Basic Authentication: running it shows a warning first.`
    : `${row.continuous ? 'Continuous' : 'On demand'} ${row.kind}${theme.glyphs.separator}connection '${safeText(row.connectionName)}'`;
  return (
    <>
      <Text color={resultColor(row, theme)}>{` ${fit(run, width - 2, theme.glyphs.ellipsis)}`}</Text>
      <Text color={row.connectionObsolete ? theme.status.warning : theme.text.muted}>{` ${fit(second, width - 2, theme.glyphs.ellipsis)}`}</Text>
    </>
  );
}
