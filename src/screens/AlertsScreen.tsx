import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import type { Alert } from '../domain/index.js';
import { ALERT_CATEGORY_LABELS } from '../domain/index.js';
import { safeText } from '../text/safe-text.js';
import type { ListModel } from '../model/list/list.js';
import type { TableLayout } from '../model/layout.js';
import { useTheme } from '../theme/index.js';
import type { Segment } from '../components/table/Table.js';
import { cell, fit, wordWrap } from '../text/cells.js';
import { alertCounts, alertGlyph } from './alert-style.js';
import { FilteredTable } from './list-title.js';

export interface AlertsScreenProps {
  /** The alerts shown (after the `/` filter). */
  readonly alerts: readonly Alert[];
  /** Every alert, filtered or not. */
  readonly total: number;
  /** How many of `alerts` are permanent (counted once per document, not per frame). */
  readonly permanent: number;
  readonly mutedCount: number;
  readonly list: ListModel;
  readonly layout: TableLayout;
  readonly width: number;
}

/** Bad news: every alert, permanent ones first; the selected one in full below the list. */
export function AlertsScreen({ alerts, total, permanent, mutedCount, list, layout, width }: AlertsScreenProps) {
  const theme = useTheme();
  const ellipsis = theme.glyphs.ellipsis;
  const categoryWidth = width >= 90 ? 30 : 0;
  const messageWidth = Math.max(8, width - 2 - 2 - (categoryWidth ? categoryWidth + 1 : 0));
  const header = useMemo(() => `  ${categoryWidth ? `${cell('Category', categoryWidth, ellipsis)} ` : ''}Message`, [categoryWidth, ellipsis]);
  const renderRow = useCallback(
    (alert: Alert): Segment[] => {
      const { glyph, color } = alertGlyph(alert, theme);
      return [
        { text: `${glyph} `, color },
        ...(categoryWidth ? [{ text: `${cell(ALERT_CATEGORY_LABELS[alert.category], categoryWidth, ellipsis)} `, color: theme.text.muted }] : []),
        { text: cell(safeText(alert.message), messageWidth, ellipsis) },
      ];
    },
    [theme, categoryWidth, messageWidth, ellipsis],
  );
  const muted = mutedCount ? `${theme.glyphs.separator}${mutedCount} muted ${mutedCount === 1 ? 'category' : 'categories'}` : '';
  const selected = alerts[list.cursor];
  return (
    <Box flexDirection="column" width={width}>
      <FilteredTable
        title={`Bad news: ${alertCounts(permanent, total - permanent, theme.glyphs.separator)}${muted}${list.filter.text ? ` (${alerts.length} shown)` : ''}`}
        filter={list.filter}
        titleColumns={60}
        items={alerts} offset={list.offset} cursor={list.cursor} rows={layout.rows} width={width} header={header} renderRow={renderRow} keyOf={(a) => a.id} empty={list.filter.text ? 'No alert matches the filter.' : 'Nothing needs attention.'} />
      <Box flexDirection="column" height={layout.detail} width={width}>
        {selected ? <AlertDetail alert={selected} lines={layout.detail} width={width} /> : null}
      </Box>
    </Box>
  );
}

function AlertDetail({ alert, lines, width }: { readonly alert: Alert; readonly lines: number; readonly width: number }) {
  const theme = useTheme();
  const { color } = alertGlyph(alert, theme);
  const how = alert.permanent
    ? `${ALERT_CATEGORY_LABELS[alert.category]}: permanent until its cause is fixed (mute the category with n).`
    : `${ALERT_CATEGORY_LABELS[alert.category]} on ${alert.createdAt.replace('T', ' ').slice(0, 16)}: x dismisses it.`;
  const text = wordWrap(safeText(alert.message), width - 2);
  const room = Math.max(1, lines - 1);
  const shown = text.length > room ? [...text.slice(0, room - 1), fit(text.slice(room - 1).join(' '), width - 2, theme.glyphs.ellipsis)] : text;
  return (
    <>
      <Text color={theme.text.muted}>{` ${fit(how, width - 2, theme.glyphs.ellipsis)}`}</Text>
      {shown.map((line, i) => (
        <Text key={i} color={i === 0 ? color : undefined}>{` ${line}`}</Text>
      ))}
    </>
  );
}
