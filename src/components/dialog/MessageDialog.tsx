import { Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { clampScroll, textLines } from '../../text/dialog-lines.js';
import { Dialog } from './Dialog.js';

export function MessageDialog({ title, text, tone, width, maxLines, scroll = 0 }: { readonly title: string; readonly text: string; readonly tone: string | undefined; readonly width: number; readonly maxLines: number; readonly scroll?: number }) {
  const theme = useTheme();
  const all = textLines(text, width - 4);
  const rows = Math.max(1, maxLines - 4);
  const start = clampScroll(scroll, all.length, rows);
  const lines = all.slice(start, start + rows);
  return (
    <Dialog title={title} titleColor={tone} width={width} more={{ above: start > 0, below: start + rows < all.length }}>
      {lines.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text color={theme.text.muted}>{`${theme.glyphs.keys.return ?? 'Enter'} close`}</Text>
    </Dialog>
  );
}
