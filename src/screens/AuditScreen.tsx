import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import type { AuditRow } from '../services/audit.js';
import { auditTime } from '../domain/index.js';
import type { AuditPane } from '../model/state/audit-types.js';
import { AUDIT_EMPTY, AUDIT_NO_MATCH, AUDIT_READING, auditTitle, auditWindowNote } from '../model/state/audit-texts.js';
import type { TableLayout } from '../model/layout.js';
import { useTheme } from '../theme/index.js';
import type { ColumnSpec } from '../components/table/columns.js';
import { columnWidths } from '../components/table/columns.js';
import type { Segment } from '../components/table/Table.js';
import { cell, fit } from '../text/cells.js';
import { FilteredTable } from './list-title.js';

export interface AuditScreenProps {
  /** The changes after the filter, newest first. */
  readonly rows: readonly AuditRow[];
  readonly pane: AuditPane;
  readonly layout: TableLayout;
  readonly width: number;
}

const COLUMNS: ColumnSpec[] = [
  { title: 'When (UTC)', width: 20 },
  { title: 'Who', grow: 1, min: 6 },
  { title: 'From', grow: 1, min: 6 },
  { title: 'What', grow: 2, min: 10 },
];

/**
 * Audit: who changed what, from where, when; newest first. Every string of a row was made safe by
 * services/audit.ts; the table draws only the rows in view.
 */
export function AuditScreen({ rows, pane, layout, width }: AuditScreenProps) {
  const theme = useTheme();
  const tableWidth = width - 2;
  const widths = useMemo(() => columnWidths(COLUMNS, tableWidth), [tableWidth]);
  const ellipsis = theme.glyphs.ellipsis;
  const header = COLUMNS.map((c, i) => cell(c.title, widths[i] ?? 1, ellipsis)).join(' ');
  const renderRow = useCallback(
    (r: AuditRow): Segment[] => {
      const [when = 20, who = 6, from = 6, what = 10] = widths;
      return [
        { text: `${cell(auditTime(r.at), when, ellipsis)} `, color: theme.text.muted },
        { text: `${cell(r.who, who, ellipsis)} `, ...(r.actor.claimed ? { color: theme.status.warning } : {}) },
        { text: `${cell(r.from, from, ellipsis)} ` },
        { text: cell(r.what, what, ellipsis) },
      ];
    },
    [widths, ellipsis, theme],
  );
  const loaded = pane.rows?.length ?? 0;
  const filtered = pane.list.filter.text !== '' || pane.list.filter.editing;
  const selected = rows[pane.list.cursor];
  const note = pane.failure ?? auditWindowNote(pane.capped, pane.unreadable);
  const sep = theme.glyphs.separator;
  return (
    <Box flexDirection="column" width={width}>
      <FilteredTable
        title={auditTitle(rows.length, loaded, pane.capped, filtered)}
        filter={pane.list.filter}
        titleColumns={44}
        items={rows}
        offset={pane.list.offset}
        cursor={pane.list.cursor}
        rows={layout.rows}
        width={width}
        header={header}
        renderRow={renderRow}
        keyOf={(r) => r.id}
        empty={pane.rows === undefined ? (pane.failure ?? AUDIT_READING) : loaded === 0 ? AUDIT_EMPTY : AUDIT_NO_MATCH}
      />
      <Box flexDirection="column" height={layout.detail} width={width}>
        {selected ? <Text>{` ${fit(selected.what, width - 2, ellipsis)}`}</Text> : null}
        {note ? (
          <Text color={pane.failure ? theme.status.error : theme.status.warning}>{` ${fit(note, width - 2, ellipsis)}`}</Text>
        ) : selected ? (
          <Text color={theme.text.muted}>{` ${fit(`${selected.who}${sep}from ${selected.from}`, width - 2, ellipsis)}`}</Text>
        ) : null}
      </Box>
    </Box>
  );
}
