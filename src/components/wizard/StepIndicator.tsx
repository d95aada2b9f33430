import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { cellWidth, fit } from '../../text/cells.js';

export interface StepIndicatorProps {
  /** Short step names of the current path, in order. */
  readonly steps: readonly string[];
  readonly current: number;
  /** The current step's full title, for the compact form. */
  readonly title: string;
  readonly width: number;
  /** Short step names of the other paths the wizard may take: one of them too wide means the compact form for all. */
  readonly alternatives?: ReadonlyArray<readonly string[]>;
}

/**
 * Where the admin is: every step of the path with the current one marked (brackets, so it reads
 * without colour), or "Step 3 of 7: Application details" when the list does not fit.
 */
export function StepIndicator({ steps, current, title, width, alternatives = [] }: StepIndicatorProps) {
  const theme = useTheme();
  const sep = theme.ascii ? ' > ' : ' › ';
  // The widest path with its brackets: the header keeps one form whichever path is chosen.
  const widest = Math.max(...[steps, ...alternatives].map((path) => cellWidth(path.map((s, i) => `${i + 1} ${s}`).join(sep)) + 2));
  const label = `Step ${current + 1} of ${steps.length}: `;
  if (widest + 1 > width) {
    return (
      <Box width={width} height={1}>
        <Text color={theme.text.muted}>{` ${label}`}</Text>
        <Text color={theme.ui.focus} bold={theme.emphasis}>
          {fit(title, Math.max(1, width - 1 - cellWidth(label)), theme.glyphs.ellipsis)}
        </Text>
      </Box>
    );
  }
  return (
    <Box width={width} height={1}>
      <Text> </Text>
      {steps.map((s, i) => (
        <Text key={`${i}-${s}`}>
          {i > 0 ? <Text color={theme.text.muted}>{sep}</Text> : null}
          <Text color={i === current ? theme.ui.focus : theme.text.muted} bold={i === current && theme.emphasis}>
            {i === current ? `[${i + 1} ${s}]` : `${i + 1} ${s}`}
          </Text>
        </Text>
      ))}
    </Box>
  );
}
