import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { wordWrap } from '../../text/cells.js';

/** Below the minimum size nothing else is drawn: a half-drawn table misleads more than none. */
export function TooSmall({
  columns,
  rows,
  minColumns,
  minRows,
  question,
}: {
  readonly columns: number;
  readonly rows: number;
  readonly minColumns: number;
  readonly minRows: number;
  /** Asked before q discards entered data (no dialog fits here). */
  readonly question?: string | undefined;
}) {
  const theme = useTheme();
  const size = `Terminal too small: ${columns}x${rows}. backup-panel needs at least ${minColumns}x${minRows}.`;
  const text = question ? `${size} ${question}` : `${size} Enlarge the window, or press q to quit.`;
  return (
    <Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)}>
      {wordWrap(text, Math.max(10, columns - 1))
        .slice(0, Math.max(1, rows - 1))
        .map((line, i) => (
          <Text key={i} color={theme.status.warning}>
            {line}
          </Text>
        ))}
    </Box>
  );
}
