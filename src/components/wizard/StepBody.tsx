import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../../theme/index.js';
import { cellWidth, fit } from '../../text/cells.js';

export interface StepBodyProps {
  /** The current step's title, and its scroll marks (▲▼ and how to scroll). */
  readonly title: string;
  readonly marks: string;
  /** The rows in view (already windowed), the first one's index, and the height they fill. */
  readonly rows: ReadonlyArray<{ readonly node: ReactNode }>;
  readonly offset: number;
  readonly height: number;
  readonly width: number;
  /** The button line: Back (greyed when it cannot go back), Next ('' while busy), Cancel. */
  readonly back: string;
  readonly canBack: boolean;
  readonly next: string;
  readonly cancel: string;
}

/** The body every wizard shares (the connection wizard and the job/storage forms): step title, rows, buttons. */
export function StepBody({ title, marks, rows, offset, height, width, back, canBack, next, cancel }: StepBodyProps) {
  const theme = useTheme();
  const inner = Math.max(20, width - 2);
  return (
    <>
      <Box width={width} height={1}>
        <Text color={theme.ui.focus} bold={theme.emphasis}>
          {fit(` ${title}`, Math.max(1, width - cellWidth(marks) - 1), theme.glyphs.ellipsis)}
        </Text>
        <Text color={theme.text.muted}>{marks}</Text>
      </Box>
      <Box flexDirection="column" width={width} height={height} paddingLeft={1}>
        {rows.map((row, i) => (
          <Box key={offset + i} height={1} width={inner}>
            {row.node}
          </Box>
        ))}
      </Box>
      <Box width={width} height={1}>
        <Text color={canBack ? undefined : theme.text.muted}>{` ${back}`}</Text>
        <Text>{'   '}</Text>
        <Text color={theme.ui.focus} bold={theme.emphasis}>
          {next}
        </Text>
        <Text>{next ? '   ' : ''}</Text>
        <Text>{cancel}</Text>
      </Box>
    </>
  );
}
