import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../../theme/index.js';
import { fit } from '../../text/cells.js';

export interface DialogProps {
  readonly title: string;
  readonly titleColor?: string | undefined;
  readonly width: number;
  readonly children: ReactNode;
}

/** The frame every modal dialog shares; it takes the place of the screen body while open. */
export function Dialog({ title, titleColor, width, children }: DialogProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle={theme.border.style} borderColor={theme.border.focus} paddingX={1} width={width}>
      <Text color={titleColor ?? theme.ui.focus} bold={theme.emphasis}>
        {fit(title, width - 4, theme.glyphs.ellipsis)}
      </Text>
      {children}
    </Box>
  );
}

/** Width of a dialog on a terminal `columns` wide. */
export function dialogWidth(columns: number): number {
  return Math.max(30, Math.min(columns - 2, 76));
}
