import { Box, Text } from 'ink';
import { useTheme } from '../../theme/index.js';
import type { Theme } from '../../theme/index.js';
import { cell, cellWidth, fit } from '../../text/cells.js';
import { labelWidth, valueWidth } from './field-layout.js';

export interface RadioOption {
  readonly value: string;
  readonly label: string;
  /** Why the option cannot be chosen; drawn muted, never selectable. */
  readonly disabled?: string | undefined;
}

export interface RadioGroupProps {
  readonly label: string;
  readonly options: readonly RadioOption[];
  readonly value: string;
  readonly focused: boolean;
  readonly width: number;
  /** When the options do not fit on one line: draw only this one (each is a line of its own). */
  readonly line?: number;
}

function optionText(option: RadioOption, selected: boolean, theme: Pick<Theme, 'glyphs'>): string {
  return `${selected ? theme.glyphs.radioOn : theme.glyphs.radioOff} ${option.label}${option.disabled ? ' (not available)' : ''}`;
}

/** True when every option fits on the label's line. */
export function radioFitsInline(options: readonly RadioOption[], width: number, theme: Pick<Theme, 'glyphs'>): boolean {
  const total = options.reduce((sum, o) => sum + cellWidth(optionText(o, false, theme)) + 2, 0);
  return total <= valueWidth(width);
}

/** Lines the group takes: one when inline, else one per option. */
export function radioHeight(options: readonly RadioOption[], width: number, theme: Pick<Theme, 'glyphs'>): number {
  return radioFitsInline(options, width, theme) ? 1 : options.length;
}

/**
 * A choice among a few options (Space / ← / → change it when focused). The selected option is
 * marked by its glyph, so it reads without colour.
 */
export function RadioGroup({ label, options, value, focused, width, line }: RadioGroupProps) {
  const theme = useTheme();
  const lw = labelWidth(width);
  const vw = valueWidth(width);
  const inline = radioFitsInline(options, width, theme);
  const head = (
    <>
      <Text color={focused ? theme.ui.focus : undefined} bold={focused && theme.emphasis}>
        {focused ? `${theme.glyphs.pointer} ` : '  '}
      </Text>
      <Text color={focused ? theme.ui.focus : theme.text.muted}>{`${cell(label, lw, theme.glyphs.ellipsis)} `}</Text>
    </>
  );
  const optionNode = (o: RadioOption, room: number) => {
    const selected = o.value === value;
    const color = o.disabled ? theme.text.muted : selected && focused ? theme.ui.focus : undefined;
    return (
      <Text key={o.value} color={color} bold={selected && theme.emphasis}>
        {fit(optionText(o, selected, theme), room, theme.glyphs.ellipsis)}
      </Text>
    );
  };
  if (inline) {
    return (
      <Box width={width} height={1}>
        {head}
        {options.map((o, i) => (
          <Text key={o.value}>
            {i > 0 ? '  ' : ''}
            {optionNode(o, vw)}
          </Text>
        ))}
      </Box>
    );
  }
  const lines = options.map((o, i) => (
    <Box key={o.value} height={1} width={width}>
      {i === 0 ? head : <Text>{' '.repeat(2 + lw + 1)}</Text>}
      {optionNode(o, vw)}
    </Box>
  ));
  if (line !== undefined) return lines[line] ?? null;
  return (
    <Box flexDirection="column" width={width} height={options.length}>
      {lines}
    </Box>
  );
}
