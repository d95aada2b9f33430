import type { KeyName } from './keys.js';

/**
 * The keys of the Jobs and Storages tabs, Browse, and the job and storage wizards: part of the one
 * command map (commands.ts concatenates them), kept here so that each file stays readable.
 */

export type BackupScope =
  | 'job'
  | 'storages'
  | 'browse'
  | 'filterable'
  | 'pick-multi'
  | 'form'
  | 'form-summary'
  | 'form-back'
  | 'form-move'
  | 'form-choice'
  | 'form-text'
  | 'form-busy'
  | 'form-help'
  | 'form-key';

export type BackupCommandId =
  | 'nav.storages'
  | 'jobs.new'
  | 'jobs.open'
  | 'jobs.edit'
  | 'jobs.delete'
  | 'jobs.stop'
  | 'job.run'
  | 'job.stop'
  | 'job.edit'
  | 'job.delete'
  | 'job.close'
  | 'storages.new'
  | 'storages.browse'
  | 'storages.check'
  | 'browse.open'
  | 'browse.up'
  | 'browse.close'
  | 'browse.mark'
  | 'browse.restore'
  | 'browse.export'
  | 'list.filter'
  | 'list.mark'
  | 'form.next'
  | 'form.finish'
  | 'form.cancel'
  | 'form.back'
  | 'form.field-next'
  | 'form.field-previous'
  | 'form.choice-next'
  | 'form.choice-previous'
  | 'form.clear-field'
  | 'form.stop'
  | 'form.help'
  | 'form.leave'
  | 'form.kept';

export interface BackupCommandSpec {
  readonly id: BackupCommandId;
  readonly scope: BackupScope | 'jobs' | 'app';
  readonly keys: readonly KeyName[];
  readonly label: string;
  readonly hint?: string;
  readonly hintKeys?: readonly KeyName[];
}

