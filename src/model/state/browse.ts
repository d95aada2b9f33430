import type { BrowseEntry } from '../../services/storages.js';
import type { RestoreWhat } from '../forms/types.js';
import { EMPTY_LIST_MODEL, placeCursor } from '../list/list.js';
import type { BrowseMark, BrowseState } from './backup-types.js';
import { entryKey } from './list-bindings.js';
import { marksClearedNotice, RESTORE_CHOICE_DIALOG } from './texts.js';
import type { AppState, Intent, Notice } from './types.js';
import type { MessageDialog } from './texts.js';

/**
 * Browse: a storage's tree one level at a time (sources, folders, items), the marks that span the
 * levels of one source, and what a restore or an export of them means (a path and item ids).
 */

export function browsePath(trail: readonly string[]): string {
  return trail.join('/');
}

export function openBrowse(state: AppState, storage: { id: string; name: string }): { state: AppState; intents: Intent[] } {
  const opId = state.nextLoadId;
  const browse: BrowseState = { storageId: storage.id, storageName: storage.name, trail: [], entries: undefined, loading: opId, failure: undefined, list: EMPTY_LIST_MODEL, above: [], marks: [] };
  return { state: { ...state, browse, nextLoadId: opId + 1 }, intents: [{ type: 'browse', opId, storageId: storage.id, path: '' }] };
}

/** Goes to another level: down into an entry (`down`) or up (`down` undefined). */
export function browseTo(state: AppState, down: BrowseEntry | undefined): { state: AppState; intents: Intent[] } {
  const browse = state.browse;
  if (!browse) return { state, intents: [] };
  if (!down && browse.trail.length === 0) return { state, intents: [] };
  const trail = down ? [...browse.trail, down.name] : browse.trail.slice(0, -1);
  const list = down ? EMPTY_LIST_MODEL : (browse.above[browse.above.length - 1] ?? EMPTY_LIST_MODEL);
  const above = down ? [...browse.above, browse.list] : browse.above.slice(0, -1);
  const opId = state.nextLoadId;
  const next: BrowseState = { ...browse, trail, list, above, entries: undefined, loading: opId, failure: undefined };
  return { state: { ...state, browse: next, nextLoadId: opId + 1 }, intents: [{ type: 'browse', opId, storageId: browse.storageId, path: browsePath(trail) }] };
}

/** A level was read: the list is kept where it was (coming back up) within what is there now. */
export function browseLoaded(browse: BrowseState, entries: readonly BrowseEntry[], page: number): BrowseState {
  return { ...browse, entries, loading: undefined, failure: undefined, list: placeCursor(browse.list, browse.list.cursor, { count: entries.length, page }) };
}

const sameMark = (a: BrowseMark, trail: readonly string[], entry: BrowseEntry) => entryKey(a.entry) === entryKey(entry) && browsePath(a.trail) === browsePath(trail);

export function isMarked(browse: BrowseState, entry: BrowseEntry): boolean {
  return isMarkedAt(browse.marks, browse.trail, entry);
}

/** Whether an entry of the level `trail` is marked (for a row, which gets only the marks and the level). */
export function isMarkedAt(marks: readonly BrowseMark[], trail: readonly string[], entry: BrowseEntry): boolean {
  return marks.some((m) => sameMark(m, trail, entry));
}

/** Marks or unmarks an entry. Marks are of one source: marking in another clears the others. */
export function toggleBrowseMark(browse: BrowseState, entry: BrowseEntry): { browse: BrowseState; notice?: Notice } {
  if (browse.trail.length === 0) return { browse };
  if (isMarked(browse, entry)) return { browse: { ...browse, marks: browse.marks.filter((m) => !sameMark(m, browse.trail, entry)) } };
  const source = browse.trail[0];
  const others = browse.marks.filter((m) => m.trail[0] !== source);
  const kept = others.length ? browse.marks.filter((m) => m.trail[0] === source) : browse.marks;
  const marked = { ...browse, marks: [...kept, { trail: browse.trail, entry }] };
  return others.length && others[0] ? { browse: marked, notice: marksClearedNotice(others[0].trail[0] ?? '') } : { browse: marked };
}

function commonTrail(trails: ReadonlyArray<readonly string[]>): string[] {
  const first = trails[0] ?? [];
  let n = first.length;
  for (const t of trails) {
    let i = 0;
    while (i < n && i < t.length && t[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What the marks (or the highlighted entry) restore or export: items anywhere under a common folder
 * of one source (by id), or one whole folder or source. Anything else is refused with the way out.
 */
export function browseSelection(browse: BrowseState, highlighted: BrowseEntry | undefined): RestoreWhat | MessageDialog {
  const marks: readonly BrowseMark[] = browse.marks.length ? browse.marks : highlighted && (browse.trail.length || highlighted.kind === 'source') ? [{ trail: browse.trail, entry: highlighted }] : [];
  const base = { storageId: browse.storageId, storageName: browse.storageName };
  const only = marks.length === 1 ? marks[0] : undefined;
  if (only && only.entry.kind !== 'item') {
    const trail = [...only.trail, only.entry.name];
    const source = trail[0] ?? '';
    return { ...base, source, from: browsePath(trail), label: trail.length === 1 ? 'everything' : `folder ${trail.slice(1).join('/')}` };
  }
  if (marks.length === 0 || marks.some((m) => m.entry.kind !== 'item' || !m.entry.id)) return RESTORE_CHOICE_DIALOG;
  const trail = commonTrail(marks.map((m) => m.trail));
  const items = marks.map((m) => m.entry.id as string);
  return { ...base, source: trail[0] ?? '', from: browsePath(trail), items, label: plural(items.length, 'item', 'items') };
}

export function isDialog(value: RestoreWhat | MessageDialog): value is MessageDialog {
  return 'kind' in value && value.kind === 'message';
}
