import { Box, Text } from 'ink';
import type { AlertCategory } from '../domain/index.js';
import type { CategorySetting } from '../services/index.js';
import type { ListState } from '../model/state/types.js';
import type { TableLayout } from '../model/layout.js';
import { useTheme } from '../theme/index.js';
import { fit } from '../text/cells.js';

export interface NotificationOptionsProps {
  readonly categories: readonly CategorySetting[];
  /** The form's muted categories (not saved yet). */
  readonly muted: readonly AlertCategory[];
  readonly list: ListState;
  readonly layout: TableLayout;
  readonly width: number;
}

/** Notification options: one checkbox per alert category; a cleared box mutes the category. */
export function NotificationOptions({ categories, muted, list, layout, width }: NotificationOptionsProps) {
  const theme = useTheme();
  const ellipsis = theme.glyphs.ellipsis;
  const visible = categories.slice(list.offset, list.offset + layout.rows);
  return (
    <Box flexDirection="column" width={width}>
      <Text color={theme.text.heading} bold={theme.emphasis}>
        {` ${fit('Notification options', width - 2, ellipsis)}`}
      </Text>
      <Text color={theme.text.muted}>{` ${fit('Show these alerts on the Dashboard and in Bad news (Space toggles, Enter saves, Esc cancels):', width - 2, ellipsis)}`}</Text>
      {visible.map((setting, i) => {
        const selected = list.offset + i === list.cursor;
        const on = !muted.includes(setting.category);
        const line = `${selected ? theme.glyphs.pointer : ' '} ${on ? theme.glyphs.checkboxOn : theme.glyphs.checkboxOff} ${setting.label}${on ? '' : '  (muted)'}`;
        return (
          <Text key={setting.category} inverse={selected && theme.ui.selection.inverse} color={on ? undefined : theme.text.muted}>
            {fit(line, width - 1, ellipsis)}
          </Text>
        );
      })}
      <Text color={theme.text.muted}>{` ${fit('Muted alerts disappear everywhere until the category is shown again.', width - 2, ellipsis)}`}</Text>
    </Box>
  );
}
