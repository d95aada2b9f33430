import type { AlertCategory, AuthType } from '../../domain/index.js';
import type { ErrorDescription } from '../../services/index.js';
import { safeText } from '../../text/safe-text.js';
import { cellWidth, fit } from '../../text/cells.js';
import type { Modal, Notice, Operation, OperationResult, Tone } from './types.js';
import { megabytes, plural } from './job-texts.js';

/**
 * Every sentence the panel's state says to the admin (notices, questions, outcomes), in one pure
 * module: the reducer picks them, the views draw them. Names from the store pass through safeText.
 */

export type MessageDialog = Extract<Modal, { kind: 'message' }>;

export const BUSY_NOTICE: Notice = { tone: 'warning', text: 'Another operation is still running; wait for it to finish.' };
export const GONE_NOTICE: Notice = { tone: 'warning', text: 'That server connection no longer exists (another session deleted it).' };
export const EXTERNAL_CHANGE_NOTICE: Notice = { tone: 'info', text: 'Another session changed the store; the view shows the new data.' };
export const WIZARD_CLOSED_NOTICE: Notice = { tone: 'info', text: 'Wizard closed; nothing was changed.' };
export const WIZARD_DISCARDED_NOTICE: Notice = { tone: 'info', text: 'Changes discarded; nothing was saved.' };

/** One line that fits 80 columns: the status line above it names the file. */
export function storeFileNotice(missing: boolean): Notice {
  return missing
    ? { tone: 'error', text: 'The store file is gone: showing the last data; saving is off until it is back.' }
    : { tone: 'info', text: 'The store file is back; saving works again.' };
}

export function readOnlyDialog(reason: string | undefined, change: string): MessageDialog {
  return {
    kind: 'message',
    tone: 'error',
    title: 'The store is read-only',
    text: `${change} would change the store, which is open read-only (${safeText(reason ?? 'by request')}). Nothing was changed.`,
  };
}

export function cannotDeleteDialog(reason: string): MessageDialog {
  return { kind: 'message', tone: 'error', title: 'Cannot delete this server connection', text: safeText(reason) };
}

export function deleteQuestion(name: string, identity: string): Pick<Extract<Modal, { kind: 'confirm' }>, 'title' | 'text' | 'yesLabel' | 'noLabel' | 'tone'> {
  return {
    tone: 'warning',
    title: 'Delete server connection',
    text: `Delete server connection '${safeText(name)}' (${safeText(identity)})? Its stored credentials are removed too. This cannot be undone.`,
    yesLabel: 'Delete',
    noLabel: 'Cancel',
  };
}

export function obsoleteRunQuestion(warning: string): Pick<Extract<Modal, { kind: 'confirm' }>, 'title' | 'text' | 'yesLabel' | 'noLabel' | 'tone'> {
  return { tone: 'warning', title: 'Obsolete server connection', text: safeText(warning), yesLabel: 'Run anyway', noLabel: 'Cancel' };
}

export const DISCARD_WIZARD_QUESTION = {
  tone: 'warning',
  title: 'Cancel the wizard',
  text: 'Discard the changes to this connection? Nothing has been saved yet.',
  yesLabel: 'Discard',
  noLabel: 'Keep',
} as const;

/** Quitting with entered data: asked once; Ctrl-C again (or y) quits. */
export const QUIT_QUESTION = {
  tone: 'warning',
  title: 'Quit backup-panel',
  text: 'Quit and discard what you entered? Nothing has been saved yet. Ctrl-C again quits too.',
  yesLabel: 'Quit',
  noLabel: 'Keep',
} as const;

/** The same question on the too-small notice, where no dialog can be drawn. */
export const QUIT_QUESTION_TOO_SMALL = 'Quit and discard what you entered? Nothing has been saved yet. y or q quits; n keeps it (then enlarge the window).';

/** A save that moves a connection to another tenant; the service's refusal names the jobs. */
export function tenantChangeQuestion(refusal: string): { tone: Tone; title: string; text: string; yesLabel: string; noLabel: string } {
  const text = refusal.replace(/ Nothing was changed; answer Move on the question to move it to the other tenant\.$/, '');
  return { tone: 'warning', title: 'Another tenant', text: `${safeText(text)} Move it to the other tenant?`, yesLabel: 'Move', noLabel: 'Keep' };
}

export function permanentAlertDialog(category: AlertCategory): MessageDialog {
  const cause =
    category === 'obsolete-connection'
      ? 'it goes away when the connection is reconfigured to Modern Authentication or deleted'
      : 'it goes away when the certificate or secret is renewed';
  return {
    kind: 'message',
    tone: 'info',
    title: 'Permanent alert',
    text: `This alert cannot be dismissed: ${cause}. To hide alerts of this kind, mute the category in Notification options (n).`,
  };
}

/** The word for an operation in titles ("Delete failed", "Test cancelled"). */
export const OPERATION_WORDS: Readonly<Record<Operation['kind'], string>> = {
  'delete-connection': 'Delete',
  'dismiss-alert': 'Dismiss',
  'save-notifications': 'Notification options',
  'test-connection': 'Test',
  'delete-job': 'Delete',
  'stop-job': 'Stop',
  'check-storage': 'Check',
  export: 'Export',
  'rename-connection': 'Rename',
};

