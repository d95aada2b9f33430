import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { fit } from '../../text/cells.js';

/** The message line above the footer: what just happened. Text must be safe already. */
export function NoticeLine({ text, color, width }: { readonly text: string | undefined; readonly color: string | undefined; readonly width: number }) {
  const theme = useTheme();
  return (
    <Box height={1} width={width}>
      <Text color={color}>{text ? ` ${fit(text, width - 2, theme.glyphs.ellipsis)}` : ' '}</Text>
    </Box>
  );
}
