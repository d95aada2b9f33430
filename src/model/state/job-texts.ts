import type { CycleRecord } from '../../domain/index.js';
import { safeText } from '../../text/safe-text.js';
import type { MessageDialog } from './texts.js';
import type { Modal, Notice } from './types.js';

/** The sentences of the Jobs and Storages tabs and Browse (texts.ts has the rest, and re-exports these). */

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

type Question = Pick<Extract<Modal, { kind: 'confirm' }>, 'title' | 'text' | 'yesLabel' | 'noLabel' | 'tone'>;

export function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export const JOB_GONE_NOTICE: Notice = { tone: 'warning', text: 'That job no longer exists (another session deleted it).' };

export function noStorageDialog(name: string): MessageDialog {
  return { kind: 'message', tone: 'error', title: 'No storage', text: `Job '${safeText(name)}' has no storage yet (jobs of the previous version have none): edit it (e) and choose one.` };
}

export function alreadyRunningNotice(name: string, what: string, since: string): Notice {
  return { tone: 'warning', text: `Job '${safeText(name)}' is already running (${safeText(what)}, since ${since.slice(11, 16)}).` };
}

export function notRunningNotice(name: string): Notice {
  return { tone: 'info', text: `Job '${safeText(name)}' is not running.` };
}

export function cycleStartedNotice(name: string): Notice {
  return { tone: 'info', text: `Job '${safeText(name)}' started; its progress shows in the list (s stops it).` };
}

/** How a cycle this panel started ended (its figures are in the job's history too). */
export function cycleEndedNotice(name: string, record: CycleRecord | undefined, error: string | undefined): Notice {
  const job = `Job '${safeText(name)}'`;
  if (!record) return { tone: 'error', text: `${job} did not run: ${safeText(error ?? 'unknown error')}` };
  const items = record.restored ? `${record.restored} restored` : `${record.backedUp} backed up, ${record.removed} removed`;
  const errors = record.errorCount ?? record.errors.length;
  switch (record.result) {
    case 'succeeded':
      return { tone: 'success', text: `${job} succeeded: ${items}, ${megabytes(record.bytes)}.` };
    case 'warning':
      return { tone: 'warning', text: `${job} finished with ${plural(errors, 'error', 'errors')}: ${items} (Enter shows the errors).` };
    case 'stopped':
      return { tone: 'warning', text: `${job} stopped: ${items} before it stopped.` };
    case 'failed':
      return { tone: 'error', text: `${job} failed: ${safeText(record.errors[0]?.message ?? 'see its history')} A "Job failed" alert was added to Bad news.` };
  }
}

export function deleteJobQuestion(name: string, storage: string | undefined): Question {
  const keeps = storage ? `Its backed-up data stays in storage '${safeText(storage)}', where it can still be browsed and restored.` : 'It has no storage, so no backed-up data is affected.';
  return { tone: 'warning', title: 'Delete job', text: `Delete job '${safeText(name)}'? ${keeps} This cannot be undone.`, yesLabel: 'Delete', noLabel: 'Cancel' };
}

export function jobRunningDialog(name: string): MessageDialog {
  return { kind: 'message', tone: 'error', title: 'Cannot delete a running job', text: `Job '${safeText(name)}' is running: stop it first (s), then delete it.` };
}

export function jobSavedNotice(mode: 'new' | 'edit', name: string, kind: 'backup' | 'restore'): Notice {
  const shown = safeText(name);
  if (mode === 'edit') return { tone: 'success', text: `Job '${shown}' saved; the changes take effect at its next cycle.` };
  return { tone: 'success', text: kind === 'restore' ? `Restore job '${shown}' created.` : `Job '${shown}' created; r runs it now.` };
}

export function storageReadyNotice(name: string): Notice {
  return { tone: 'success', text: `Storage '${safeText(name)}' created. Keep its recovery key safe: it is not shown again.` };
}

export const DISCARD_FORM_QUESTION = {
  tone: 'warning',
  title: 'Cancel the wizard',
  text: 'Discard what you entered? Nothing has been saved yet. [y/N]',
  yesLabel: 'Discard',
  noLabel: 'Keep',
} as const;

export function quitQuestion(running: number): Question {
  const cycles = plural(running, 'cycle started here is', 'cycles started here are');
  return { tone: 'warning', title: 'Quit', text: `${cycles} running: quitting stops ${running === 1 ? 'it' : 'them'} at the next item, recorded as stopped. Quit?`, yesLabel: 'Stop and quit', noLabel: 'Stay' };
}

export function stoppingNotice(running: number): Notice {
  return { tone: 'info', text: `Stopping ${plural(running, 'cycle', 'cycles')} at the next item, then quitting…` };
}

export const NO_STORAGES_DIALOG: MessageDialog = {
  kind: 'message',
  tone: 'info',
  title: 'No storage yet',
  text: 'A restore reads from a storage, and there is none yet: create one (Storages, n) and back up into it first.',
};

export const RESTORE_START_NOTICE: Notice = { tone: 'info', text: 'New restore job: choose the storage (Enter browses it), mark items (Space), then r.' };
export const RESTORE_CHOICE_DIALOG: MessageDialog = {
  kind: 'message',
  tone: 'info',
  title: 'Choose what to restore',
  text: 'Open a source (Enter), then mark items (Space) of one source, or mark one folder: r restores them, x exports them.',
};

export function marksClearedNotice(source: string): Notice {
  return { tone: 'info', text: `Marks in '${safeText(source)}' were cleared: a restore takes items of one source.` };
}
