import { BACKUP_COMMANDS, BACKUP_SCOPE_TITLES, type BackupCommandId, type BackupScope } from './backup-commands.js';
import type { KeyName } from './keys.js';
import { AUDIT_COMMANDS, AUDIT_SCOPE_TITLES, type AuditCommandId, type AuditScope } from './audit-commands.js';

/**
 * Where a command applies. The dispatcher asks the layers of the current screen in order (a modal
 * dialog first and alone), so one key can mean different things in different places.
 */
export type Scope =
  | 'always'
  | 'app'
  | 'top'
  | 'back'
  | 'list'
  | 'dashboard'
  | 'connections'
  | 'alerts'
  | 'notifications'
  | 'jobs'
  | 'filter'
  | 'confirm'
  | 'message'
  | 'progress'
  | 'help'
  | 'scroll'
  | 'menu'
  | 'rename'
  | 'wizard'
  | 'wizard-back'
  | 'wizard-move'
  | 'wizard-choice'
  | 'wizard-scroll'
  | 'wizard-page'
  | 'pane-scroll'
  | 'wizard-help'
  | 'wizard-text'
  | 'wizard-busy'
  | 'wizard-summary'
  | BackupScope
  | AuditScope;

export type CommandId =
  | 'app.quit-now'
  | 'app.redraw'
  | 'app.quit'
  | 'app.help'
  | 'nav.back'
  | 'nav.dashboard'
  | 'nav.connections'
  | 'nav.alerts'
  | 'nav.jobs'
  | 'list.up'
  | 'list.down'
  | 'list.page-up'
  | 'list.page-down'
  | 'list.top'
  | 'list.bottom'
  | 'card.next'
  | 'card.previous'
  | 'card.open'
  | 'filter.start'
  | 'filter.keep'
  | 'filter.clear'
  | 'connections.new'
  | 'connections.edit'
  | 'connections.test'
  | 'connections.delete'
  | 'connections.sort'
  | 'connections.rename'
  | 'alerts.dismiss'
  | 'alerts.options'
  | 'notifications.toggle'
  | 'notifications.save'
  | 'notifications.cancel'
  | 'jobs.run'
  | 'confirm.switch'
  | 'confirm.choose'
  | 'confirm.yes'
  | 'confirm.no'
  | 'message.close'
  | 'progress.cancel'
  | 'progress.close'
  | 'help.close'
  | 'scroll.up'
  | 'scroll.down'
  | 'scroll.page-up'
  | 'scroll.page-down'
  | 'scroll.top'
  | 'scroll.bottom'
  | 'menu.up'
  | 'menu.down'
  | 'menu.choose'
  | 'menu.close'
  | 'rename.save'
  | 'rename.cancel'
  | 'rename.clear'
  | 'wizard.next'
  | 'wizard.finish'
  | 'wizard.back'
  | 'wizard.cancel'
  | 'wizard.stop'
  | 'wizard.field-next'
  | 'wizard.field-previous'
  | 'wizard.choice-next'
  | 'wizard.choice-previous'
  | 'wizard.choice-down'
  | 'wizard.choice-up'
  | 'wizard.clear-field'
  | 'wizard.scroll-up'
  | 'wizard.scroll-down'
  | 'wizard.scroll-page-up'
  | 'wizard.scroll-page-down'
  | 'wizard.scroll-top'
  | 'wizard.scroll-bottom'
  | 'pane.scroll-up'
  | 'pane.scroll-down'
  | 'pane.scroll-page-up'
  | 'pane.scroll-page-down'
  | 'pane.scroll-top'
  | 'pane.scroll-bottom'
  | 'wizard.help'
  | 'wizard.leave'
  | BackupCommandId
  | AuditCommandId;

export interface CommandSpec {
  readonly id: CommandId;
  readonly scope: Scope;
  readonly keys: readonly KeyName[];
  /** What it does, for the help overlay. */
  readonly label: string;
  /** One or two words for the footer; commands without one only appear in the help overlay. */
  readonly hint?: string;
  /** Keys to show in the footer when not just the first one (e.g. ↑↓ for "move"). */
  readonly hintKeys?: readonly KeyName[];
}

