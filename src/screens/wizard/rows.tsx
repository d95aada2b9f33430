import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { CheckResult } from '../../services/index.js';
import type { Theme } from '../../theme/index.js';
import type { WizardFailure } from '../../model/wizard/types.js';
import { cellWidth, fit, wordWrap } from '../../text/cells.js';
import { safeText } from '../../text/safe-text.js';
import { CATEGORY_WORDS } from '../../model/wizard/messages.js';

/** One line of a wizard step: the step area is a list of these, windowed to the screen's height. */
export interface Row {
  readonly key: string;
  readonly node: ReactNode;
}

export interface Style {
  readonly color?: string | undefined;
  readonly bold?: boolean;
}

/** Our own punctuation in the theme's glyphs: ASCII mode draws no '…', '·' or '—'. */
export function themed(text: string, theme: Pick<Theme, 'ascii' | 'glyphs'>): string {
  if (!theme.ascii) return text;
  return text.replaceAll('…', theme.glyphs.ellipsis).replaceAll(' · ', theme.glyphs.separator).replaceAll('—', '-');
}

let counter = 0;
function key(prefix: string): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}-${counter}`;
}

/** Safe text wrapped into rows (the text must already be safe). */
export function textRows(text: string, width: number, style: Style = {}, indent = 0): Row[] {
  const pad = ' '.repeat(indent);
  return wordWrap(text, Math.max(8, width - indent)).map((line) => ({
    key: key('t'),
    node: (
      <Text color={style.color} bold={style.bold === true}>
        {pad}
        {line}
      </Text>
    ),
  }));
}

export function blankRow(): Row {
  return { key: key('b'), node: <Text> </Text> };
}

/** "Label   value" on one line, the value cut to fit. */
export function pairRow(label: string, value: string, width: number, theme: Theme, labelWidth = 22): Row[] {
  const head = `  ${label}`.padEnd(labelWidth + 2);
  const room = Math.max(6, width - cellWidth(head));
  return wordWrap(value, room).map((line, i) => ({
    key: key('p'),
    node: (
      <Text>
        <Text color={theme.text.muted}>{i === 0 ? head : ' '.repeat(cellWidth(head))}</Text>
        {line}
      </Text>
    ),
  }));
}

/** A failure: what happened (category, AADSTS code), the message, what to do, the way out. */
export function failureRows(failure: WizardFailure, width: number, theme: Theme): Row[] {
  const tags = [failure.category, failure.aadsts !== undefined ? `AADSTS${failure.aadsts}` : undefined].filter(Boolean).join(theme.glyphs.separator);
  const title = `${theme.glyphs.fail} ${failure.title}${tags ? ` ${theme.ascii ? '-' : '—'} ${tags}` : ''}`;
  const rows = [...textRows(safeText(title), width, { color: theme.status.error, bold: theme.emphasis })];
  rows.push(...textRows(safeText(failure.message), width, {}, 2));
  if (failure.hint) rows.push(...textRows(`What to do: ${safeText(failure.hint)}`, width, {}, 2));
  if (failure.wayOut) rows.push(...textRows(failure.wayOut, width, { color: theme.status.info }, 2));
  return rows;
}

const STATUS_WORD = { pass: 'passed', warn: 'warning', fail: 'failed' } as const;

/** Each check with pass / warn / fail, its reason wrapped under it, and for failures the category. */
export function checkRows(checks: readonly CheckResult[], width: number, theme: Theme): Row[] {
  const rows: Row[] = [];
  for (const check of checks) {
    const glyph = check.status === 'pass' ? theme.glyphs.pass : check.status === 'warn' ? theme.glyphs.warn : theme.glyphs.fail;
    const color = check.status === 'pass' ? theme.status.success : check.status === 'warn' ? theme.status.warning : theme.status.error;
    rows.push({
      key: key('c'),
      node: (
        <Text color={color} bold={check.status === 'fail' && theme.emphasis}>
          {fit(`${glyph} ${safeText(check.name)}: ${STATUS_WORD[check.status]}`, width, theme.glyphs.ellipsis)}
        </Text>
      ),
    });
    if (check.status === 'fail' && (check.category || check.aadsts !== undefined)) {
      const tags = [check.category ? CATEGORY_WORDS[check.category] : undefined, check.aadsts !== undefined ? `AADSTS${check.aadsts}` : undefined].filter(Boolean).join(theme.glyphs.separator);
      rows.push(...textRows(tags, width, { color: theme.status.error }, 2));
    }
    rows.push(...textRows(safeText(check.message), width, {}, 2));
  }
  return rows;
}
