import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { cellWidth, fit } from '../../text/cells.js';
import { useTheme } from '../../theme/index.js';

export interface CardProps {
  readonly title: string;
  /** Right-aligned after the title, e.g. counts. */
  readonly badge?: string;
  readonly focused: boolean;
  readonly width?: number | string;
  readonly height?: number;
  readonly flexGrow?: number;
  readonly children: ReactNode;
}

/** A Dashboard card: a bordered box whose title carries the focus (a marker works without colour). */
export function Card({ title, badge, focused, width, height, flexGrow, children }: CardProps) {
  const theme = useTheme();
  // The title gives way to the badge: cut with the theme's ellipsis (Ink's own would draw '…' in ASCII mode).
  const room = typeof width === 'number' ? width - 4 - 2 - (badge ? cellWidth(badge) + 1 : 0) : undefined;
  const shown = room === undefined ? title : fit(title, Math.max(1, room), theme.glyphs.ellipsis);
  return (
    <Box
      flexDirection="column"
      borderStyle={theme.border.style}
      borderColor={focused ? theme.border.focus : theme.border.color}
      paddingX={1}
      {...(width !== undefined ? { width } : {})}
      {...(height !== undefined ? { height } : {})}
      {...(flexGrow !== undefined ? { flexGrow } : {})}
      overflow="hidden"
    >
      <Box>
        <Box flexGrow={1}>
          <Text color={focused ? theme.ui.focus : theme.text.heading} bold={theme.emphasis} wrap="truncate-end">
            {focused ? `${theme.glyphs.pointer} ` : '  '}
            {shown}
          </Text>
        </Box>
        {badge ? <Text color={theme.text.muted}>{badge}</Text> : null}
      </Box>
      {children}
    </Box>
  );
}
