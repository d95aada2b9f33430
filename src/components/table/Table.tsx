import { Box, Text } from 'ink';
import { memo, type ReactElement } from 'react';
import { useTheme } from '../../theme/index.js';
import { cell } from '../../text/cells.js';

/** A piece of a row in one style. `text` must already be safe (displayText) and fitted. */
export interface Segment {
  readonly text: string;
  readonly color?: string | undefined;
  /** A heading within the list (Manage's tenant headers); off without colour, as the theme's emphasis. */
  readonly bold?: boolean;
}

export interface TableProps<T> {
  /** The whole list; only `rows` of it, from `offset`, are ever turned into elements. */
  readonly items: readonly T[];
  readonly offset: number;
  readonly cursor: number;
  readonly rows: number;
  readonly width: number;
  /** The column header, already laid out to the widths. */
  readonly header: string;
  /** A stable function (memoise it on the widths): it is what lets unchanged rows skip rendering. */
  readonly renderRow: (item: T) => readonly Segment[];
  readonly keyOf: (item: T) => string;
  readonly empty: string;
}

interface RowProps<T> {
  readonly item: T;
  readonly selected: boolean;
  readonly width: number;
  readonly renderRow: (item: T) => readonly Segment[];
}

function RowView<T>({ item, selected, width, renderRow }: RowProps<T>) {
  const theme = useTheme();
  const { selection } = theme.ui;
  const marker = selected ? theme.glyphs.pointer : ' ';
  return (
    <Box width={width} height={1}>
      <Text inverse={selected && selection.inverse} bold={selected && selection.bold} wrap="truncate-end">
        {`${marker} `}
        {renderRow(item).map((segment, i) => (
          <Text key={i} {...(segment.color && !(selected && selection.inverse) ? { color: segment.color } : {})} {...(segment.bold && theme.emphasis ? { bold: true } : {})}>
            {segment.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}

// Moving the cursor changes `selected` on two rows; memo keeps every other visible row as it was.
const Row = memo(RowView) as <T>(props: RowProps<T>) => ReactElement;

/** A windowed table: however long the list, it renders `rows` rows. */
export function Table<T>({ items, offset, cursor, rows, width, header, renderRow, keyOf, empty }: TableProps<T>) {
  const theme = useTheme();
  const visible = items.slice(offset, offset + rows);
  return (
    <Box flexDirection="column" height={rows + 1} width={width}>
      <Text color={theme.text.muted} bold={theme.emphasis} wrap="truncate-end">
        {`  ${header}`}
      </Text>
      {visible.length === 0 ? (
        <Text color={theme.text.muted}>{cell(`  ${empty}`, width, theme.glyphs.ellipsis)}</Text>
      ) : (
        visible.map((item, i) => <Row key={keyOf(item)} item={item} selected={offset + i === cursor} width={width} renderRow={renderRow} />)
      )}
    </Box>
  );
}
