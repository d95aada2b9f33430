import type { CheckResult } from '../../services/index.js';
import type { AlertCategory } from '../../domain/index.js';
import { COMMANDS, type CommandId } from '../keymap/commands.js';
import type { KeyPress } from '../keymap/keys.js';
import type { Size } from '../layout.js';
import { alertsLayout, notificationsLayout, tableLayout } from '../layout.js';
import { reduceWizard } from '../wizard/reducer.js';
import type { WizardAction, WizardCommand, WizardState, WizardTransition } from '../wizard/types.js';
import { EMPTY_LIST, moveTo } from './list.js';
import type { AppState, CardId, Intent, ListId, ListState, Modal, Notice, ViewData, ViewId } from './types.js';

export type Action =
  | { readonly type: 'command'; readonly command: CommandId }
  | { readonly type: 'filter.edit'; readonly key: KeyPress }
  | { readonly type: 'filter.text'; readonly text: string }
  | { readonly type: 'document'; readonly previous: ViewData }
  | { readonly type: 'resize'; readonly size: Size }
  | { readonly type: 'modal.open'; readonly modal: Modal }
  | { readonly type: 'modal.close' }
  | { readonly type: 'progress'; readonly running: string | undefined; readonly results: readonly CheckResult[] }
  | { readonly type: 'progress.done'; readonly outcome: Notice; readonly results?: readonly CheckResult[] }
  | { readonly type: 'notice'; readonly notice: Notice | undefined }
  | { readonly type: 'busy'; readonly busy: boolean }
  | { readonly type: 'notifications.saved' }
  | { readonly type: 'wizard.open'; readonly wizard: WizardState }
  | { readonly type: 'wizard'; readonly action: WizardAction }
  | { readonly type: 'wizard.close'; readonly notice?: Notice }
  | { readonly type: 'wizard.saved'; readonly notice: Notice; readonly connectionId: string };

export interface Transition {
  readonly state: AppState;
  readonly intents: readonly Intent[];
}

export function initialState(options: { size: Size; banner?: string | undefined; readOnly: boolean }): AppState {
  return {
    view: 'dashboard',
    size: options.size,
    banner: options.banner,
    readOnly: options.readOnly,
    card: 'alerts',
    lists: { connections: EMPTY_LIST, jobs: EMPTY_LIST, alerts: EMPTY_LIST, notifications: EMPTY_LIST },
    filter: { text: '', editing: false },
    notifications: undefined,
    modal: undefined,
    notice: undefined,
    busy: false,
    wizard: undefined,
  };
}

const READ_ONLY_NOTICE: Notice = { tone: 'warning', text: 'The store is open read-only: server connections cannot be created or changed.' };

const WIZARD_COMMANDS: Partial<Record<CommandId, WizardCommand>> = {
  'wizard.next': 'next',
  'wizard.finish': 'next',
  'wizard.back': 'back',
  'wizard.cancel': 'stop',
  'wizard.stop': 'stop',
  'wizard.field-next': 'field-next',
  'wizard.field-previous': 'field-previous',
  'wizard.choice-next': 'choice-next',
  'wizard.choice-previous': 'choice-previous',
  'wizard.choice-down': 'choice-down',
  'wizard.choice-up': 'choice-up',
  'wizard.clear-field': 'clear-field',
  'wizard.scroll-up': 'field-previous',
  'wizard.scroll-down': 'field-next',
};

/** The wizard's own transition, in app terms: its effects become intents for the container. */
function applyWizard(state: AppState, t: WizardTransition): Transition {
  if (t.cancel) {
    // An untouched wizard closes at once; anything entered is only discarded after a yes.
    if (!t.wizard.touched) return same({ ...state, wizard: undefined, notice: { tone: 'info', text: 'Wizard closed; nothing was changed.' } });
    return same({
      ...state,
      wizard: t.wizard,
      modal: {
        kind: 'confirm',
        tone: 'warning',
        title: 'Cancel the wizard',
        text: 'Discard the changes to this connection? Nothing has been saved yet. [y/N]',
        yesLabel: 'Discard',
        noLabel: 'Keep',
        choice: 'no',
        onYes: { type: 'wizard-discard' },
      },
    });
  }
  return { state: t.wizard === state.wizard ? state : { ...state, wizard: t.wizard }, intents: t.effects.map((effect) => ({ type: 'wizard' as const, effect })) };
}

