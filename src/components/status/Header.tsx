import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { cellWidth } from '../../text/cells.js';

export interface Tab {
  readonly key: string;
  readonly label: string;
  readonly active: boolean;
}

/** Program name and the views, each with the digit that jumps to it. */
export function Header({ tabs, width }: { readonly tabs: readonly Tab[]; readonly width: number }) {
  const theme = useTheme();
  const name = ' backup-panel ';
  // Narrow terminals keep the digits and drop the labels of inactive views first.
  const full = tabs.map((t) => ` ${t.key} ${t.label} `).join('');
  const compact = cellWidth(name) + cellWidth(full) > width;
  return (
    <Box height={1} width={width}>
      <Text wrap="truncate-end">
        <Text color={theme.text.accent} bold={theme.emphasis}>
          {name}
        </Text>
        {tabs.map((t) => {
          const label = compact && !t.active ? ` ${t.key} ` : ` ${t.key} ${t.label} `;
          if (!t.active) return <Text key={t.key} color={theme.text.muted}>{label}</Text>;
          return (
            <Text key={t.key} color={theme.ui.focus} bold={theme.emphasis} inverse={theme.ui.selection.inverse}>
              {theme.ui.selection.inverse ? label : `[${label.trim()}]`}
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}