/** The one command map: the dispatcher, the footer hints and the help overlay all read it. */
export const COMMANDS: readonly CommandSpec[] = [
  { id: 'app.quit-now', scope: 'always', keys: ['ctrl-c'], label: 'Quit now, from anywhere' },
  { id: 'app.redraw', scope: 'always', keys: ['ctrl-l'], label: 'Redraw the whole screen (after another program wrote on it)' },

  { id: 'filter.keep', scope: 'filter', keys: ['return'], label: 'Keep the filter and go back to the list', hint: 'keep' },
  { id: 'filter.clear', scope: 'filter', keys: ['escape'], label: 'Clear the filter', hint: 'clear' },

  { id: 'confirm.switch', scope: 'confirm', keys: ['left', 'right', 'tab', 'shift-tab'], label: 'Switch between the answers', hint: 'switch', hintKeys: ['left', 'right'] },
  { id: 'confirm.choose', scope: 'confirm', keys: ['return'], label: 'Choose the highlighted answer', hint: 'choose' },
  { id: 'confirm.yes', scope: 'confirm', keys: ['y', 'Y'], label: 'Yes, go on', hint: 'yes' },
  { id: 'confirm.no', scope: 'confirm', keys: ['n', 'N', 'escape', 'q'], label: 'No, cancel', hint: 'no', hintKeys: ['n', 'escape'] },

  { id: 'message.close', scope: 'message', keys: ['return', 'escape', 'space', 'q'], label: 'Close the message', hint: 'close', hintKeys: ['return'] },

  { id: 'progress.cancel', scope: 'progress', keys: ['escape'], label: 'Cancel while it runs; close when done', hint: 'cancel/close' },
  { id: 'progress.close', scope: 'progress', keys: ['return', 'q'], label: 'Close when done', hint: 'close' },

  { id: 'help.close', scope: 'help', keys: ['escape', '?', 'q', 'return'], label: 'Close the help', hint: 'close' },

  // The help, a message, a question or a finished check's results when they are taller than the screen.
  { id: 'scroll.up', scope: 'scroll', keys: ['up', 'k'], label: 'Scroll up a line', hint: 'scroll', hintKeys: ['up', 'down'] },
  { id: 'scroll.down', scope: 'scroll', keys: ['down', 'j'], label: 'Scroll down a line' },
  { id: 'scroll.page-up', scope: 'scroll', keys: ['pageup', 'b'], label: 'Scroll up a page' },
  { id: 'scroll.page-down', scope: 'scroll', keys: ['pagedown', 'space'], label: 'Scroll down a page (Space at the end closes a message)', hint: 'page', hintKeys: ['pagedown'] },
  { id: 'scroll.top', scope: 'scroll', keys: ['home', 'g'], label: 'Scroll to the top' },
  { id: 'scroll.bottom', scope: 'scroll', keys: ['end', 'G'], label: 'Scroll to the end' },

  { id: 'menu.up', scope: 'menu', keys: ['up', 'k', 'shift-tab'], label: 'Previous item', hint: 'move', hintKeys: ['up', 'down'] },
  { id: 'menu.down', scope: 'menu', keys: ['down', 'j', 'tab'], label: 'Next item' },
  { id: 'menu.choose', scope: 'menu', keys: ['return', 'space'], label: 'Choose the highlighted item', hint: 'choose' },
  { id: 'menu.close', scope: 'menu', keys: ['escape', 'q'], label: 'Close the menu', hint: 'close' },

  { id: 'rename.save', scope: 'rename', keys: ['return'], label: 'Save the new name', hint: 'save' },
  { id: 'rename.cancel', scope: 'rename', keys: ['escape'], label: 'Cancel: keep the name', hint: 'cancel' },
  { id: 'rename.clear', scope: 'rename', keys: ['ctrl-u'], label: 'Clear the name (Backspace deletes one character)', hint: 'clear' },

  // The connection wizard. Enter, Ctrl-B and Esc work in text fields too; j, k, q and ? never act there.
  { id: 'wizard.stop', scope: 'wizard-busy', keys: ['escape'], label: 'Stop what is running (sign-in, registration, checks)', hint: 'stop' },
  { id: 'wizard.finish', scope: 'wizard-summary', keys: ['return'], label: 'Finish: save the connection (nothing is saved before)', hint: 'finish' },
  { id: 'wizard.next', scope: 'wizard', keys: ['return'], label: 'Next step (checks the fields first)', hint: 'next' },
  { id: 'wizard.cancel', scope: 'wizard', keys: ['escape'], label: 'Cancel the wizard (asks before discarding what you entered)', hint: 'cancel' },
  { id: 'wizard.back', scope: 'wizard-back', keys: ['ctrl-b', 'pageup'], label: 'Back to the previous step', hint: 'back' },
  { id: 'wizard.field-next', scope: 'wizard-move', keys: ['tab', 'down'], label: 'Next field', hint: 'field', hintKeys: ['tab'] },
  { id: 'wizard.field-previous', scope: 'wizard-move', keys: ['shift-tab', 'up'], label: 'Previous field' },
  { id: 'wizard.choice-next', scope: 'wizard-choice', keys: ['space', 'right'], label: 'Next option of the highlighted choice', hint: 'choose', hintKeys: ['space'] },
  { id: 'wizard.choice-previous', scope: 'wizard-choice', keys: ['left'], label: 'Previous option of the highlighted choice' },
  // A step whose only field is a choice (Server location, Application registration) has nothing else
  // for the arrows to move to: there they pick the option, as in any list of radio buttons.
  { id: 'wizard.choice-down', scope: 'wizard-choice', keys: ['down', 'j'], label: 'Next option when the choice is alone on its step, else next field' },
  { id: 'wizard.choice-up', scope: 'wizard-choice', keys: ['up', 'k'], label: 'Previous option when the choice is alone on its step, else previous field' },
  { id: 'wizard.scroll-up', scope: 'wizard-scroll', keys: ['up', 'k'], label: 'Scroll up (steps without fields)', hint: 'scroll', hintKeys: ['up', 'down'] },
  { id: 'wizard.scroll-down', scope: 'wizard-scroll', keys: ['down', 'j'], label: 'Scroll down (steps without fields)' },
  // PgUp at the top goes back a step, as PgUp does on steps with fields.
  { id: 'wizard.scroll-page-up', scope: 'wizard-page', keys: ['pageup'], label: 'Scroll up a page (at the top: back to the previous step)' },
  { id: 'wizard.scroll-page-down', scope: 'wizard-page', keys: ['pagedown'], label: 'Scroll down a page', hint: 'page', hintKeys: ['pagedown'] },
  { id: 'wizard.scroll-page-down', scope: 'wizard-scroll', keys: ['space'], label: 'Scroll down a page (steps without fields)' },
  { id: 'wizard.scroll-top', scope: 'wizard-scroll', keys: ['home', 'g'], label: 'Scroll to the top (steps without fields)' },
  { id: 'wizard.scroll-bottom', scope: 'wizard-scroll', keys: ['end', 'G'], label: 'Scroll to the end (steps without fields)' },
  { id: 'wizard.help', scope: 'wizard-help', keys: ['?'], label: 'Show this help (not while typing in a field)', hint: 'help' },
  { id: 'wizard.leave', scope: 'wizard-help', keys: ['q'], label: 'Cancel the wizard, as Esc (not while typing in a field)' },
  { id: 'wizard.clear-field', scope: 'wizard-text', keys: ['ctrl-u'], label: 'Clear the field (Backspace deletes one character)', hint: 'clear' },

  // A pane that is read, taller than the screen: a job's details, a job or storage wizard's step without fields.
  { id: 'pane.scroll-up', scope: 'pane-scroll', keys: ['up', 'k'], label: 'Scroll up a line', hint: 'scroll', hintKeys: ['up', 'down'] },
  { id: 'pane.scroll-down', scope: 'pane-scroll', keys: ['down', 'j'], label: 'Scroll down a line' },
  { id: 'pane.scroll-page-up', scope: 'pane-scroll', keys: ['pageup'], label: 'Scroll up a page' },
  { id: 'pane.scroll-page-down', scope: 'pane-scroll', keys: ['pagedown', 'space'], label: 'Scroll down a page', hint: 'page', hintKeys: ['pagedown'] },
  { id: 'pane.scroll-top', scope: 'pane-scroll', keys: ['home', 'g'], label: 'Scroll to the top' },
  { id: 'pane.scroll-bottom', scope: 'pane-scroll', keys: ['end', 'G'], label: 'Scroll to the end' },

  { id: 'card.next', scope: 'dashboard', keys: ['tab', 'right', 'down', 'j', 'l'], label: 'Next card', hint: 'next card', hintKeys: ['tab'] },
  { id: 'card.previous', scope: 'dashboard', keys: ['shift-tab', 'left', 'up', 'k', 'h'], label: 'Previous card' },
  { id: 'card.open', scope: 'dashboard', keys: ['return'], label: 'Open the selected card', hint: 'open' },

  { id: 'connections.new', scope: 'connections', keys: ['n'], label: 'New server connection: Exchange or SharePoint (opens the wizard)', hint: 'new' },
  { id: 'connections.edit', scope: 'connections', keys: ['e', 'return'], label: 'Edit the selected connection ([obsolete]: reconfigure to Modern Authentication)', hint: 'edit' },
  { id: 'connections.test', scope: 'connections', keys: ['t'], label: 'Test the selected connection (runs the verification checks)', hint: 'test' },
  { id: 'connections.delete', scope: 'connections', keys: ['d'], label: 'Delete the selected connection (asks first)', hint: 'delete' },
  { id: 'connections.rename', scope: 'connections', keys: ['r'], label: 'Rename the selected connection (id, credential and jobs stay)', hint: 'rename' },
  { id: 'connections.sort', scope: 'connections', keys: ['s'], label: 'Group by tenant, or back to the saved order', hint: 'by tenant' },
  { id: 'filter.start', scope: 'connections', keys: ['/'], label: 'Filter the list (Enter keeps, Esc clears)', hint: 'filter' },

  { id: 'alerts.dismiss', scope: 'alerts', keys: ['x'], label: 'Dismiss the selected event alert', hint: 'dismiss' },
  { id: 'alerts.options', scope: 'alerts', keys: ['n'], label: 'Notification options (mute categories)', hint: 'notification options' },

  { id: 'notifications.toggle', scope: 'notifications', keys: ['space'], label: 'Show or mute the selected category', hint: 'toggle' },
  { id: 'notifications.save', scope: 'notifications', keys: ['return'], label: 'Save the notification options', hint: 'save' },
  { id: 'notifications.cancel', scope: 'notifications', keys: ['escape', 'q'], label: 'Back without saving', hint: 'cancel' },

  { id: 'jobs.run', scope: 'jobs', keys: ['r'], label: 'Run the selected job now', hint: 'run' },
  ...BACKUP_COMMANDS,
  ...AUDIT_COMMANDS,

  { id: 'list.up', scope: 'list', keys: ['up', 'k'], label: 'Move up', hint: 'move', hintKeys: ['up', 'down'] },
  { id: 'list.down', scope: 'list', keys: ['down', 'j'], label: 'Move down' },
  { id: 'list.page-up', scope: 'list', keys: ['pageup', 'ctrl-u'], label: 'Page up' },
  { id: 'list.page-down', scope: 'list', keys: ['pagedown', 'ctrl-d'], label: 'Page down' },
  { id: 'list.top', scope: 'list', keys: ['home', 'g'], label: 'First row' },
  { id: 'list.bottom', scope: 'list', keys: ['end', 'G'], label: 'Last row' },

  // q goes back as in k9s; only on the Dashboard does it quit.
  { id: 'nav.back', scope: 'back', keys: ['escape', 'q'], label: 'Back to the Dashboard', hint: 'back' },
  { id: 'app.quit', scope: 'top', keys: ['q'], label: 'Quit', hint: 'quit' },

  { id: 'nav.dashboard', scope: 'app', keys: ['1'], label: 'Go to the Dashboard' },
  { id: 'nav.connections', scope: 'app', keys: ['2'], label: 'Go to Manage server connections' },
  { id: 'nav.alerts', scope: 'app', keys: ['3'], label: 'Go to Bad news' },
  { id: 'nav.jobs', scope: 'app', keys: ['4'], label: 'Go to Jobs' },
  { id: 'app.help', scope: 'app', keys: ['?'], label: 'Show this help', hint: 'help' },
];