const LIST_OF_VIEW: Readonly<Record<ViewId, ListId | undefined>> = {
  dashboard: undefined,
  connections: 'connections',
  jobs: 'jobs',
  alerts: 'alerts',
  notifications: 'notifications',
};

export function listCount(list: ListId, data: ViewData): number {
  switch (list) {
    case 'connections':
      return data.visibleConnections.length;
    case 'jobs':
      return data.jobs.length;
    case 'alerts':
      return data.alerts.length;
    case 'notifications':
      return data.categories.length;
  }
}

/** Rows of a list on screen at the current size. */
export function listRows(list: ListId, state: Pick<AppState, 'size' | 'banner'>): number {
  switch (list) {
    case 'alerts':
      return alertsLayout(state.size, state.banner).rows;
    case 'notifications':
      return notificationsLayout(state.size, state.banner).rows;
    default:
      return tableLayout(state.size, state.banner).rows;
  }
}

export function cardsFor(data: ViewData): CardId[] {
  return data.summary.jobs.total === 0 ? ['alerts', 'connections', 'jobs', 'start'] : ['alerts', 'connections', 'jobs'];
}

const CARD_VIEW: Readonly<Record<CardId, ViewId>> = { alerts: 'alerts', connections: 'connections', jobs: 'jobs', start: 'connections' };

function same(state: AppState): Transition {
  return { state, intents: [] };
}

function withList(state: AppState, list: ListId, next: ListState): AppState {
  return next === state.lists[list] ? state : { ...state, lists: { ...state.lists, [list]: next } };
}

function go(state: AppState, view: ViewId): AppState {
  if (view === state.view) return state;
  return {
    ...state,
    view,
    notice: undefined,
    filter: { ...state.filter, editing: false },
    // Leaving Notification options by any way but Save discards the form.
    notifications: view === 'notifications' ? state.notifications : undefined,
  };
}

function move(state: AppState, data: ViewData, to: (list: ListState, count: number, page: number) => number): AppState {
  const list = LIST_OF_VIEW[state.view];
  if (!list) return state;
  const count = listCount(list, data);
  const page = listRows(list, state);
  const current = state.lists[list];
  return withList(state, list, moveTo(current, to(current, count, page), count, page));
}

function resetConnectionsCursor(state: AppState): AppState {
  return withList(state, 'connections', EMPTY_LIST);
}

function setFilterText(state: AppState, text: string): AppState {
  if (text === state.filter.text) return state;
  return resetConnectionsCursor({ ...state, filter: { ...state.filter, text } });
}

function closeModal(state: AppState): AppState {
  return state.modal ? { ...state, modal: undefined } : state;
}

function selectedIndex(state: AppState, list: ListId): number {
  return state.lists[list].cursor;
}

