import type { AlertCategory } from '../../domain/index.js';
import { canDeleteConnection } from '../../domain/index.js';
import type { CommandId } from '../keymap/commands.js';
import { reduceWizard } from '../wizard/reducer.js';
import type { Transition } from './actions.js';
import { same } from './actions.js';
import { EMPTY_LIST } from './list.js';
import { cardsFor, go, move, resetList, selected, switchConnectionsOrder } from './lists.js';
import { refusal, start } from './operations.js';
import { cannotDeleteDialog, deleteQuestion, GONE_NOTICE, permanentAlertDialog, QUIT_QUESTION } from './texts.js';
import type { AppState, CardId, Modal, Request, ViewData, ViewId } from './types.js';
import { applyWizard, discardWizard, isWizardCommand, wizardCommand } from './wizard.js';
import { discardForm, formCommand, isFormCommand } from './forms.js';
import { jobsCommand, startCycle } from './jobs-commands.js';
import { listCommand } from './list-commands.js';
import { startRestoreJob, storagesCommand } from './storage-commands.js';
import { quitQuestion, stoppingNotice } from './texts.js';
import { scrollRange } from './dispatch.js';
import { connectionIdentity, editRename, namedConnections, renameSelected, saveRename } from './rename.js';
import { visibleAlerts } from './list-bindings.js';
import { isPaneScrollCommand, isScrollCommand, isWizardScrollCommand, scrollModal, scrollPane, scrollWizard, type ScrollRange } from './scroll.js';
import { auditCommand } from './audit.js';

/** What each command of the keymap does to the state (the keymap says which keys reach which). */

const CARD_VIEW: Readonly<Record<CardId, ViewId>> = { alerts: 'alerts', connections: 'connections', jobs: 'jobs', start: 'connections' };

export function setFilterText(state: AppState, text: string): AppState {
  if (text === state.filter.text) return state;
  return resetList({ ...state, filter: { ...state.filter, text } }, 'connections');
}

function closeModal(state: AppState): AppState {
  return state.modal ? { ...state, modal: undefined } : state;
}

/** A destructive or doubtful step asks first; the question starts on No. */
function ask(state: AppState, question: Omit<Extract<Modal, { kind: 'confirm' }>, 'kind' | 'choice' | 'onYes'>, onYes: Request): Transition {
  return same({ ...state, modal: { kind: 'confirm', ...question, choice: 'no', onYes } });
}

/** Yes to a question: the request goes through the same checks as a key would (things may have changed). */
export function answerYes(state: AppState, request: Request, data: ViewData): Transition {
  switch (request.kind) {
    case 'discard-wizard':
      return discardWizard(state);
    case 'confirm-tenant-change':
      return state.wizard ? applyWizard(state, reduceWizard(state.wizard, { type: 'tenant-confirmed' }), data) : same(state);
    case 'discard-form':
      return discardForm(state, data);
    case 'run':
      return startCycle(state, data, request.jobId);
    case 'quit':
      return quitNow(state);
    case 'start':
      return start(state, request.op);
  }
}

/** Something entered and not saved: a wizard with data, changed notification options. */
export function hasUnsavedWork(state: AppState): boolean {
  if (state.wizard?.form.touched || state.form?.touched) return true;
  const draft = state.notifications;
  if (draft && (draft.muted.length !== draft.basedOn.length || draft.muted.some((c) => !draft.basedOn.includes(c)))) return true;
  return false;
}

export function isQuitQuestion(modal: Modal | undefined): boolean {
  return modal?.kind === 'confirm' && modal.onYes.kind === 'quit';
}

/** Cycles started here end with the panel: they stop cleanly (at the next item, recorded) first. */
function quitNow(state: AppState): Transition {
  if (!state.cycles.length) return { state, intents: [{ type: 'quit' }] };
  return { state: { ...state, modal: undefined, notice: stoppingNotice(state.cycles.length) }, intents: [{ type: 'quit', stopCycles: true }] };
}

/** q or Ctrl-C: quits at once unless that would discard entered data or stop cycles; then asks once (Ctrl-C again quits). */
function quit(state: AppState): Transition {
  if (isQuitQuestion(state.modal)) return quitNow(state);
  if (state.cycles.length) return ask(state, quitQuestion(state.cycles.length), { kind: 'quit' });
  if (!hasUnsavedWork(state)) return quitNow(state);
  return same({ ...state, modal: { kind: 'confirm', ...QUIT_QUESTION, choice: 'no', onYes: { kind: 'quit' } } });
}

