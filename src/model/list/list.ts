import type { KeyPress } from '../keymap/keys.js';
import { keepVisible } from '../state/list.js';

/**
 * A headless list (the @inkjs/ui state / input / view triad, without React): the cursor, the first
 * row drawn, the `/` filter and the marked items, changed only by the pure functions below. Every
 * list of the panel that needs more than a cursor (Jobs, Storages, Browse, the wizards' pickers)
 * holds one, and one reducer path serves them all (model/state/list-bindings.ts); the view is
 * components/table/Table.tsx.
 */

export interface ListFilter {
  readonly text: string;
  /** The filter field has the keyboard: printable keys are text, Enter keeps, Esc clears. */
  readonly editing: boolean;
}

export interface ListModel {
  readonly cursor: number;
  readonly offset: number;
  readonly filter: ListFilter;
  /** Ids of the marked items (Space), in the order they were marked. */
  readonly marked: readonly string[];
}

export const EMPTY_LIST_MODEL: ListModel = { cursor: 0, offset: 0, filter: { text: '', editing: false }, marked: [] };

/** What a list's items look like to the keys: how many are shown, how many fit, and their ids. */
export interface ListWindow {
  readonly count: number;
  readonly page: number;
  readonly idAt: (index: number) => string | undefined;
}

export type ListMove = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom';

function target(list: ListModel, move: ListMove, window: ListWindow): number {
  switch (move) {
    case 'up':
      return list.cursor - 1;
    case 'down':
      return list.cursor + 1;
    case 'page-up':
      return list.cursor - window.page;
    case 'page-down':
      return list.cursor + window.page;
    case 'top':
      return 0;
    case 'bottom':
      return window.count - 1;
  }
}

/** The cursor on `index` (clamped), the window scrolled just enough to show it. */
export function placeCursor(list: ListModel, index: number, window: Pick<ListWindow, 'count' | 'page'>): ListModel {
  const cursor = window.count === 0 ? 0 : Math.max(0, Math.min(window.count - 1, index));
  const offset = keepVisible(cursor, list.offset, window.page, window.count);
  return cursor === list.cursor && offset === list.offset ? list : { ...list, cursor, offset };
}

export function moveList(list: ListModel, move: ListMove, window: ListWindow): ListModel {
  return placeCursor(list, target(list, move, window), window);
}

export function startFilter(list: ListModel): ListModel {
  return list.filter.editing ? list : { ...list, filter: { ...list.filter, editing: true } };
}

export function keepFilter(list: ListModel): ListModel {
  return list.filter.editing ? { ...list, filter: { ...list.filter, editing: false } } : list;
}

/** A new filter text puts the cursor back on the first match. */
function withFilterText(list: ListModel, text: string): ListModel {
  if (text === list.filter.text) return list;
  return { ...list, cursor: 0, offset: 0, filter: { ...list.filter, text } };
}

export function clearFilter(list: ListModel): ListModel {
  return withFilterText(keepFilter(list), '');
}

/** A key typed while the filter has the keyboard. Control characters never enter it. */
export function typeInFilter(list: ListModel, key: KeyPress): ListModel {
  if (key.name === 'backspace') return withFilterText(list, list.filter.text.slice(0, -1));
  const typed = key.text.replace(/\p{Cc}/gu, '');
  return typed ? withFilterText(list, list.filter.text + typed) : list;
}

/** Marks or unmarks the item under the cursor. */
export function toggleMark(list: ListModel, window: ListWindow): ListModel {
  const id = window.idAt(list.cursor);
  if (id === undefined) return list;
  const marked = list.marked.includes(id) ? list.marked.filter((m) => m !== id) : [...list.marked, id];
  return { ...list, marked };
}

export function setMarks(list: ListModel, marked: readonly string[]): ListModel {
  return { ...list, marked };
}

/**
 * Keeps the cursor on the same item (by id) when the items change under it (another session's
 * save, a live refresh), or as close as the list allows; marks of items that went away are dropped.
 */
export function followItems(list: ListModel, before: string | undefined, window: ListWindow, ids: ReadonlySet<string> | undefined): ListModel {
  let found = -1;
  if (before !== undefined && window.idAt(list.cursor) !== before) {
    for (let i = 0; i < window.count; i++) {
      if (window.idAt(i) === before) {
        found = i;
        break;
      }
    }
  }
  const placed = placeCursor(list, found >= 0 ? found : list.cursor, window);
  if (!ids || placed.marked.every((m) => ids.has(m))) return placed;
  return { ...placed, marked: placed.marked.filter((m) => ids.has(m)) };
}
