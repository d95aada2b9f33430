import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../theme/index.js';

/** "Title ... 3/6 ▲▼": where the cursor is in the list and whether more lies above or below. */
export function ListTitle({ title, cursor, count, offset, rows, width, children }: { readonly title: string; readonly cursor: number; readonly count: number; readonly offset: number; readonly rows: number; readonly width: number; readonly children?: ReactNode }) {
  const theme = useTheme();
  const position = count === 0 ? '0/0' : `${cursor + 1}/${count}`;
  const above = offset > 0 ? theme.glyphs.moreAbove : ' ';
  const below = offset + rows < count ? theme.glyphs.moreBelow : ' ';
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