function command(state: AppState, id: CommandId, data: ViewData): Transition {
  switch (id) {
    case 'app.quit-now':
    case 'app.quit':
      return { state, intents: [{ type: 'quit' }] };
    case 'app.help':
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
      return same(go(state, CARD_VIEW[state.card]));

    case 'filter.start':
      return same({ ...state, filter: { ...state.filter, editing: true } });
    case 'filter.keep':
      return same({ ...state, filter: { ...state.filter, editing: false } });
    case 'filter.clear':
      return same(setFilterText({ ...state, filter: { ...state.filter, editing: false } }, ''));

    case 'connections.new':
      if (state.readOnly) return same({ ...state, notice: READ_ONLY_NOTICE });
      return same({
        ...state,
        modal: {
          kind: 'menu',
          title: 'New server connection',
          items: [
            { value: 'exchange', label: 'Exchange connection' },
            { value: 'sharepoint', label: 'SharePoint connection' },
          ],
          cursor: 0,
        },
      });
    case 'connections.edit': {
      const row = data.visibleConnections[selectedIndex(state, 'connections')];
      if (!row) return same(state);
      if (state.readOnly) return same({ ...state, notice: READ_ONLY_NOTICE });
      return { state, intents: [{ type: 'open-wizard', open: { mode: 'edit', connectionId: row.id } }] };
    }
    case 'menu.up':
    case 'menu.down': {
      const modal = state.modal;
      if (modal?.kind !== 'menu') return same(state);
      const count = modal.items.length;
      const cursor = (modal.cursor + (id === 'menu.down' ? 1 : count - 1)) % count;
      return same({ ...state, modal: { ...modal, cursor } });
    }
    case 'menu.choose': {
      const modal = state.modal;
      if (modal?.kind !== 'menu') return same(state);
      const item = modal.items[modal.cursor];
      if (!item) return same(closeModal(state));
      return { state: closeModal(state), intents: [{ type: 'open-wizard', open: { mode: 'new', service: item.value } }] };
    }
    case 'menu.close':
      return same(closeModal(state));

    case 'wizard.help':
      return same({ ...state, modal: { kind: 'help', scroll: 0 } });
    case 'wizard.next':
    case 'wizard.finish':
    case 'wizard.back':
    case 'wizard.cancel':
    case 'wizard.stop':
    case 'wizard.field-next':
    case 'wizard.field-previous':
    case 'wizard.choice-next':
    case 'wizard.choice-previous':
    case 'wizard.choice-down':
    case 'wizard.choice-up':
    case 'wizard.clear-field':
    case 'wizard.scroll-up':
    case 'wizard.scroll-down': {
      const command = WIZARD_COMMANDS[id];
      if (!state.wizard || !command) return same(state);
      return applyWizard(state, reduceWizard(state.wizard, { type: 'command', command }));
    }

    case 'connections.test':
    case 'connections.delete': {
      const row = data.visibleConnections[selectedIndex(state, 'connections')];
      if (!row) return same(state);
      if (state.busy) return same({ ...state, notice: { tone: 'warning', text: 'Another operation is still running; wait for it to finish.' } });
      return { state, intents: [id === 'connections.test' ? { type: 'test-connection', connectionId: row.id } : { type: 'request-delete', connectionId: row.id }] };
    }

    case 'alerts.dismiss': {
      const alert = data.alerts[selectedIndex(state, 'alerts')];
      if (!alert) return same(state);
      return { state, intents: [{ type: 'dismiss-alert', alertId: alert.id }] };
    }
    case 'alerts.options': {
      const muted = data.categories.filter((c) => c.muted).map((c) => c.category);
      const next = go(state, 'notifications');
      return same({ ...next, notifications: { muted, basedOn: [...data.doc.notifications.muted] }, lists: { ...next.lists, notifications: EMPTY_LIST } });
    }

    case 'notifications.toggle': {
      const setting = data.categories[selectedIndex(state, 'notifications')];
      if (!setting || !state.notifications) return same(state);
      const muted: AlertCategory[] = state.notifications.muted.includes(setting.category)
        ? state.notifications.muted.filter((c) => c !== setting.category)
        : [...state.notifications.muted, setting.category];
      return same({ ...state, notifications: { ...state.notifications, muted } });
    }
    case 'notifications.save':
      if (!state.notifications) return same(go(state, 'alerts'));
      return { state, intents: [{ type: 'save-notifications', muted: state.notifications.muted, basedOn: state.notifications.basedOn }] };
    case 'notifications.cancel':
      return same(go(state, 'alerts'));

    case 'jobs.run': {
      const row = data.jobs[selectedIndex(state, 'jobs')];
      if (!row) return same(state);
      if (state.busy) return same({ ...state, notice: { tone: 'warning', text: 'Another operation is still running; wait for it to finish.' } });
      return { state, intents: [{ type: 'request-run', jobId: row.id }] };
    }

    case 'confirm.switch':
      return state.modal?.kind === 'confirm' ? same({ ...state, modal: { ...state.modal, choice: state.modal.choice === 'yes' ? 'no' : 'yes' } }) : same(state);
    case 'confirm.choose':
    case 'confirm.yes': {
      const modal = state.modal;
      if (modal?.kind !== 'confirm') return same(state);
      const yes = id === 'confirm.yes' || modal.choice === 'yes';
      return { state: closeModal(state), intents: yes ? [modal.onYes] : [] };
    }
    case 'confirm.no':
    case 'message.close':
    case 'help.close':
      return same(closeModal(state));

    case 'progress.cancel': {
      const modal = state.modal;
      if (modal?.kind !== 'progress') return same(state);
      if (modal.done) return same(closeModal(state));
      return { state: { ...state, modal: { ...modal, cancelling: true } }, intents: [{ type: 'cancel-operation' }] };
    }
    case 'progress.close':
      return state.modal?.kind === 'progress' && state.modal.done ? same(closeModal(state)) : same(state);

    case 'help.up':
    case 'help.down': {
      const modal = state.modal;
      if (modal?.kind !== 'help') return same(state);
      // The overlay never lists more lines than the map has commands (plus titles); stop there.
      const scroll = Math.max(0, Math.min(COMMANDS.length, modal.scroll + (id === 'help.down' ? 1 : -1)));
      return same({ ...state, modal: { ...modal, scroll } });
    }
  }
}

