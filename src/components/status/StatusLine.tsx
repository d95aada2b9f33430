import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { cellWidth, fit } from '../../text/cells.js';

export interface StatusLineProps {
  /** Safe text (displayText). */
  readonly storePath: string;
  readonly host: string;
  readonly readOnly: boolean;
  readonly width: number;
}

/** Where the data lives and whether it can be changed; the path is cut before the marker is. */
export function StatusLine({ storePath, host, readOnly, width }: StatusLineProps) {
  const theme = useTheme();
  const marker = readOnly ? ' READ-ONLY' : '';
  const hostPart = `${theme.glyphs.separator}Host: ${host}`;
  const room = Math.max(8, width - 2 - cellWidth(`Store: `) - cellWidth(hostPart) - cellWidth(marker));
  return (
    <Box height={1} width={width}>
      <Text wrap="truncate-end">
        <Text color={theme.text.muted}>{' Store: '}</Text>
        <Text>{fit(storePath, room, theme.glyphs.ellipsis)}</Text>
        <Text color={theme.text.muted}>{hostPart}</Text>
        {readOnly ? (
          <Text color={theme.status.warning} bold={theme.emphasis}>
            {marker}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}
