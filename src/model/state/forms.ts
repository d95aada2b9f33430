import { focusedFormField } from '../forms/fields.js';
import { openBackupJobForm, openExportForm, openRestoreJobForm, openStorageForm, localStamp } from '../forms/open.js';
import { reduceForm, startForm } from '../forms/reducer.js';
import type { FormCommand, FormState, FormTransition } from '../forms/types.js';
import { placeCursor } from '../list/list.js';
import type { CommandId } from '../keymap/commands.js';
import type { Transition } from './actions.js';
import { same } from './actions.js';
import { startCycle } from './jobs-commands.js';
import { formData, visibleJobs, visibleStorages } from './list-bindings.js';
import { go } from './lists.js';
import { start } from './operations.js';
import { openStorages } from './storage-commands.js';
import { DISCARD_FORM_QUESTION, FORM_DISCARDED_NOTICE, jobSavedNotice, storageReadyNotice, WIZARD_CLOSED_NOTICE } from './texts.js';
import type { AppState, FormOpen, Intent, ViewData } from './types.js';
import { tableLayout } from '../layout.js';

/** The job and storage wizards inside the panel: opening one, its keys, and what it hands back. */

const FORM_COMMANDS: Partial<Record<CommandId, FormCommand>> = {
  'form.next': 'next',
  'form.finish': 'next',
  'form.kept': 'next',
  'form.cancel': 'stop',
  'form.leave': 'stop',
  'form.stop': 'stop',
  'form.back': 'back',
  'form.field-next': 'field-next',
  'form.field-previous': 'field-previous',
  'form.choice-next': 'choice-next',
  'form.choice-previous': 'choice-previous',
  'form.clear-field': 'clear-field',
};

export function isFormCommand(id: CommandId): boolean {
  return FORM_COMMANDS[id] !== undefined;
}

export function openedForm(state: AppState, open: FormOpen, now: Date, data: ViewData): Transition {
  const fd = formData(state, data);
  const form: FormState =
    open.kind === 'backup-job'
      ? openBackupJobForm(now, open.job)
      : open.kind === 'restore-job'
        ? openRestoreJobForm(now, open.what, fd, open.job)
        : open.kind === 'storage'
          ? openStorageForm(localStamp(now))
          : openExportForm(now, open.what);
  const base: AppState = { ...state, modal: undefined, notice: undefined };
  return applyForm(base, startForm(form, fd), data);
}

/** The Jobs list's cursor on a job (its filter cleared, so that it is there). */
function selectJob(state: AppState, data: ViewData, jobId: string): AppState {
  const cleared: AppState = { ...state, jobsPane: { ...state.jobsPane, list: { ...state.jobsPane.list, filter: { text: '', editing: false } } } };
  const rows = visibleJobs(cleared, data);
  const index = rows.findIndex((r) => r.id === jobId);
  if (index < 0) return cleared;
  return { ...cleared, jobsPane: { ...cleared.jobsPane, list: placeCursor(cleared.jobsPane.list, index, { count: rows.length, page: tableLayout(state.size, state.banner).rows }) } };
}

function selectStorage(state: AppState, data: ViewData, storageId: string): AppState {
  const rows = visibleStorages(state, data);
  const index = rows.findIndex((r) => r.id === storageId);
  if (index < 0) return state;
  return { ...state, storagesPane: { ...state.storagesPane, list: placeCursor(state.storagesPane.list, index, { count: rows.length, page: tableLayout(state.size, state.banner).rows }) } };
}

/** Closing a form: one opened from another (New storage inside New backup job) returns to it. */
function closeForm(state: AppState, data: ViewData): Transition {
  const parent = state.form?.parent;
  if (parent) return applyForm({ ...state, form: parent, modal: undefined }, startForm(parent, formData(state, data)), data);
  return { state: { ...state, form: undefined, modal: undefined, notice: WIZARD_CLOSED_NOTICE }, intents: [{ type: 'form', effect: { kind: 'cancel' } }] };
}

/** The form's own transition, in app terms: effects become intents, a finished form hands over. */
export function applyForm(state: AppState, t: FormTransition, data: ViewData): Transition {
  const intents: Intent[] = t.effects.map((effect) => ({ type: 'form', effect }));
  if (t.cancel) {
    if (!t.form.touched) return closeForm({ ...state, form: t.form }, data);
    return same({ ...state, form: t.form, modal: { kind: 'confirm', ...DISCARD_FORM_QUESTION, choice: 'no', onYes: { kind: 'discard-form' } } });
  }
  const done = t.done;
  if (!done) return { state: t.form === state.form ? state : { ...state, form: t.form }, intents };
  switch (done.kind) {
    case 'new-connection': {
      const items = [
        { value: 'exchange', label: 'Exchange connection' },
        { value: 'sharepoint', label: 'SharePoint connection' },
      ] as const;
      return same({ ...state, form: t.form, modal: { kind: 'menu', title: 'New server connection', items, cursor: 0 } });
    }
    case 'job-saved': {
      const closed = selectJob({ ...go({ ...state, form: undefined, modal: undefined }, 'jobs') }, data, done.job.id);
      const saved: AppState = { ...closed, notice: jobSavedNotice(done.mode, done.job.name, done.job.kind) };
      return done.run ? startCycle(saved, data, done.job.id) : same(saved);
    }
    case 'storage-ready': {
      const opened = openStorages({ ...state, form: undefined, modal: undefined });
      return { state: { ...selectStorage(opened.state, data, done.id), notice: storageReadyNotice(done.name) }, intents: opened.intents };
    }
    case 'export':
      return start({ ...state, form: undefined }, { kind: 'export', storageId: done.what.storageId, from: done.what.from, ...(done.what.items ? { items: done.what.items } : {}), out: done.out });
  }
}

export function formCommand(state: AppState, id: CommandId, data: ViewData): Transition {
  const command = FORM_COMMANDS[id];
  if (!state.form || !command) return same(state);
  return applyForm(state, reduceForm(state.form, { type: 'command', command }, formData(state, data)), data);
}

/** Yes to "Discard what you entered?". */
export function discardForm(state: AppState, data: ViewData): Transition {
  const closed = closeForm(state, data);
  return state.form?.parent ? closed : { ...closed, state: { ...closed.state, notice: FORM_DISCARDED_NOTICE } };
}

/** The connection wizard opened from a job form saved a connection: the form resumes on it. */
export function resumeFormWithConnection(state: AppState, connectionId: string, data: ViewData): Transition {
  const form = state.form;
  if (!form) return same(state);
  const picked: FormState = { ...form, picked: { ...form.picked, connection: connectionId }, touched: true };
  return applyForm({ ...state, wizard: undefined, modal: undefined }, startForm(picked, formData(state, data)), data);
}

/** True while a text field of a job or storage wizard has the keyboard. */
export function formTextHasFocus(state: AppState): boolean {
  return state.modal === undefined && state.wizard === undefined && state.form !== undefined && focusedFormField(state.form)?.kind === 'text';
}