export const BACKUP_COMMANDS: readonly BackupCommandSpec[] = [
  // The job and storage wizards. Enter, Ctrl-B and Esc work in text fields too; j, k, q and ? never act there.
  { id: 'form.stop', scope: 'form-busy', keys: ['escape'], label: 'Stop what is running', hint: 'stop' },
  { id: 'form.kept', scope: 'form-key', keys: ['return'], label: 'Close: the recovery key is kept safe (it is not shown again)', hint: 'I have kept it' },
  { id: 'form.finish', scope: 'form-summary', keys: ['return'], label: 'Finish: save (nothing is saved before)', hint: 'finish' },
  { id: 'form.next', scope: 'form', keys: ['return'], label: 'Next step (checks the fields first)', hint: 'next' },
  { id: 'form.cancel', scope: 'form', keys: ['escape'], label: 'Cancel the wizard (asks before discarding what you entered)', hint: 'cancel' },
  { id: 'form.back', scope: 'form-back', keys: ['ctrl-b'], label: 'Back to the previous step', hint: 'back' },
  { id: 'form.field-next', scope: 'form-move', keys: ['tab', 'down'], label: 'Next field', hint: 'field', hintKeys: ['tab'] },
  { id: 'form.field-previous', scope: 'form-move', keys: ['shift-tab', 'up'], label: 'Previous field' },
  { id: 'form.choice-next', scope: 'form-choice', keys: ['space', 'right'], label: 'Next option of the highlighted choice', hint: 'choose', hintKeys: ['space'] },
  { id: 'form.choice-previous', scope: 'form-choice', keys: ['left'], label: 'Previous option of the highlighted choice' },
  { id: 'form.clear-field', scope: 'form-text', keys: ['ctrl-u'], label: 'Clear the field (Backspace deletes one character)', hint: 'clear' },
  { id: 'form.help', scope: 'form-help', keys: ['?'], label: 'Show this help (not while typing in a field)', hint: 'help' },
  { id: 'form.leave', scope: 'form-help', keys: ['q'], label: 'Cancel the wizard, as Esc (not while typing in a field)' },

  { id: 'list.mark', scope: 'pick-multi', keys: ['space'], label: 'Tick or untick the highlighted one', hint: 'tick', hintKeys: ['space'] },
  { id: 'list.filter', scope: 'filterable', keys: ['/'], label: 'Filter the list (Enter keeps, Esc clears)', hint: 'filter' },

  { id: 'jobs.new', scope: 'jobs', keys: ['n'], label: 'New job: backup or restore (opens the wizard)', hint: 'new' },
  { id: 'jobs.open', scope: 'jobs', keys: ['return'], label: "The selected job's details: cycle history, errors, live progress", hint: 'details' },
  { id: 'jobs.edit', scope: 'jobs', keys: ['e'], label: 'Edit the selected job (takes effect at its next cycle)', hint: 'edit' },
  { id: 'jobs.stop', scope: 'jobs', keys: ['s'], label: 'Stop the running cycle at the next item (recorded as stopped)', hint: 'stop' },
  { id: 'jobs.delete', scope: 'jobs', keys: ['d'], label: 'Delete the selected job (asks first; its storage keeps the data)', hint: 'delete' },

  { id: 'job.run', scope: 'job', keys: ['r'], label: 'Run this job now', hint: 'run' },
  { id: 'job.stop', scope: 'job', keys: ['s'], label: 'Stop its running cycle at the next item', hint: 'stop' },
  { id: 'job.edit', scope: 'job', keys: ['e'], label: 'Edit this job', hint: 'edit' },
  { id: 'job.delete', scope: 'job', keys: ['d'], label: 'Delete this job (asks first; its storage keeps the data)', hint: 'delete' },
  { id: 'job.close', scope: 'job', keys: ['escape', 'q'], label: 'Back to the list of jobs', hint: 'back' },

  { id: 'storages.browse', scope: 'storages', keys: ['return', 'b'], label: 'Browse the selected storage: sources, folders, items', hint: 'browse' },
  { id: 'storages.new', scope: 'storages', keys: ['n'], label: 'New storage (opens the wizard; shows its recovery key once)', hint: 'new' },
  { id: 'storages.check', scope: 'storages', keys: ['c'], label: 'Check the selected storage: read and authenticate every object', hint: 'check' },

  { id: 'browse.open', scope: 'browse', keys: ['return', 'right'], label: 'Open the highlighted source or folder', hint: 'open' },
  { id: 'browse.up', scope: 'browse', keys: ['backspace', 'left'], label: 'Up one level' },
  { id: 'browse.mark', scope: 'browse', keys: ['space'], label: 'Mark or unmark the highlighted folder or item', hint: 'mark', hintKeys: ['space'] },
  { id: 'browse.restore', scope: 'browse', keys: ['r'], label: 'Restore the marked items (or the highlighted one) into the tenant', hint: 'restore' },
  { id: 'browse.export', scope: 'browse', keys: ['x'], label: 'Export the marked items (or the highlighted one) to a folder on this server', hint: 'export' },
  { id: 'browse.close', scope: 'browse', keys: ['escape', 'q'], label: 'Up one level; at the top, back to Storages', hint: 'back' },

  { id: 'nav.storages', scope: 'app', keys: ['5'], label: 'Go to Storages' },
];

export const BACKUP_SCOPE_TITLES: Readonly<Record<BackupScope, string>> = {
  job: 'Job details',
  storages: 'Storages',
  browse: 'Browse a storage',
  filterable: 'Lists',
  'pick-multi': 'Lists',
  form: 'Job and storage wizards',
  'form-summary': 'Job and storage wizards: Summary',
  'form-back': 'Job and storage wizards',
  'form-move': 'Job and storage wizards',
  'form-choice': 'Job and storage wizards: choices',
  'form-text': 'Job and storage wizards: text fields',
  'form-busy': 'Job and storage wizards: while something runs',
  'form-help': 'Job and storage wizards',
  'form-key': 'New storage: Recovery key',
};
