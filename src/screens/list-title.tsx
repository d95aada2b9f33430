import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../theme/index.js';
import { FilterField } from '../components/filter/FilterField.js';
import type { TableProps } from '../components/table/Table.js';
import { Table } from '../components/table/Table.js';

/** "Title ... 3/6 ▲▼": where the cursor is in the list and whether more lies above or below. */
export function ListTitle({ title, cursor, count, offset, rows, lines = count, width, children }: { readonly title: string; readonly cursor: number; readonly count: number; readonly offset: number; readonly rows: number; readonly lines?: number; readonly width: number; readonly children?: ReactNode }) {
  const theme = useTheme();
  const position = count === 0 ? '0/0' : `${cursor + 1}/${count}`;
  const above = offset > 0 ? theme.glyphs.moreAbove : ' ';
  const below = offset + rows < lines ? theme.glyphs.moreBelow : ' ';
  return (
    <Box height={1} width={width}>
      <Box flexGrow={1}>
        <Text color={theme.text.heading} bold={theme.emphasis} wrap="truncate-end">
          {` ${title}  `}
        </Text>
        {children}
      </Box>
      <Text color={theme.text.muted}>{` ${position} ${above}${below}`}</Text>
    </Box>
  );
}

export interface FilteredTableProps<T> extends TableProps<T> {
  readonly title: string;
  readonly filter: { readonly text: string; readonly editing: boolean };
  /** Columns the title line keeps for the title and the position, besides the filter. */
  readonly titleColumns: number;
  /** Where the cursor is among the items, when the table also draws lines that are not items (headers). */
  readonly position?: { readonly cursor: number; readonly count: number };
}

/** A list screen's top: its title with the `/` filter and the position, over the windowed table. */
export function FilteredTable<T>({ title, filter, titleColumns, position, ...table }: FilteredTableProps<T>) {
  return (
    <>
      <ListTitle title={title} cursor={position?.cursor ?? table.cursor} count={position?.count ?? table.items.length} offset={table.offset} rows={table.rows} lines={table.items.length} width={table.width}>
        <FilterField value={filter.text} editing={filter.editing} width={Math.max(8, table.width - titleColumns)} />
      </ListTitle>
      <Table {...table} />
    </>
  );
}
