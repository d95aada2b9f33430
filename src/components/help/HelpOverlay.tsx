import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { cell, fit } from '../../text/cells.js';

export interface HelpSection {
  readonly title: string;
  readonly entries: ReadonlyArray<{ readonly keys: string; readonly label: string }>;
}

type Line = { readonly kind: 'title'; readonly text: string } | { readonly kind: 'entry'; readonly keys: string; readonly label: string };

/** The keyboard help, generated from the command map; scrolls when it is taller than the screen. */
export function HelpOverlay({ sections, scroll, width, height }: { readonly sections: readonly HelpSection[]; readonly scroll: number; readonly width: number; readonly height: number }) {
  const theme = useTheme();
  const lines: Line[] = sections.flatMap((s) => [{ kind: 'title' as const, text: s.title }, ...s.entries.map((e) => ({ kind: 'entry' as const, ...e }))]);
  const inner = Math.max(1, height - 3);
  const start = Math.max(0, Math.min(scroll, lines.length - inner));
  const keyWidth = Math.min(22, Math.max(...lines.map((l) => (l.kind === 'entry' ? l.keys.length : 0))) + 1);
  const textWidth = Math.max(10, width - 4);
  const more = start + inner < lines.length;
  return (
    <Box flexDirection="column" borderStyle={theme.border.style} borderColor={theme.border.focus} paddingX={1} width={width} height={height}>
      <Text color={theme.ui.focus} bold={theme.emphasis} wrap="truncate-end">
        {fit(`Keys${start > 0 ? ` ${theme.glyphs.moreAbove}` : ''}${more ? ` ${theme.glyphs.moreBelow}` : ''}`, textWidth, theme.glyphs.ellipsis)}
      </Text>
      {lines.slice(start, start + inner).map((line, i) =>
        line.kind === 'title' ? (
          <Text key={i} color={theme.text.heading} bold={theme.emphasis}>
            {fit(line.text, textWidth, theme.glyphs.ellipsis)}
          </Text>
        ) : (
          <Text key={i}>
            <Text color={theme.ui.key}>{cell(`  ${line.keys}`, keyWidth + 2, theme.glyphs.ellipsis)}</Text>
            {fit(line.label, Math.max(1, textWidth - keyWidth - 2), theme.glyphs.ellipsis)}
          </Text>
        ),
      )}
    </Box>
  );
}
