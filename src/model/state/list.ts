import type { ListState } from './types.js';

export const EMPTY_LIST: ListState = { cursor: 0, offset: 0 };

/** The first row to draw so that `cursor` is visible, moving the window as little as possible. */
export function keepVisible(cursor: number, offset: number, visible: number, count: number): number {
  const rows = Math.max(1, visible);
  const maxOffset = Math.max(0, count - rows);
  let next = Math.min(offset, maxOffset);
  if (cursor < next) next = cursor;
  else if (cursor >= next + rows) next = cursor - rows + 1;
  return Math.max(0, Math.min(next, maxOffset));
}

/** Puts the cursor on `target` (clamped to the list) and scrolls just enough. */
export function moveTo(list: ListState, target: number, count: number, visible: number): ListState {
  const cursor = count === 0 ? 0 : Math.max(0, Math.min(count - 1, target));
  const offset = keepVisible(cursor, list.offset, visible, count);
  return cursor === list.cursor && offset === list.offset ? list : { cursor, offset };
}