function deleteSelected(state: AppState, data: ViewData): Transition {
  const row = selected(state, 'connections', data.visibleConnections);
  if (!row) return same(state);
  const refused = refusal(state, 'delete-connection');
  if (refused) return same(refused);
  // What the admin is looking at: if the file has moved on since, the delete is refused as stale.
  const connection = data.doc.connections.find((c) => c.id === row.id);
  if (!connection) return same({ ...state, notice: GONE_NOTICE });
  const verdict = canDeleteConnection(data.doc, connection.id);
  if (!verdict.allowed) return same({ ...state, modal: cannotDeleteDialog(verdict.reason) });
  return ask(state, deleteQuestion(connection.displayName, connectionIdentity(row)), { kind: 'start', op: { kind: 'delete-connection', connectionId: connection.id, name: connection.displayName, basedOn: connection } });
}

function editSelected(state: AppState, data: ViewData): Transition {
  const row = selected(state, 'connections', data.visibleConnections);
  if (!row) return same(state);
  const refused = refusal(state, 'edit-connection');
  if (refused) return same(refused);
  // What the admin is looking at is what the edit is based on: a later change elsewhere is a conflict.
  const connection = data.doc.connections.find((c) => c.id === row.id);
  if (!connection) return same({ ...state, notice: GONE_NOTICE });
  return { state, intents: [{ type: 'open-wizard', open: { mode: 'edit', connection, usedBy: row.usedBy, others: namedConnections(data) } }] };
}

function dismissSelected(state: AppState, data: ViewData): Transition {
  const alert = visibleAlerts(state, data)[state.alertsPane.list.cursor];
  if (!alert) return same(state);
  if (alert.permanent) return same({ ...state, modal: permanentAlertDialog(alert.category) });
  return start(state, { kind: 'dismiss-alert', alertId: alert.id, message: alert.message });
}

function openOptions(state: AppState, data: ViewData): AppState {
  const muted = data.categories.filter((c) => c.muted).map((c) => c.category);
  const next = go(state, 'notifications');
  return { ...next, notifications: { muted, basedOn: [...data.doc.notifications.muted] }, lists: { ...next.lists, notifications: EMPTY_LIST } };
}

function toggleOption(state: AppState, data: ViewData): AppState {
  const setting = selected(state, 'notifications', data.categories);
  if (!setting || !state.notifications) return state;
  const muted: AlertCategory[] = state.notifications.muted.includes(setting.category)
    ? state.notifications.muted.filter((c) => c !== setting.category)
    : [...state.notifications.muted, setting.category];
  return { ...state, notifications: { ...state.notifications, muted } };
}

function modalCommand(state: AppState, id: CommandId, data: ViewData): Transition {
  const modal = state.modal;
  switch (id) {
    case 'menu.up':
    case 'menu.down': {
      if (modal?.kind !== 'menu') return same(state);
      const count = modal.items.length;
      return same({ ...state, modal: { ...modal, cursor: (modal.cursor + (id === 'menu.down' ? 1 : count - 1)) % count } });
    }
    case 'menu.choose': {
      const item = modal?.kind === 'menu' ? modal.items[modal.cursor] : undefined;
      if (!item) return same(closeModal(state));
      if (item.value === 'backup-job') return { state: closeModal(state), intents: [{ type: 'open-form', open: { kind: 'backup-job' } }] };
      if (item.value === 'restore-job') return startRestoreJob(closeModal(state), data);
      return { state: closeModal(state), intents: [{ type: 'open-wizard', open: { mode: 'new', service: item.value, others: namedConnections(data) } }] };
    }
    case 'confirm.switch':
      return same(modal?.kind === 'confirm' ? { ...state, modal: { ...modal, choice: modal.choice === 'yes' ? 'no' : 'yes' } } : state);
    case 'confirm.choose':
    case 'confirm.yes': {
      if (modal?.kind !== 'confirm') return same(state);
      const yes = id === 'confirm.yes' || modal.choice === 'yes';
      return yes ? answerYes(closeModal(state), modal.onYes, data) : same(closeModal(state));
    }
    case 'progress.cancel':
      if (modal?.kind !== 'progress') return same(state);
      if (modal.done) return same(closeModal(state));
      return { state: { ...state, modal: { ...modal, cancelling: true } }, intents: [{ type: 'cancel-operation' }] };
    case 'rename.save':
      return saveRename(state, data);
    case 'rename.clear':
      return same(editRename(state, '', data));
    case 'progress.close':
      return same(modal?.kind === 'progress' && modal.done ? closeModal(state) : state);
    default:
      // menu.close, confirm.no, message.close, help.close
      return same(closeModal(state));
  }
}