const BY_SCOPE = new Map<Scope, CommandSpec[]>();
for (const spec of COMMANDS) {
  const list = BY_SCOPE.get(spec.scope);
  if (list) list.push(spec);
  else BY_SCOPE.set(spec.scope, [spec]);
}

export function commandsIn(scope: Scope): readonly CommandSpec[] {
  return BY_SCOPE.get(scope) ?? [];
}

/** The first command bound to `key` in the first scope that has one. */
export function resolveKey(scopes: readonly Scope[], key: KeyName): CommandSpec | undefined {
  for (const scope of scopes) {
    const hit = commandsIn(scope).find((spec) => spec.keys.includes(key));
    if (hit) return hit;
  }
  return undefined;
}

export const SCOPE_TITLES: Readonly<Record<Scope, string>> = {
  always: 'Everywhere',
  app: 'Views',
  top: 'Dashboard',
  back: 'Views',
  list: 'Lists',
  dashboard: 'Dashboard',
  connections: 'Manage server connections',
  alerts: 'Bad news',
  notifications: 'Notification options',
  jobs: 'Jobs',
  filter: 'Filter field',
  confirm: 'Questions',
  message: 'Messages',
  progress: 'Checks in progress',
  help: 'Help',
  scroll: 'Scrolling (help, messages, results)',
  menu: 'Menus',
  rename: 'Rename',
  wizard: 'Connection wizard',
  'wizard-back': 'Connection wizard',
  'wizard-move': 'Connection wizard',
  'wizard-choice': 'Connection wizard: choices',
  'wizard-text': 'Connection wizard: text fields',
  'wizard-scroll': 'Connection wizard: steps without fields',
  'wizard-page': 'Connection wizard: steps taller than the screen',
  'pane-scroll': 'Scrolling (job details, wizard steps without fields)',
  'wizard-help': 'Connection wizard',
  'wizard-busy': 'Connection wizard: while something runs',
  'wizard-summary': 'Connection wizard: Summary',
  ...BACKUP_SCOPE_TITLES,
  ...AUDIT_SCOPE_TITLES,
};
