import { Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import { wordWrap } from '../../text/cells.js';
import { Dialog } from './Dialog.js';

export function MessageDialog({ title, text, tone, width, maxLines }: { readonly title: string; readonly text: string; readonly tone: string | undefined; readonly width: number; readonly maxLines: number }) {
  const theme = useTheme();
  const lines = wordWrap(text, width - 4).slice(0, Math.max(1, maxLines - 4));
  return (
    <Dialog title={title} titleColor={tone} width={width}>
      {lines.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text color={theme.text.muted}>{`${theme.glyphs.keys.return ?? 'Enter'} close`}</Text>
    </Dialog>
  );
}