export function command(state: AppState, id: CommandId, data: ViewData, range?: ScrollRange): Transition {
  if (isWizardScrollCommand(id)) {
    const scrolled = scrollWizard(state, id, range);
    return scrolled ? same(scrolled) : wizardCommand(state, 'wizard.back', data);
  }
  if (isPaneScrollCommand(id)) return same(scrollPane(state, id, range));
  if (isWizardCommand(id)) return wizardCommand(state, id, data);
  if (isScrollCommand(id)) return same(scrollModal(state, id, scrollRange(state)));
  if (isFormCommand(id)) return formCommand(state, id, data);
  const headless = listCommand(state, id, data) ?? jobsCommand(state, id, data) ?? storagesCommand(state, id, data) ?? auditCommand(state, id);
  if (headless) return headless;
  switch (id) {
    case 'app.redraw':
      return { state, intents: [{ type: 'redraw' }] };
    case 'app.quit-now':
    case 'app.quit':
      return quit(state);
    case 'app.help':
    case 'wizard.help':
    case 'form.help':
      return same({ ...state, modal: { kind: 'help', scroll: 0 } });

    case 'nav.back':
      if (state.view === 'connections' && state.filter.text) return same(setFilterText(state, ''));
      return same(go(state, 'dashboard'));
    case 'nav.dashboard':
      return same(go(state, 'dashboard'));
    case 'nav.connections':
      return same(go(state, 'connections'));
    case 'nav.alerts':
      return same(go(state, 'alerts'));
    case 'nav.jobs':
      return same(go(state, 'jobs'));

    case 'list.up':
      return same(move(state, data, (l) => l.cursor - 1));
    case 'list.down':
      return same(move(state, data, (l) => l.cursor + 1));
    case 'list.page-up':
      return same(move(state, data, (l, _c, page) => l.cursor - page));
    case 'list.page-down':
      return same(move(state, data, (l, _c, page) => l.cursor + page));
    case 'list.top':
      return same(move(state, data, () => 0));
    case 'list.bottom':
      return same(move(state, data, (_l, count) => count - 1));

    case 'card.next':
    case 'card.previous': {
      const cards = cardsFor(data);
      const at = Math.max(0, cards.indexOf(state.card));
      const step = id === 'card.next' ? 1 : cards.length - 1;
      return same({ ...state, card: cards[(at + step) % cards.length] ?? 'alerts' });
    }
    case 'card.open':
      // How to start opens the New backup job wizard.
      if (state.card === 'start') return jobsCommand(state, 'jobs.new-backup', data) ?? same(state);
      return same(go(state, CARD_VIEW[state.card]));

    case 'filter.start':
      return same({ ...state, filter: { ...state.filter, editing: true } });
    case 'filter.keep':
      return same({ ...state, filter: { ...state.filter, editing: false } });
    case 'filter.clear':
      return same(setFilterText({ ...state, filter: { ...state.filter, editing: false } }, ''));

    case 'connections.new': {
      const refused = refusal(state, 'new-connection');
      if (refused) return same(refused);
      const items = [
        { value: 'exchange', label: 'Exchange connection' },
        { value: 'sharepoint', label: 'SharePoint connection' },
      ] as const;
      return same({ ...state, modal: { kind: 'menu', title: 'New server connection', items, cursor: 0 } });
    }
    case 'connections.edit':
      return editSelected(state, data);
    case 'connections.test': {
      const row = selected(state, 'connections', data.visibleConnections);
      return row ? start(state, { kind: 'test-connection', connectionId: row.id, name: row.name }) : same(state);
    }
    case 'connections.delete':
      return deleteSelected(state, data);
    case 'connections.sort':
      return same(switchConnectionsOrder(state, data));
    case 'connections.rename':
      return renameSelected(state, data);

    case 'alerts.dismiss':
      return dismissSelected(state, data);
    case 'alerts.options':
      return same(openOptions(state, data));
    case 'notifications.toggle':
      return same(toggleOption(state, data));
    case 'notifications.save':
      if (!state.notifications) return same(go(state, 'alerts'));
      return start(state, { kind: 'save-notifications', muted: state.notifications.muted, basedOn: state.notifications.basedOn });
    case 'notifications.cancel':
      return same(go(state, 'alerts'));

    default:
      return modalCommand(state, id, data);
  }
}
