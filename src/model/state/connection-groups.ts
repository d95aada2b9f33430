import type { Cloud } from '../../domain/index.js';
import type { ConnectionRow } from '../../services/connection-rows.js';
import { filterItems } from '../list/filter.js';
import { keepVisible } from './list.js';
import type { ConnectionsOrder, ListState } from './types.js';

/**
 * Manage server connections grouped by tenant: the connections in tenant order, with a header line
 * before each tenant's (and the on-premises) connections. The cursor counts connections only; the
 * window (ListState.offset) counts lines, headers included. Derived once per filtered list and
 * order (memoised on the array), never on the render path.
 */

export interface ConnectionGroup {
  /** Undefined: the on-premises connections. */
  readonly tenant: string | undefined;
  readonly cloud: Cloud | undefined;
  readonly count: number;
}

export type ConnectionLine = { readonly kind: 'group'; readonly group: ConnectionGroup } | { readonly kind: 'row'; readonly index: number };

export interface ConnectionLines {
  readonly lines: readonly ConnectionLine[];
  /** The line of each connection, by its index in the visible connections. */
  readonly lineOf: readonly number[];
}

export interface ConnectionsView {
  readonly visibleConnections: readonly ConnectionRow[];
  /** Grouped by tenant only. */
  readonly connectionLines: ConnectionLines | undefined;
}

const groupKey = (r: ConnectionRow) => (r.tenant ? `0${r.tenant.toLowerCase()}\u0000${r.cloud ?? ''}` : '1');

/** Grouped by tenant (on-premises last), by name within a tenant; a stable sort keeps the saved order of equals. */
export function byTenant(rows: readonly ConnectionRow[]): ConnectionRow[] {
  const keys = new Map(rows.map((r) => [r, groupKey(r)]));
  const key = (r: ConnectionRow) => keys.get(r) ?? '';
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)) || a.name.localeCompare(b.name));
}

function groupLines(sorted: readonly ConnectionRow[]): ConnectionLines {
  const lines: ConnectionLine[] = [];
  const lineOf: number[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] as ConnectionRow;
    const key = groupKey(first);
    let end = i + 1;
    while (end < sorted.length && groupKey(sorted[end] as ConnectionRow) === key) end++;
    lines.push({ kind: 'group', group: { tenant: first.tenant, cloud: first.tenant ? first.cloud : undefined, count: end - i } });
    for (; i < end; i++) {
      lineOf.push(lines.length);
      lines.push({ kind: 'row', index: i });
    }
  }
  return { lines, lineOf };
}

export const connectionHaystack = (row: ConnectionRow): string =>
  `${row.name} ${row.typeLabel} ${row.locationLabel} ${row.authType}${row.obsolete ? ' [obsolete]' : ''} ${row.tenant ?? ''}`;

const grouped = new WeakMap<readonly ConnectionRow[], ConnectionsView>();

/**
 * The connections Manage shows: after the `/` filter (the lists' filter, model/list/filter.ts),
 * in the saved order or grouped by tenant. Same rows, text and order: the same arrays, so the
 * reducer (keeping the cursor on its connection when `s` switches) and the view cache share one
 * computation.
 */
export function connectionsView(rows: readonly ConnectionRow[], filter: string, order: ConnectionsOrder): ConnectionsView {
  const matching = filterItems(rows, filter, connectionHaystack);
  if (order === 'saved') return { visibleConnections: matching, connectionLines: undefined };
  let view = grouped.get(matching);
  if (!view) {
    const sorted = byTenant(matching);
    view = { visibleConnections: sorted, connectionLines: groupLines(sorted) };
    grouped.set(matching, view);
  }
  return view;
}

/**
 * The cursor on connection `target` (clamped), the window moved just enough to show its line and,
 * when it is the first of its group, the group's header above it.
 */
export function placeGrouped(list: ListState, target: number, lines: ConnectionLines, page: number): ListState {
  const count = lines.lineOf.length;
  const cursor = count === 0 ? 0 : Math.max(0, Math.min(count - 1, target));
  const line = lines.lineOf[cursor] ?? 0;
  const total = lines.lines.length;
  const header = lines.lines[line - 1]?.kind === 'group' ? line - 1 : line;
  const offset = keepVisible(line, keepVisible(header, list.offset, page, total), page, total);
  return cursor === list.cursor && offset === list.offset ? list : { cursor, offset };
}