/** Keeps every cursor on the same item (by id) when the document changes, or as close as possible. */
function followDocument(state: AppState, previous: ViewData, data: ViewData): AppState {
  const ids: Record<ListId, (d: ViewData) => readonly string[]> = {
    connections: (d) => d.visibleConnections.map((r) => r.id),
    jobs: (d) => d.jobs.map((r) => r.id),
    alerts: (d) => d.alerts.map((a) => a.id),
    notifications: (d) => d.categories.map((c) => c.category),
  };
  let next = state;
  for (const list of Object.keys(ids) as ListId[]) {
    const current = state.lists[list];
    const before = ids[list](previous)[current.cursor];
    const after = ids[list](data);
    const found = before === undefined ? -1 : after.indexOf(before);
    const target = found >= 0 ? found : current.cursor;
    next = withList(next, list, moveTo(current, target, after.length, listRows(list, state)));
  }
  // How to start disappears once a job exists.
  if (!cardsFor(data).includes(next.card)) next = { ...next, card: 'alerts' };
  return next;
}

function clampAll(state: AppState, data: ViewData): AppState {
  let next = state;
  for (const list of Object.keys(state.lists) as ListId[]) {
    const current = state.lists[list];
    next = withList(next, list, moveTo(current, current.cursor, listCount(list, data), listRows(list, next)));
  }
  return next;
}

export function reduce(state: AppState, action: Action, data: ViewData): Transition {
  switch (action.type) {
    case 'command':
      return command(state, action.command, data);
    case 'filter.edit': {
      const { key } = action;
      if (key.name === 'backspace') return same(setFilterText(state, state.filter.text.slice(0, -1)));
      return key.text ? same(setFilterText(state, state.filter.text + key.text)) : same(state);
    }
    case 'filter.text':
      return same(setFilterText(state, action.text));
    case 'document':
      return same(followDocument(state, action.previous, data));
    case 'resize':
      return same(clampAll({ ...state, size: action.size }, data));
    case 'modal.open':
      return same({ ...state, modal: action.modal });
    case 'modal.close':
      return same(closeModal(state));
    case 'progress': {
      const modal = state.modal;
      if (modal?.kind !== 'progress' || modal.done) return same(state);
      return same({ ...state, modal: { ...modal, running: action.running, results: action.results } });
    }
    case 'progress.done': {
      const modal = state.modal;
      if (modal?.kind !== 'progress') return same({ ...state, notice: action.outcome });
      const { running: _running, ...rest } = modal;
      return same({ ...state, modal: { ...rest, done: true, cancelling: false, outcome: action.outcome, results: action.results ?? modal.results } });
    }
    case 'notice':
      return same({ ...state, notice: action.notice });
    case 'busy':
      return same({ ...state, busy: action.busy });
    case 'notifications.saved':
      return same(go(state, 'alerts'));
    case 'wizard.open':
      return same({ ...state, wizard: action.wizard, modal: undefined, notice: undefined, filter: { ...state.filter, editing: false } });
    case 'wizard':
      return state.wizard ? applyWizard(state, reduceWizard(state.wizard, action.action)) : same(state);
    case 'wizard.close':
      return same({ ...state, wizard: undefined, notice: action.notice ?? state.notice });
    case 'wizard.saved': {
      const next = go({ ...state, wizard: undefined, modal: undefined }, 'connections');
      const index = data.visibleConnections.findIndex((r) => r.id === action.connectionId);
      const moved = index >= 0 ? withList(next, 'connections', moveTo(next.lists.connections, index, data.visibleConnections.length, listRows('connections', next))) : next;
      return same({ ...moved, notice: action.notice });
    }
  }
}
