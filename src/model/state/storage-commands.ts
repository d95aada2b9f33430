import { storagesOf } from '../../domain/index.js';
import { clearFilter } from '../list/list.js';
import type { Transition } from './actions.js';
import { same } from './actions.js';
import { browseSelection, browseTo, isDialog, openBrowse, toggleBrowseMark } from './browse.js';
import { visibleEntries, visibleStorages } from './list-bindings.js';
import { go } from './lists.js';
import { refusal, start } from './operations.js';
import { NO_STORAGES_DIALOG, RESTORE_START_NOTICE } from './texts.js';
import type { AppState, ViewData } from './types.js';

/** The Storages tab and Browse: New storage, Check, Browse, marking, Restore and Export. */

export function openStorages(state: AppState): Transition {
  return { state: { ...go(state, 'storages'), storagesPane: { ...state.storagesPane, loading: true } }, intents: [{ type: 'load-storage-figures' }] };
}

/** New restore job from the Jobs tab: the storage is chosen in Storages, the items in Browse. */
export function startRestoreJob(state: AppState, data: ViewData): Transition {
  const storages = storagesOf(data.doc);
  if (storages.length === 0) return same({ ...state, modal: NO_STORAGES_DIALOG });
  const opened = openStorages(state);
  return { state: { ...opened.state, notice: RESTORE_START_NOTICE }, intents: opened.intents };
}

function restoreOrExport(state: AppState, kind: 'restore-job' | 'export'): Transition {
  const browse = state.browse;
  if (!browse) return same(state);
  const refused = kind === 'restore-job' ? refusal(state, 'new-job') : undefined;
  if (refused) return same(refused);
  const what = browseSelection(browse, visibleEntries(state)[browse.list.cursor]);
  if (isDialog(what)) return same({ ...state, modal: what });
  return { state, intents: [{ type: 'open-form', open: kind === 'restore-job' ? { kind, what } : { kind, what } }] };
}

export function storagesCommand(state: AppState, id: string, data: ViewData): Transition | undefined {
  switch (id) {
    case 'nav.storages':
      return openStorages(state);
    case 'storages.new': {
      const refused = refusal(state, 'new-storage');
      return refused ? same(refused) : { state, intents: [{ type: 'open-form', open: { kind: 'storage' } }] };
    }
    case 'storages.browse': {
      const storage = visibleStorages(state, data)[state.storagesPane.list.cursor];
      if (!storage) return same(state);
      const opened = openBrowse(go(state, 'browse'), storage);
      return opened;
    }
    case 'storages.check': {
      const storage = visibleStorages(state, data)[state.storagesPane.list.cursor];
      return storage ? start(state, { kind: 'check-storage', storageId: storage.id, name: storage.name }) : same(state);
    }
    case 'browse.open': {
      const entry = visibleEntries(state)[state.browse?.list.cursor ?? 0];
      if (!entry || entry.kind === 'item') return same(state);
      return browseTo(state, entry);
    }
    case 'browse.up':
      return browseTo(state, undefined);
    case 'browse.close': {
      // Esc takes back the last thing done: a kept filter first, then a level.
      const browse = state.browse;
      if (browse?.list.filter.text) return same({ ...state, browse: { ...browse, list: clearFilter(browse.list) } });
      if (browse?.trail.length) return browseTo(state, undefined);
      return openStorages({ ...state, browse: undefined });
    }
    case 'browse.mark': {
      const browse = state.browse;
      const entry = browse ? visibleEntries(state)[browse.list.cursor] : undefined;
      if (!browse || !entry) return same(state);
      const marked = toggleBrowseMark(browse, entry);
      return same({ ...state, browse: marked.browse, ...(marked.notice ? { notice: marked.notice } : {}) });
    }
    case 'browse.restore':
      return restoreOrExport(state, 'restore-job');
    case 'browse.export':
      return restoreOrExport(state, 'export');
    default:
      return undefined;
  }
}
