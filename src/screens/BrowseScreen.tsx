import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import type { BrowseEntry } from '../services/storages.js';
import type { BrowseState } from '../model/state/backup-types.js';
import type { TableLayout } from '../model/layout.js';
import { isMarkedAt } from '../model/state/browse.js';
import { entryKey } from '../model/state/list-bindings.js';
import { useTheme } from '../theme/index.js';
import { FilterField } from '../components/filter/FilterField.js';
import type { ColumnSpec } from '../components/table/columns.js';
import { columnWidths } from '../components/table/columns.js';
import type { Segment } from '../components/table/Table.js';
import { Table } from '../components/table/Table.js';
import { cell, cellWidth, fit } from '../text/cells.js';
import { safeText } from '../text/safe-text.js';
import { size, when } from './figures.js';
import { ListTitle } from './list-title.js';

export interface BrowseScreenProps {
  readonly browse: BrowseState;
  /** The entries of the level after its `/` filter. */
  readonly rows: readonly BrowseEntry[];
  readonly layout: TableLayout;
  readonly width: number;
}

const COLUMNS: ColumnSpec[] = [
  { title: '', width: 3 },
  { title: 'Name', grow: 1, min: 10 },
  { title: 'Date', width: 16 },
  { title: 'Size', width: 8 },
  { title: '', width: 7 },
];

/** The end of `text` in `width` cells, an ellipsis in front when cut. */
function tail(text: string, width: number, ellipsis: string): string {
  if (cellWidth(text) <= width) return text;
  const chars = Array.from(text);
  let out = '';
  for (let i = chars.length - 1; i >= 0 && cellWidth(ellipsis + chars[i] + out) <= width; i--) out = chars[i] + out;
  return ellipsis + out;
}

/** What a row is called: an item by its title (a subject, a document's title), else its name. */
function label(entry: BrowseEntry, folderMark: string): string {
  if (entry.kind === 'item') return safeText(entry.title || entry.name);
  return `${safeText(entry.name)}${entry.kind === 'folder' ? folderMark : ''}`;
}

/**
 * Browse: one level of a storage (sources, or a folder's folders then items, newest first), windowed
 * however long the level; marks span the levels of one source. Draws the state it is given.
 */
export function BrowseScreen({ browse, rows, layout, width }: BrowseScreenProps) {
  const theme = useTheme();
  const tableWidth = width - 2;
  const widths = useMemo(() => columnWidths(COLUMNS, tableWidth), [tableWidth]);
  const ellipsis = theme.glyphs.ellipsis;
  const atTop = browse.trail.length === 0;
  const header = COLUMNS.map((c, i) => cell(i === 1 ? (atTop ? 'Source' : 'Name') : i === 2 && atTop ? 'Backed up' : c.title, widths[i] ?? 1, ellipsis, i === 3 ? 'right' : 'left')).join(' ');
  // Memoised on the marks (a new array only when one changes): moving the cursor redraws two rows.
  const marks = browse.marks;
  const trail = browse.trail;
  const renderRow = useCallback(
    (entry: BrowseEntry): Segment[] => {
      const [mark = 3, name = 10, date = 16, bytes = 8, state = 7] = widths;
      const marked = marks.length > 0 && isMarkedAt(marks, trail, entry);
      const muted = entry.deleted ? theme.text.muted : undefined;
      return [
        { text: `${cell(atTop ? '' : marked ? theme.glyphs.checkboxOn : theme.glyphs.checkboxOff, mark, ellipsis)} `, ...(marked ? { color: theme.ui.focus } : {}) },
        { text: `${cell(label(entry, '/'), name, ellipsis)} `, color: muted },
        { text: `${cell(when(entry.date), date, ellipsis)} `, color: theme.text.muted },
        { text: `${cell(entry.size === undefined ? '' : size(entry.size), bytes, ellipsis, 'right')} ` },
        { text: cell(entry.deleted ? 'deleted' : '', state, ellipsis), color: theme.status.warning },
      ];
    },
    [widths, ellipsis, theme, marks, trail, atTop],
  );
  const list = browse.list;
  const total = browse.entries?.length ?? 0;
  const filtered = list.filter.text || list.filter.editing;
  const count = browse.entries === undefined ? ellipsis : filtered ? `${rows.length} of ${total}` : String(total);
  const filterWidth = Math.max(8, Math.min(30, width - 50));
  const shownFilter = list.filter.editing ? filterWidth : list.filter.text ? Math.min(filterWidth, cellWidth(list.filter.text) + 1) : 8;
  // The deepest levels matter most: a long path gives up its start, never the folder shown.
  const where = tail([browse.storageName, ...browse.trail].map((n) => safeText(n)).join(' / '), Math.max(10, width - shownFilter - cellWidth(` (${count})`) - 16), ellipsis);
  const empty = browse.loading !== undefined ? `Reading${ellipsis}` : browse.failure ? safeText(browse.failure) : total === 0 ? 'Nothing here.' : 'Nothing matches the filter (Esc clears it).';
  return (
    <Box flexDirection="column" width={width}>
      <ListTitle title={`${where} (${count})`} cursor={list.cursor} count={rows.length} offset={list.offset} rows={layout.rows} width={width}>
        <FilterField value={list.filter.text} editing={list.filter.editing} width={filterWidth} />
      </ListTitle>
      <Table items={rows} offset={list.offset} cursor={list.cursor} rows={layout.rows} width={width} header={header} renderRow={renderRow} keyOf={entryKey} empty={empty} />
      <Box flexDirection="column" height={layout.detail} width={width}>
        <BrowseDetail browse={browse} entry={rows[list.cursor]} width={width} />
      </Box>
    </Box>
  );
}

/** The highlighted entry in full, and what the marks are (restore and export act on them). */
function BrowseDetail({ browse, entry, width }: { readonly browse: BrowseState; readonly entry: BrowseEntry | undefined; readonly width: number }) {
  const theme = useTheme();
  const sep = theme.glyphs.separator;
  const ellipsis = theme.glyphs.ellipsis;
  let first = '';
  if (browse.failure) first = safeText(browse.failure);
  else if (entry?.kind === 'item') first = [safeText(entry.name), entry.deleted ? 'deleted at the source, kept for the retention period' : ''].filter(Boolean).join(sep);
  else if (entry) first = `${entry.kind === 'source' ? 'Source' : 'Folder'} ${safeText(entry.name)}${entry.deleted ? `${sep}deleted at the source, kept for the retention period` : ''}`;
  const n = browse.marks.length;
  const second =
    browse.trail.length === 0
      ? 'Enter opens a source; r restores or x exports all of it.'
      : n
        ? `${n} marked in ${safeText(browse.marks[0]?.trail[0] ?? '')}: r restores, x exports them.`
        : 'Space marks items or folders; r restores, x exports (the highlighted one if none is marked).';
  return (
    <>
      <Text color={browse.failure ? theme.status.error : undefined}>{` ${fit(first, width - 2, ellipsis)}`}</Text>
      <Text color={theme.text.muted}>{` ${fit(second, width - 2, ellipsis)}`}</Text>
    </>
  );
}
