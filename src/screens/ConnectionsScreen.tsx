import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import { safeText } from '../text/safe-text.js';
import type { ConnectionRow } from '../services/index.js';
import type { ConnectionsOrder, FilterState, ListState } from '../model/state/types.js';
import type { TableLayout } from '../model/layout.js';
import { useTheme } from '../theme/index.js';
import type { ColumnSpec } from '../components/table/columns.js';
import { columnWidths } from '../components/table/columns.js';
import type { Segment } from '../components/table/Table.js';
import { cell, cellWidth, fit, fitWithSuffix } from '../text/cells.js';
import { FilteredTable } from './list-title.js';
import { authTypeWords } from '../model/state/texts.js';
import type { ConnectionGroup, ConnectionLine, ConnectionLines } from '../model/state/connection-groups.js';

export interface ConnectionsScreenProps {
  /** The rows after the filter. */
  readonly rows: readonly ConnectionRow[];
  readonly total: number;
  readonly list: ListState;
  readonly filter: FilterState;
  readonly layout: TableLayout;
  /** Grouped by tenant: the Tenant column takes the Location column's place. */
  readonly order?: ConnectionsOrder;
  /** Grouped by tenant: the lines drawn, a header before each tenant's connections; `list.offset` counts them. */
  readonly lines?: ConnectionLines | undefined;
  readonly width: number;
}

const OBSOLETE = ' [obsolete]';

type Item = ConnectionRow | ConnectionLine;
const isLine = (item: Item): item is ConnectionLine => 'kind' in item;

/** "── contoso.onmicrosoft.com (3) ────": a rule, not a row (no cursor column, no row's columns), in colour or not. */
function groupTitle(group: ConnectionGroup, sep: string): string {
  if (!group.tenant) return `On-premises (${group.count})`;
  const cloud = group.cloud && group.cloud !== 'global' ? `${sep}cloud ${group.cloud}` : '';
  return `${safeText(group.tenant)}${cloud} (${group.count})`;
}

/** Wide terminals show the tenant besides the location; grouped by tenant, it replaces the location. */
function tenantShown(width: number, order: ConnectionsOrder): 'column' | 'instead' | 'no' {
  if (width >= 128) return 'column';
  return order === 'tenant' ? 'instead' : 'no';
}

function columnsFor(width: number, order: ConnectionsOrder): ColumnSpec[] {
  const wide = width >= 78;
  const tenant = tenantShown(width, order);
  return [
    { title: 'Type', width: 10 },
    { title: 'Connection name', grow: 1, min: 8 },
    ...(tenant === 'column' ? [{ title: 'Tenant', width: 26 }] : []),
    tenant === 'instead' ? { title: 'Tenant', width: wide ? 22 : 14 } : { title: 'Location', width: wide ? 13 : 8 },
    { title: wide ? 'Authentication type' : 'Auth. type', width: wide ? 19 : 17 },
  ];
}

function tenantCell(row: ConnectionRow): string {
  return row.tenant ? safeText(row.tenant) : 'on-premises';
}

