import type { Size } from '../layout.js';
import { reduceWizard } from '../wizard/reducer.js';
import type { Action, Transition } from './actions.js';
import { same } from './actions.js';
import { command, setFilterText } from './commands.js';
import { editRename } from './rename.js';
import { EMPTY_LIST } from './list.js';
import { clampAll, followDocument } from './lists.js';
import { failed, progressed, succeeded } from './operations.js';
import { EXTERNAL_CHANGE_NOTICE, storeFileNotice } from './texts.js';
import type { AppState, ViewData } from './types.js';
import { applyWizard, openedWizard } from './wizard.js';
import { backupEvent, clampHeadless } from './backup-events.js';
import { typeInList } from './list-commands.js';
import { scrolledPane } from './scroll.js';
import { EMPTY_LIST_MODEL } from '../list/list.js';
import { auditAfterDocument, auditEvent, clampAudit, EMPTY_AUDIT_PANE } from './audit.js';

export type { Action, Transition } from './actions.js';
export { cardsFor, listCount, listRows } from './lists.js';

export function initialState(options: { size: Size; banner?: string | undefined; readOnly: boolean; readOnlyReason?: string | undefined }): AppState {
  return {
    view: 'dashboard',
    size: options.size,
    banner: options.banner,
    readOnly: options.readOnly,
    readOnlyReason: options.readOnlyReason,
    card: 'alerts',
    lists: { connections: EMPTY_LIST, alerts: EMPTY_LIST, notifications: EMPTY_LIST },
    filter: { text: '', editing: false },
    notifications: undefined,
    modal: undefined,
    notice: undefined,
    running: undefined,
    wizard: undefined,
    connectionsOrder: 'saved',
    jobsPane: { list: EMPTY_LIST_MODEL, detail: undefined },
    alertsPane: { list: EMPTY_LIST_MODEL },
    storagesPane: { list: EMPTY_LIST_MODEL, figures: {}, loading: false },
    browse: undefined,
    auditPane: EMPTY_AUDIT_PANE,
    live: { runs: {} },
    service: undefined,
    cycles: [],
    form: undefined,
    nextLoadId: 1,
  };
}

/**
 * The panel's one decision maker: every key, store change and effect result goes through here.
 * Pure: the container runs the intents it returns and reports back with actions.
 */
export function reduce(state: AppState, action: Action, data: ViewData): Transition {
  const t = leftPane(reduceAction(state, action, data));
  const after = t.state;
  // A status message belongs to the screen it was said on: another view, a dialog opening or the
  // wizard moving on leaves it behind.
  const moved = after.view !== state.view || (after.modal !== undefined && state.modal === undefined) || (after.wizard !== undefined && after.wizard.view.step !== state.wizard?.view.step);
  return after.notice !== undefined && after.notice === state.notice && moved ? { ...t, state: { ...after, notice: undefined } } : t;
}

/** A scrolled pane left (another job, step or view) is forgotten: coming back starts at its top. */
function leftPane(t: Transition): Transition {
  const scroll = t.state.paneScroll;
  return scroll && scroll.pane !== scrolledPane(t.state) ? { ...t, state: { ...t.state, paneScroll: undefined } } : t;
}

function reduceAction(state: AppState, action: Action, data: ViewData): Transition {
  switch (action.type) {
    case 'command':
      return command(state, action.command, data, action.range);
    case 'text': {
      const { key } = action;
      if (state.modal?.kind === 'rename') {
        const old = state.modal.value;
        const typed = key.text.replace(/\p{Cc}/gu, '');
        return same(key.name === 'backspace' ? editRename(state, old.slice(0, -1), data) : typed ? editRename(state, old + typed, data) : state);
      }
      if (state.wizard) return applyWizard(state, reduceWizard(state.wizard, { type: 'edit', key }), data);
      const list = typeInList(state, key, data);
      if (list) return same(list);
      if (state.form) return backupEvent(state, { type: 'form', action: { type: 'edit', key } }, data);
      if (key.name === 'backspace') return same(setFilterText(state, state.filter.text.slice(0, -1)));
      // Control characters cannot be part of a filter (they would act on the terminal when drawn).
      const typed = key.text.replace(/\p{Cc}/gu, '');
      return same(typed ? setFilterText(state, state.filter.text + typed) : state);
    }
    case 'document': {
      const followed = followDocument(state, action.previous, data);
      return auditAfterDocument(action.external ? { ...followed, notice: EXTERNAL_CHANGE_NOTICE } : followed, action.previous, data);
    }
    case 'store-file':
      // The file itself went away (moved or deleted) or came back: the view keeps the last data it saw.
      return same({ ...state, notice: storeFileNotice(action.missing) });
    case 'resize':
      return same(clampAudit(clampHeadless(clampAll({ ...state, size: action.size }, data), data)));
    case 'operation.progress':
      return same(progressed(state, action));
    case 'operation.done':
      return same(succeeded(state, action));
    case 'operation.failed':
      return failed(state, action.error, action.aborted);
    case 'wizard.open':
      return openedWizard(state, action.open, action.env);
    case 'wizard':
      return state.wizard ? applyWizard(state, reduceWizard(state.wizard, action.action), data) : same(state);
    case 'audit.loaded':
    case 'audit.failed':
      return same(auditEvent(state, action));
    case 'live':
    case 'service':
    case 'storage-figures':
    case 'browse.loaded':
    case 'browse.failed':
    case 'cycle.ended':
    case 'form.open':
    case 'form':
      return backupEvent(state, action, data);
  }
}
