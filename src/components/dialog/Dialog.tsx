import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../../theme/index.js';
import { fit } from '../../text/cells.js';

export interface DialogProps {
  readonly title: string;
  readonly titleColor?: string | undefined;
  readonly width: number;
  /** Drawn after the title when the body is scrolled: more above / below. */
  readonly more?: { readonly above: boolean; readonly below: boolean } | undefined;
  readonly children: ReactNode;
}

/** The frame every modal dialog shares; it takes the place of the screen body while open. */
export function Dialog({ title, titleColor, width, more, children }: DialogProps) {
  const theme = useTheme();
  const marks = more && (more.above || more.below) ? ` ${more.above ? theme.glyphs.moreAbove : ' '}${more.below ? theme.glyphs.moreBelow : ' '}` : '';
  return (
    <Box flexDirection="column" borderStyle={theme.border.style} borderColor={theme.border.focus} paddingX={1} width={width}>
      <Text color={titleColor ?? theme.ui.focus} bold={theme.emphasis}>
        {fit(title, width - 4 - marks.length, theme.glyphs.ellipsis)}
        {marks ? <Text color={theme.text.muted}>{marks}</Text> : null}
      </Text>
      {children}
    </Box>
  );
}
