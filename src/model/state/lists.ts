import type { Size } from '../layout.js';
import { alertsLayout, connectionsLayout, notificationsLayout, tableLayout } from '../layout.js';
import { EMPTY_LIST, moveTo } from './list.js';
import { followHeadless } from './follow.js';
import { connectionsView, placeGrouped } from './connection-groups.js';
import type { AppState, CardId, ListId, ListState, ViewData, ViewId } from './types.js';

/** The lists of the views: how long each is, how many rows it shows, and keeping cursors on their items. */

export const LIST_OF_VIEW: Readonly<Record<ViewId, ListId | undefined>> = {
  dashboard: undefined,
  connections: 'connections',
  alerts: 'alerts',
  notifications: 'notifications',
  // Headless lists (model/list/), reached through model/state/list-bindings.ts.
  jobs: undefined,
  job: undefined,
  storages: undefined,
  browse: undefined,
  audit: undefined,
};

export function listCount(list: ListId, data: ViewData): number {
  switch (list) {
    case 'connections':
      return data.visibleConnections.length;
    case 'alerts':
      return data.alerts.length;
    case 'notifications':
      return data.categories.length;
  }
}

/** Rows of a list on screen at the current size. */
export function listRows(list: ListId, state: { readonly size: Size; readonly banner: string | undefined }): number {
  switch (list) {
    case 'alerts':
      return alertsLayout(state.size, state.banner).rows;
    case 'notifications':
      return notificationsLayout(state.size, state.banner).rows;
    case 'connections':
      return connectionsLayout(state.size, state.banner).rows;
    default:
      return tableLayout(state.size, state.banner).rows;
  }
}

export function cardsFor(data: ViewData): CardId[] {
  return data.summary.jobs.total === 0 ? ['alerts', 'connections', 'jobs', 'start'] : ['alerts', 'connections', 'jobs'];
}

/** A list's cursor on `target`, scrolled just enough; grouped by tenant, Manage's window counts its header lines too. */
function place(list: ListId, current: ListState, target: number, data: ViewData, page: number): ListState {
  const lines = list === 'connections' ? data.connectionLines : undefined;
  return lines ? placeGrouped(current, target, lines, page) : moveTo(current, target, listCount(list, data), page);
}

export function withList(state: AppState, list: ListId, next: ListState): AppState {
  return next === state.lists[list] ? state : { ...state, lists: { ...state.lists, [list]: next } };
}

/** Moves the current view's cursor to `to(list, count, page)`. */
export function move(state: AppState, data: ViewData, to: (list: ListState, count: number, page: number) => number): AppState {
  const list = LIST_OF_VIEW[state.view];
  if (!list) return state;
  const count = listCount(list, data);
  const page = listRows(list, state);
  const current = state.lists[list];
  return withList(state, list, place(list, current, to(current, count, page), data, page));
}

/** Puts a list's cursor on the item with this id, if it is there. */
export function select(state: AppState, list: 'connections', id: string, data: ViewData): AppState {
  const index = data.visibleConnections.findIndex((r) => r.id === id);
  if (index < 0) return state;
  return withList(state, list, place(list, state.lists[list], index, data, listRows(list, state)));
}

/** `s`: grouped by tenant or back to the saved order, the cursor staying on its connection. */
export function switchConnectionsOrder(state: AppState, data: ViewData): AppState {
  const id = data.visibleConnections[state.lists.connections.cursor]?.id;
  const order = state.connectionsOrder === 'saved' ? 'tenant' : 'saved';
  // The same (memoised) view the container derives next: computed once.
  const next: ViewData = { ...data, ...connectionsView(data.connections, state.filter.text, order) };
  const index = id === undefined ? 0 : Math.max(0, next.visibleConnections.findIndex((r) => r.id === id));
  return withList({ ...state, connectionsOrder: order }, 'connections', place('connections', EMPTY_LIST, index, next, listRows('connections', state)));
}

export function resetList(state: AppState, list: ListId): AppState {
  return withList(state, list, EMPTY_LIST);
}

/** The item under the cursor of a list. */
export function selected<T>(state: AppState, list: ListId, items: readonly T[]): T | undefined {
  return items[state.lists[list].cursor];
}

const IDS: Readonly<Record<ListId, (d: ViewData) => readonly string[]>> = {
  connections: (d) => d.visibleConnections.map((r) => r.id),
  alerts: (d) => d.alerts.map((a) => a.id),
  notifications: (d) => d.categories.map((c) => c.category),
};

/** Keeps every cursor on the same item (by id) when the document changes, or as close as possible. */
export function followDocument(state: AppState, previous: ViewData, data: ViewData): AppState {
  let next = state;
  for (const list of Object.keys(IDS) as ListId[]) {
    const current = state.lists[list];
    const before = IDS[list](previous)[current.cursor];
    const after = IDS[list](data);
    const found = before === undefined ? -1 : after.indexOf(before);
    const target = found >= 0 ? found : current.cursor;
    next = withList(next, list, place(list, current, target, data, listRows(list, state)));
  }
  // How to start disappears once a job exists.
  if (!cardsFor(data).includes(next.card)) next = { ...next, card: 'alerts' };
  return followHeadless(next, previous, data);
}

export function clampAll(state: AppState, data: ViewData): AppState {
  let next = state;
  for (const list of Object.keys(state.lists) as ListId[]) {
    const current = state.lists[list];
    next = withList(next, list, place(list, current, current.cursor, data, listRows(list, next)));
  }
  return next;
}

/** Goes to a view. Leaving Notification options by any way but Save discards the form. */
export function go(state: AppState, view: ViewId): AppState {
  if (view === state.view) return state;
  return {
    ...state,
    view,
    notice: undefined,
    filter: { ...state.filter, editing: false },
    notifications: view === 'notifications' ? state.notifications : undefined,
  };
}
