import { Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { fit } from '../../text/cells.js';
import { Dialog } from './Dialog.js';

/** A short menu (New → Exchange connection / SharePoint connection). */
export function MenuDialog({ title, items, cursor, width }: { readonly title: string; readonly items: readonly string[]; readonly cursor: number; readonly width: number }) {
  const theme = useTheme();
  return (
    <Dialog title={title} width={width}>
      {items.map((item, i) => (
        <Text key={item} color={i === cursor ? theme.ui.focus : undefined} inverse={i === cursor && theme.ui.selection.inverse}>
          {fit(`${i === cursor ? theme.glyphs.pointer : ' '} ${item}`, width - 4, theme.glyphs.ellipsis)}
        </Text>
      ))}
      <Text color={theme.text.muted}>{`${theme.glyphs.keys.return ?? 'Enter'} choose${theme.glyphs.separator}Esc close`}</Text>
    </Dialog>
  );
}