/** Manage server connections: every connection, windowed, with the `/` filter and row actions. */
export function ConnectionsScreen({ rows, total, list, filter, layout, order = 'saved', lines, width }: ConnectionsScreenProps) {
  const theme = useTheme();
  const tableWidth = width - 2;
  const columns = useMemo(() => columnsFor(tableWidth, order), [tableWidth, order]);
  const tenant = tenantShown(tableWidth, order);
  const widths = useMemo(() => columnWidths(columns, tableWidth), [columns, tableWidth]);
  const ellipsis = theme.glyphs.ellipsis;
  const header = columns.map((c, i) => cell(c.title, widths[i] ?? 1, ellipsis)).join(' ');
  const wide = tableWidth >= 78;
  const renderConnection = useCallback(
    (row: ConnectionRow): Segment[] => {
      const [type = 10, name = 10, ...rest] = widths;
      const [tenantWidth = 0, location = 8, auth = 17] = tenant === 'column' ? rest : [0, ...rest];
      const where = tenant === 'instead' ? tenantCell(row) : wide ? row.locationLabel : row.location === 'online' ? 'M365' : 'On-prem.';
      return [
        { text: `${cell(row.typeLabel, type, ellipsis)} ` },
        { text: cell(fitWithSuffix(safeText(row.name), row.obsolete ? OBSOLETE : '', name, ellipsis), name, ellipsis), color: row.obsolete ? theme.status.warning : undefined },
        ...(tenant === 'column' ? [{ text: ` ${cell(tenantCell(row), tenantWidth, ellipsis)}` }] : []),
        { text: ` ${cell(where, location, ellipsis)} ` },
        { text: cell(authTypeWords(row.authType, row.obsolete), auth, ellipsis), color: row.authType === 'legacy' && row.obsolete ? theme.status.warning : undefined },
      ];
    },
    [widths, ellipsis, wide, theme, tenant],
  );
  const rule = theme.glyphs.rule;
  const renderRow = useCallback(
    (item: Item): Segment[] => {
      if (!isLine(item)) return renderConnection(item);
      if (item.kind === 'row') return rows[item.index] ? renderConnection(rows[item.index] as ConnectionRow) : [];
      const title = ` ${groupTitle(item.group, theme.glyphs.separator)} `;
      const room = tableWidth - 2;
      const text = fit(`${rule}${rule}${title}`, room, ellipsis);
      return [{ text: text + rule.repeat(Math.max(0, room - cellWidth(text))), color: theme.text.heading, bold: true }];
    },
    [renderConnection, rows, rule, theme, tableWidth, ellipsis],
  );
  const items: readonly Item[] = lines ? lines.lines : rows;
  const cursorLine = lines ? (lines.lineOf[list.cursor] ?? -1) : list.cursor;
  const selected = rows[list.cursor];
  const summary = `${filter.text || filter.editing ? `${rows.length} of ${total}` : `${total}`}${order === 'tenant' ? ', grouped by tenant' : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      <FilteredTable
        title={`Manage server connections (${summary})`}
        filter={filter}
        titleColumns={50}
        items={items}
        position={{ cursor: list.cursor, count: rows.length }}
        offset={list.offset}
        cursor={cursorLine}
        rows={layout.rows}
        width={width}
        header={header}
        renderRow={renderRow}
        keyOf={(item) => (!isLine(item) ? item.id : item.kind === 'row' ? (rows[item.index]?.id ?? '') : `tenant:${item.group.tenant ?? ''}:${item.group.cloud ?? ''}`)}
        empty={total === 0 ? 'No server connections are defined.' : 'No connection matches the filter (Esc clears it).'}
      />
      <Box flexDirection="column" height={layout.detail} width={width}>
        {selected ? <ConnectionDetail row={selected} width={width} /> : null}
      </Box>
    </Box>
  );
}

/** The selected row in full: its whole name (the table may have cut it) and what uses it. */
function ConnectionDetail({ row, width }: { readonly row: ConnectionRow; readonly width: number }) {
  const theme = useTheme();
  const sep = theme.glyphs.separator;
  const product = `${row.typeLabel} ${row.location === 'online' ? 'Online' : 'Server (on-premises)'}`;
  const first = `${safeText(row.name)}${row.obsolete ? OBSOLETE : ''}${sep}${product}${sep}${authTypeWords(row.authType, row.obsolete)}`;
  const usedBy = row.usedBy.length ? `Used by ${row.usedBy.length === 1 ? 'job' : 'jobs'} ${row.usedBy.map((n) => `'${safeText(n)}'`).join(', ')}.` : 'Not used by any job.';
  const second = row.obsolete ? `${usedBy} Still on Basic Authentication: reconfigure it to Modern Authentication (OAuth 2.0).` : usedBy;
  // What tells two connections of the same name apart.
  const third = row.tenant ? `Id ${row.id}${sep}tenant ${safeText(row.tenant)}${sep}cloud ${row.cloud ?? 'global'}` : `Id ${row.id}${sep}on-premises`;
  return (
    <>
      <Text color={row.obsolete ? theme.status.warning : undefined}>{` ${fit(first, width - 2, theme.glyphs.ellipsis)}`}</Text>
      <Text color={theme.text.muted}>{` ${fit(second, width - 2, theme.glyphs.ellipsis)}`}</Text>
      <Text color={theme.text.muted}>{` ${fit(third, width - 2, theme.glyphs.ellipsis)}`}</Text>
    </>
  );
}
