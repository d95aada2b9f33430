import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { fitTabs, type TabText } from './tab-labels.js';

export type Tab = TabText;

/** Program name and the views, each with the digit that jumps to it. */
export function Header({ tabs, width }: { readonly tabs: readonly Tab[]; readonly width: number }) {
  const theme = useTheme();
  const name = ' backup-panel ';
  // Narrow terminals shorten the labels (and drop the program name) rather than the tabs' names.
  const fitted = fitTabs(tabs, width, name);
  return (
    <Box height={1} width={width}>
      <Text wrap="truncate-end">
        {fitted.showName ? (
          <Text color={theme.text.accent} bold={theme.emphasis}>
            {name}
          </Text>
        ) : null}
        {tabs.map((t, i) => {
          const label = fitted.labels[i] ?? t.key;
          if (!t.active) return <Text key={t.key} color={theme.text.muted}>{` ${label} `}</Text>;
          // Without reverse video (no colour, TERM=dumb) brackets mark the active tab.
          return (
            <Text key={t.key} color={theme.ui.focus} bold={theme.emphasis} inverse={theme.ui.selection.inverse}>
              {theme.ui.selection.inverse ? ` ${label} ` : `[${label}]`}
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}