export function progressTitle(op: Extract<Operation, { kind: 'test-connection' | 'check-storage' | 'export' }>): string {
  switch (op.kind) {
    case 'test-connection':
      return `Testing server connection '${safeText(op.name)}'`;
    case 'check-storage':
      return `Checking storage '${safeText(op.name)}'`;
    case 'export':
      return `Exporting to ${safeText(op.out)}`;
  }
}


/** What an operation that went through says. */
export function outcomeNotice(op: Operation, result: OperationResult): Notice {
  switch (result.kind) {
    case 'delete-connection':
      return { tone: 'success', text: `Server connection '${safeText(result.name)}' deleted.` };
    case 'dismiss-alert':
      // Named, because another session's change can move the selection just before the key lands.
      return { tone: 'success', text: op.kind === 'dismiss-alert' && op.message ? `Alert dismissed: ${safeText(op.message)}` : 'Alert dismissed.' };
    case 'save-notifications': {
      const muted = op.kind === 'save-notifications' ? op.muted.length : 0;
      return { tone: 'success', text: muted ? `Notification options saved; muted: ${plural(muted, 'category', 'categories')}.` : 'Notification options saved; every category is shown.' };
    }
    case 'test-connection': {
      const failed = result.checks.find((c) => c.status === 'fail');
      const warned = result.checks.filter((c) => c.status === 'warn').length;
      if (failed) return { tone: 'error', text: `Test failed at "${safeText(failed.name)}".${result.recorded ? ' A "Connection test failed" alert was added to Bad news.' : ''}` };
      if (warned) return { tone: 'warning', text: `Test passed with ${plural(warned, 'warning', 'warnings')}.` };
      return { tone: 'success', text: result.checks.length === 1 ? 'The check passed.' : `All ${result.checks.length} checks passed.` };
    }
    case 'rename-connection':
      return { tone: 'success', text: `Server connection '${safeText(result.from)}' renamed to '${safeText(result.to)}'.` };
    case 'delete-job':
      return { tone: 'success', text: `Job '${safeText(result.name)}' deleted; its backed-up data stays in the storage.` };
    case 'stop-job':
      return { tone: 'info', text: `Asked job '${safeText(op.kind === 'stop-job' ? op.name : '')}' to stop at the next item; its cycle is recorded as stopped.` };
    case 'check-storage': {
      const r = result.report;
      if (!r.sound) return { tone: 'error', text: `Storage damaged: ${plural(r.problems.length, 'problem', 'problems')} in ${plural(r.files, 'file', 'files')} (listed above).` };
      return { tone: 'success', text: `Storage sound: ${plural(r.files, 'file', 'files')}, ${plural(r.objects, 'object', 'objects')} read and authenticated.` };
    }
    case 'export':
      return {
        tone: result.errors ? 'warning' : 'success',
        text: `Exported ${plural(result.exported, 'item', 'items')} (${megabytes(result.bytes)}) to ${safeText(result.out)}${result.errors ? `; ${plural(result.errors, 'item', 'items')} failed` : ''}.`,
      };
  }
}

/** Any failure of a use case, as a dialog the admin can read and close (never a crash). */
export function errorDialog(error: ErrorDescription, what: string): MessageDialog {
  const title = (() => {
    switch (error.kind) {
      case 'conflict':
        return 'Changed by another session';
      case 'read-only':
        return 'The store is read-only';
      case 'store':
        return error.storeCode === 'key' ? `${what}: the store's key cannot be used` : `${what}: the store could not be saved`;
      case 'refused':
        return `${what}: not allowed`;
      case 'verification-failed':
        return `${what}: verification failed`;
      default:
        return `${what} failed`;
    }
  })();
  return { kind: 'message', tone: 'error', title, text: safeText(error.hint ? `${error.message} ${error.hint}` : error.message) };
}

/**
 * A Microsoft 365 connection still on a password is "legacy (obsolete)"; on-premises "legacy" is
 * how those servers work and is never obsolete.
 */
export function authTypeWords(type: AuthType, obsolete: boolean): string {
  return obsolete && type === 'legacy' ? 'legacy (obsolete)' : type;
}

/**
 * The one-line notice after Finish. It must be read whole at 80 columns: the name gives way (cut
 * with an ellipsis), the jobs' part is left out when it does not fit.
 */
export function savedNotice(mode: 'new' | 'edit-online' | 'edit-onpremises', name: string, type: AuthType, columns = 80, ellipsis = '…'): Notice {
  const room = Math.max(10, columns - 2);
  const say = (template: (shown: string) => string): string => {
    const free = room - cellWidth(template(''));
    return template(fit(safeText(name), Math.max(8, free), ellipsis));
  };
  const choose = (full: (n: string) => string, short: (n: string) => string): string => {
    const fits = cellWidth(full('')) + Math.min(cellWidth(safeText(name)), 24) <= room;
    return say(fits ? full : short);
  };
  if (mode === 'new') return { tone: 'success', text: choose((n) => `Server connection '${n}' created (${type}).`, (n) => `'${n}' created (${type}).`) };
  if (mode === 'edit-online') return { tone: 'success', text: choose((n) => `'${n}' saved: now ${type} (OAuth 2.0); its jobs keep using it.`, (n) => `'${n}' saved: now ${type} (OAuth 2.0).`) };
  return { tone: 'success', text: choose((n) => `'${n}' saved (${type}); its jobs keep using it.`, (n) => `'${n}' saved (${type}).`) };
}

// Jobs, storages and Browse: job-texts.ts.
export * from './job-texts.js';
export const FORM_DISCARDED_NOTICE = WIZARD_DISCARDED_NOTICE;
