import { ALERT_CATEGORY_LABELS, storagesOf, type Alert, type Storage } from '../../domain/index.js';
import type { BrowseEntry } from '../../services/storages.js';
import type { JobRow } from '../../services/index.js';
import { focusedPick } from '../forms/fields.js';
import { visibleOptions } from '../forms/options.js';
import { reduceForm } from '../forms/reducer.js';
import type { FormData, PickOption } from '../forms/types.js';
import { filterItems } from '../list/filter.js';
import { EMPTY_LIST_MODEL, type ListModel, type ListWindow } from '../list/list.js';
import { alertsLayout, formPickRows, tableLayout } from '../layout.js';
import type { AppState, ViewData } from './types.js';
import { visibleAudit } from './audit.js';

/**
 * Which headless list has the keyboard, and how it reaches its items: the one place that ties the
 * lists of the Jobs and Storages tabs, Browse and the wizards' pickers to the state. The reducer
 * moves, filters and marks through a binding; none of them has a reducer branch of its own.
 */
export interface ListBinding {
  readonly id: 'jobs' | 'alerts' | 'storages' | 'browse' | 'pick' | 'audit';
  readonly list: ListModel;
  readonly window: ListWindow;
  readonly multi: boolean;
  set(state: AppState, list: ListModel): AppState;
}

function window<T>(items: readonly T[], page: number, idOf: (item: T) => string): ListWindow {
  return { count: items.length, page, idAt: (i) => (i >= 0 && i < items.length ? idOf(items[i] as T) : undefined) };
}

const jobHaystack = (row: JobRow) => `${row.name} ${row.connectionName} ${row.kind} ${row.storageName ?? ''} ${row.schedule}`;
const storageHaystack = (s: Storage) => `${s.name} ${s.path}`;
const alertHaystack = (a: Alert) => `${a.message} ${ALERT_CATEGORY_LABELS[a.category]}${a.permanent ? ' permanent' : ''}`;
const entryHaystack = (e: BrowseEntry) => `${e.name} ${e.title ?? ''}`;

/** The jobs the Jobs tab shows (after its `/` filter). */
export function visibleJobs(state: AppState, data: ViewData): readonly JobRow[] {
  return filterItems(data.jobs, state.jobsPane.list.filter.text, jobHaystack);
}

/** The alerts Bad news shows (after its `/` filter). */
export function visibleAlerts(state: AppState, data: ViewData): readonly Alert[] {
  return filterItems(data.alerts, state.alertsPane.list.filter.text, alertHaystack);
}

export function visibleStorages(state: AppState, data: ViewData): readonly Storage[] {
  return filterItems(storagesOf(data.doc), state.storagesPane.list.filter.text, storageHaystack);
}

export function visibleEntries(state: AppState): readonly BrowseEntry[] {
  const browse = state.browse;
  return browse?.entries ? filterItems(browse.entries, browse.list.filter.text, entryHaystack) : [];
}

const usersMemo = new WeakMap<object, Readonly<Record<string, readonly string[]>>>();

/** The names of the jobs writing to each storage, by storage id (once per document). */
export function storageUsers(data: ViewData): Readonly<Record<string, readonly string[]>> {
  let users = usersMemo.get(data.doc);
  if (!users) {
    const byId: Record<string, string[]> = {};
    for (const job of data.doc.jobs) if (job.storageId && job.kind === 'backup') (byId[job.storageId] ??= []).push(job.name);
    users = byId;
    usersMemo.set(data.doc, users);
  }
  return users;
}

/** An entry's id within its level: folders and items by id, sources by name. */
export function entryKey(entry: BrowseEntry): string {
  return `${entry.kind}:${entry.id ?? entry.name}`;
}

export function formData(state: AppState, data: ViewData): FormData {
  return { doc: data.doc, connections: data.connections, pickRows: formPickRows(state.size, state.banner) };
}

export function pickerOptions(state: AppState, data: ViewData): readonly PickOption[] {
  const form = state.form;
  const field = form ? focusedPick(form) : undefined;
  return form && field ? visibleOptions(form, field.id, formData(state, data)) : [];
}

/** The headless list the current screen shows, if any (without its items: for the key scopes). */
export function shownList(state: AppState): ListModel | undefined {
  if (state.modal || state.wizard) return undefined;
  if (state.form) {
    const field = focusedPick(state.form);
    return field ? (state.form.picks[field.id]?.list ?? EMPTY_LIST_MODEL) : undefined;
  }
  if (state.view === 'jobs') return state.jobsPane.list;
  if (state.view === 'alerts') return state.alertsPane.list;
  if (state.view === 'storages') return state.storagesPane.list;
  if (state.view === 'browse') return state.browse?.list;
  if (state.view === 'audit') return state.auditPane.list;
  return undefined;
}

/** The list that has the keyboard now, if one of the headless lists does. */
export function activeBinding(state: AppState, data: ViewData): ListBinding | undefined {
  if (state.modal || state.wizard) return undefined;
  const page = tableLayout(state.size, state.banner).rows;
  const form = state.form;
  if (form) {
    const field = focusedPick(form);
    if (!field) return undefined;
    const pick = form.picks[field.id];
    const options = visibleOptions(form, field.id, formData(state, data));
    const list = pick?.list ?? EMPTY_LIST_MODEL;
    return {
      id: 'pick',
      list,
      window: window(options, formPickRows(state.size, state.banner), (o) => o.id),
      multi: field.multi,
      // The form decides what a picker's change means (a ticked source clears its error, touches the form).
      set: (s, next) => (s.form ? { ...s, form: reduceForm(s.form, { type: 'pick', field: field.id, list: next }, formData(s, data)).form } : s),
    };
  }
  switch (state.view) {
    case 'jobs':
      return { id: 'jobs', list: state.jobsPane.list, window: window(visibleJobs(state, data), page, (r) => r.id), multi: false, set: (s, list) => ({ ...s, jobsPane: { ...s.jobsPane, list } }) };
    case 'alerts':
      return { id: 'alerts', list: state.alertsPane.list, window: window(visibleAlerts(state, data), alertsLayout(state.size, state.banner).rows, (a) => a.id), multi: false, set: (s, list) => ({ ...s, alertsPane: { list } }) };
    case 'storages':
      return { id: 'storages', list: state.storagesPane.list, window: window(visibleStorages(state, data), page, (r) => r.id), multi: false, set: (s, list) => ({ ...s, storagesPane: { ...s.storagesPane, list } }) };
    case 'browse': {
      const browse = state.browse;
      if (!browse) return undefined;
      // Browse marks across levels (browse.mark), not in the list.
      return { id: 'browse', list: browse.list, window: window(visibleEntries(state), page, entryKey), multi: false, set: (s, list) => (s.browse ? { ...s, browse: { ...s.browse, list } } : s) };
    }
    case 'audit':
      return { id: 'audit', list: state.auditPane.list, window: window(visibleAudit(state), page, (r) => r.id), multi: false, set: (s, list) => ({ ...s, auditPane: { ...s.auditPane, list } }) };
    default:
      return undefined;
  }
}
