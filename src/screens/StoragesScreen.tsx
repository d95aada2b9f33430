import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import type { Storage } from '../domain/index.js';
import type { StorageRow } from '../services/storages.js';
import type { ListModel } from '../model/list/list.js';
import type { TableLayout } from '../model/layout.js';
import { useTheme } from '../theme/index.js';
import type { ColumnSpec } from '../components/table/columns.js';
import { columnWidths } from '../components/table/columns.js';
import type { Segment } from '../components/table/Table.js';
import { cell, fit } from '../text/cells.js';
import { safeText } from '../text/safe-text.js';
import { size } from './figures.js';
import { FilteredTable } from './list-title.js';

export interface StoragesScreenProps {
  readonly rows: readonly Storage[];
  readonly total: number;
  readonly list: ListModel;
  /** Size and items read from each storage's folder, by id (absent until read). */
  readonly figures: Readonly<Record<string, StorageRow>>;
  readonly loading: boolean;
  /** Names of the jobs using each storage, by id. */
  readonly usedBy: Readonly<Record<string, readonly string[]>>;
  readonly layout: TableLayout;
  readonly width: number;
}

const COLUMNS: ColumnSpec[] = [
  { title: 'Storage', grow: 1, min: 8 },
  { title: 'Items', width: 8 },
  { title: 'Stored', width: 9 },
  { title: 'Original', width: 9 },
  { title: 'Retention', width: 10 },
];

/** Storages: each with its size and items (read from its folder) and how long deleted items stay. */
export function StoragesScreen({ rows, total, list, figures, loading, usedBy, layout, width }: StoragesScreenProps) {
  const theme = useTheme();
  const tableWidth = width - 2;
  const widths = useMemo(() => columnWidths(COLUMNS, tableWidth), [tableWidth]);
  const ellipsis = theme.glyphs.ellipsis;
  const header = COLUMNS.map((c, i) => cell(c.title, widths[i] ?? 1, ellipsis, i > 0 && i < 4 ? 'right' : 'left')).join(' ');
  const renderRow = useCallback(
    (s: Storage): Segment[] => {
      const [name = 10, items = 8, stored = 9, original = 9, retention = 10] = widths;
      const f = figures[s.id];
      const unknown = f === undefined ? (loading ? '…' : '-') : '-';
      return [
        { text: `${cell(safeText(s.name), name, ellipsis)} `, ...(f?.problem ? { color: theme.status.error } : {}) },
        { text: `${cell(f?.items === null || f?.items === undefined ? unknown : String(f.items), items, ellipsis, 'right')} ` },
        { text: `${cell(f ? size(f.bytesStored) : unknown, stored, ellipsis, 'right')} ` },
        { text: `${cell(f ? size(f.bytesOriginal) : unknown, original, ellipsis, 'right')} ` },
        { text: cell(`${s.retentionDays} days`, retention, ellipsis), color: theme.text.muted },
      ];
    },
    [widths, ellipsis, figures, loading, theme],
  );
  const selected = rows[list.cursor];
  const filtered = list.filter.text || list.filter.editing;
  return (
    <Box flexDirection="column" width={width}>
      <FilteredTable
        title={`Storages (${filtered ? `${rows.length} of ${total}` : total})`}
        filter={list.filter}
        titleColumns={40}
        items={rows}
        offset={list.offset}
        cursor={list.cursor}
        rows={layout.rows}
        width={width}
        header={header}
        renderRow={renderRow}
        keyOf={(s) => s.id}
        empty={total === 0 ? 'There are no storages: n makes one.' : 'No storage matches the filter (Esc clears it).'}
      />
      <Box flexDirection="column" height={layout.detail} width={width}>
        {selected ? <StorageDetail storage={selected} figures={figures[selected.id]} usedBy={usedBy[selected.id] ?? []} width={width} /> : null}
      </Box>
    </Box>
  );
}

function StorageDetail({ storage, figures, usedBy, width }: { readonly storage: Storage; readonly figures: StorageRow | undefined; readonly usedBy: readonly string[]; readonly width: number }) {
  const theme = useTheme();
  const sep = theme.glyphs.separator;
  const first = `${safeText(storage.path)}${sep}created ${storage.created.slice(0, 10)}`;
  const second = figures?.problem
    ? safeText(figures.problem)
    : usedBy.length
      ? `Used by ${usedBy.length === 1 ? 'job' : 'jobs'} ${usedBy.map((n) => `'${safeText(n)}'`).join(', ')}.`
      : 'No job writes to it.';
  return (
    <>
      <Text>{` ${fit(first, width - 2, theme.glyphs.ellipsis)}`}</Text>
      <Text color={figures?.problem ? theme.status.error : theme.text.muted}>{` ${fit(second, width - 2, theme.glyphs.ellipsis)}`}</Text>
    </>
  );
}
