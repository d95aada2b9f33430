import { storagesOf } from '../../domain/index.js';
import type { ConnectionRow } from '../../services/index.js';
import { filterItems } from '../list/filter.js';
import { EMPTY_LIST_MODEL } from '../list/list.js';
import type { FormData, FormPickId, FormState, PickOption, PickState } from './types.js';

/** What each picker lists: the store's connections and storages, or what the tenant returned. */

export const NEW_CONNECTION = '\u0000new-connection';
export const NEW_STORAGE = '\u0000new-storage';

export const EMPTY_PICK: PickState = { list: EMPTY_LIST_MODEL, loaded: undefined, loading: undefined, failure: undefined, loadedFor: undefined };

/** This version backs up and restores Exchange (online and on-premises) and SharePoint Online. */
function usable(row: ConnectionRow): boolean {
  return !(row.service === 'sharepoint' && row.location === 'onpremises');
}

const memo = new WeakMap<object, PickOption[]>();

function connectionOptions(rows: readonly ConnectionRow[]): PickOption[] {
  let options = memo.get(rows);
  if (!options) {
    options = rows.filter(usable).map((row) => ({
      id: row.id,
      label: row.obsolete ? `${row.name} [obsolete]` : row.name,
      detail: `${row.typeLabel}, ${row.locationLabel}, ${row.authType}`,
      ...(row.obsolete ? { warn: true } : {}),
    }));
    options.push({ id: NEW_CONNECTION, label: 'New server connection…', action: 'new-connection' });
    memo.set(rows, options);
  }
  return options;
}

function storageOptions(doc: FormData['doc']): PickOption[] {
  const storages = storagesOf(doc);
  let options = memo.get(storages);
  if (!options) {
    options = storages.map((s) => ({ id: s.id, label: s.name, detail: `${s.path}, keeps deleted items ${s.retentionDays} days` }));
    options.push({ id: NEW_STORAGE, label: 'New storage…', action: 'new-storage' });
    memo.set(storages, options);
  }
  return options;
}

/** Every option of a picker, before its filter. */
export function pickOptions(form: FormState, field: FormPickId, data: FormData): readonly PickOption[] {
  switch (field) {
    case 'connection':
      return connectionOptions(data.connections);
    case 'storage':
      return storageOptions(data.doc);
    case 'sources':
    case 'targetSource':
      return form.picks[field]?.loaded ?? [];
  }
}

function haystack(option: PickOption): string {
  return `${option.label} ${option.detail ?? ''}`;
}

/** The options the picker shows (after its `/` filter). */
export function visibleOptions(form: FormState, field: FormPickId, data: FormData): readonly PickOption[] {
  const pick = form.picks[field] ?? EMPTY_PICK;
  return filterItems(pickOptions(form, field, data), pick.list.filter.text, haystack);
}

export function pickState(form: FormState, field: FormPickId): PickState {
  return form.picks[field] ?? EMPTY_PICK;
}

/** The option under a single picker's cursor: what it has chosen. */
export function optionUnderCursor(form: FormState, field: FormPickId, data: FormData): PickOption | undefined {
  return visibleOptions(form, field, data)[pickState(form, field).list.cursor];
}
