import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { fit, wordWrap } from '../../text/cells.js';

/** The start-up banner (demo, recovery notice), at most `lines` lines. Text must be safe already. */
export function Banner({ text, lines, width }: { readonly text: string; readonly lines: number; readonly width: number }) {
  const theme = useTheme();
  const wrapped = wordWrap(text, width - 1);
  const shown = wrapped.slice(0, lines);
  if (wrapped.length > lines && shown.length) shown[shown.length - 1] = fit(`${shown[shown.length - 1]} ${wrapped[lines]}`, width - 1, theme.glyphs.ellipsis);
  return (
    <Box flexDirection="column" height={lines} width={width}>
      {shown.map((line, i) => (
        <Text key={i} color={theme.status.info}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
