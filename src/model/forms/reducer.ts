import { placeCursor } from '../list/list.js';
import { chooseNext, clearFormField, editForm, moveFormFocus, withFormCursor } from './editing.js';
import { formFields, formSteps } from './fields.js';
import { openStorageForm } from './open.js';
import { optionUnderCursor, pickState, visibleOptions } from './options.js';
import { backupInput, editChanges, folderName, formFieldProblem, pickedValue, restoreInput } from './plan.js';
import type { FormAction, FormCommand, FormData, FormEffect, FormFieldId, FormPickId, FormState, FormStepId, FormTransition } from './types.js';

/** The job and storage wizards' state machine: pure; every effect comes back as an action. */

function same(form: FormState, effects: readonly FormEffect[] = []): FormTransition {
  return { form, effects };
}

/** A picker whose options come from the tenant starts loading them (again, for another connection). */
function loadPick(form: FormState, field: FormPickId): FormTransition {
  const connectionId = form.picked.connection;
  const pick = pickState(form, field);
  if (!connectionId || (pick.loadedFor === connectionId && (pick.loaded || pick.loading !== undefined))) return same(form);
  const opId = form.nextOpId;
  const picks = { ...form.picks, [field]: { ...pick, loaded: undefined, loading: opId, failure: undefined, loadedFor: connectionId } };
  return same({ ...form, picks, nextOpId: opId + 1 }, [{ kind: 'load-sources', opId, field, connectionId }]);
}

/** What a step needs on arrival: the picker's cursor on the chosen value, the tenant's list read. */
function arrive(form: FormState, step: FormStepId, data: FormData): FormTransition {
  let next: FormState = withFormCursor({ ...form, step, focus: 0, errors: {}, failure: undefined });
  for (const field of formFields(next)) {
    if (field.kind !== 'pick' || field.multi) continue;
    const chosen = next.picked[field.id];
    const pick = pickState(next, field.id);
    const options = visibleOptions(next, field.id, data);
    const index = chosen === undefined ? -1 : options.findIndex((o) => o.id === chosen);
    if (index >= 0) next = { ...next, picks: { ...next.picks, [field.id]: { ...pick, list: placeCursor(pick.list, index, { count: options.length, page: data.pickRows }) } } };
  }
  if (step === 'sources' && next.choice.scope === 'picked') return loadPick(next, 'sources');
  if (step === 'target' && next.choice.target === 'other') return loadPick(next, 'targetSource');
  return same(next);
}

/** A form as it opens: the step it starts on, arrived at (a picker's cursor on its value). */
export function startForm(form: FormState, data: FormData): FormTransition {
  return arrive(form, form.step, data);
}

function validate(form: FormState, data: FormData): FormState | undefined {
  const errors: Partial<Record<FormFieldId, string>> = {};
  let first = -1;
  formFields(form).forEach((field, index) => {
    const problem = formFieldProblem(form, field.id, data);
    if (problem) {
      errors[field.id] = problem;
      if (first < 0) first = index;
    }
  });
  return first < 0 ? undefined : withFormCursor({ ...form, errors, focus: first, touched: true });
}

/** Single pickers keep the value they show when their step is left. */
function commitPicks(form: FormState, data: FormData): FormState {
  let picked = form.picked;
  for (const field of formFields(form)) {
    if (field.kind === 'pick' && !field.multi) {
      const value = pickedValue(form, field.id, data);
      if (value !== undefined) picked = { ...picked, [field.id]: value };
    }
  }
  return picked === form.picked ? form : { ...form, picked };
}

function advance(form: FormState, data: FormData): FormTransition {
  const steps = formSteps(form);
  const step = steps[steps.indexOf(form.step) + 1];
  return step ? arrive({ ...form, touched: true }, step, data) : same(form);
}

function startSave(form: FormState, kind: 'save' | 'create-storage', effect: (opId: number) => FormEffect): FormTransition {
  const opId = form.nextOpId;
  return same({ ...form, running: { id: opId, kind }, failure: undefined, nextOpId: opId + 1 }, [effect(opId)]);
}

function next(form: FormState, data: FormData): FormTransition {
  if (form.running) return same(form);
  const invalid = validate(form, data);
  if (invalid) return same(invalid);
  const action = form.step === 'connection' || form.step === 'storage' ? optionUnderCursor(form, form.step, data)?.action : undefined;
  if (action === 'new-connection') return { form, effects: [], done: { kind: 'new-connection' } };
  if (action === 'new-storage') return arrive(openStorageForm(form.opened, commitPicks(form, data)), 'location', data);
  const committed = commitPicks(form, data);
  switch (form.step) {
    case 'location':
      return advance(committed.text.storageName.trim() ? committed : { ...committed, text: { ...committed.text, storageName: folderName(committed.text.path) } }, data);
    case 'summary':
      if (form.kind === 'storage') {
        return startSave(committed, 'create-storage', (opId) => ({ kind: 'create-storage', opId, input: { name: committed.text.storageName.trim(), path: committed.text.path.trim(), retentionDays: Number(committed.text.retention.trim()) } }));
      }
      if (form.mode === 'edit' && form.job) {
        const changes = form.kind === 'restore-job' ? { ...editRestore(committed) } : editChanges(committed);
        return startSave(committed, 'save', (opId) => ({ kind: 'edit-job', opId, jobId: form.job?.id ?? '', changes }));
      }
      if (form.kind === 'restore-job') return startSave(committed, 'save', (opId) => ({ kind: 'create-restore-job', opId, input: restoreInput(committed) }));
      return startSave(committed, 'save', (opId) => ({ kind: 'create-job', opId, input: backupInput(committed) }));
    case 'key':
      return finishStorage(form, data);
    case 'folder':
      return form.what ? { form: committed, effects: [], done: { kind: 'export', what: form.what, out: committed.text.out.trim() } } : same(form);
    default:
      return advance(committed, data);
  }
}

function editRestore(form: FormState) {
  const input = restoreInput(form);
  const job = form.job;
  return {
    ...(input.name !== job?.name ? { name: input.name } : {}),
    ...(input.connection !== job?.connectionId ? { connection: input.connection } : {}),
    ...(input.to !== undefined && input.to !== job?.restore?.to ? { to: input.to } : {}),
  };
}

/** The recovery key was shown; the storage is ready. Opened from a job form, that form resumes on it. */
function finishStorage(form: FormState, data: FormData): FormTransition {
  const created = form.created;
  if (!created) return same(form);
  const parent = form.parent;
  if (!parent) return { form, effects: [], done: { kind: 'storage-ready', id: created.id, name: created.name } };
  return arrive({ ...parent, picked: { ...parent.picked, storage: created.id }, touched: true }, 'storage', data);
}

function back(form: FormState, data: FormData): FormTransition {
  if (form.running || form.step === 'key') return same(form);
  const steps = formSteps(form);
  const previous = steps[steps.indexOf(form.step) - 1];
  if (previous) return arrive(commitPicks({ ...form, touched: true }, data), previous, data);
  // The first step of New storage opened from a job form: back to that form.
  if (form.parent) return arrive(form.parent, 'storage', data);
  return same(form);
}

function command(form: FormState, cmd: FormCommand, data: FormData): FormTransition {
  switch (cmd) {
    case 'next':
      return next(form, data);
    case 'back':
      return back(form, data);
    case 'field-next':
      return same(moveFormFocus(form, 1, data));
    case 'field-previous':
      return same(moveFormFocus(form, -1, data));
    case 'choice-next':
    case 'choice-previous': {
      const chosen = chooseNext(form, cmd === 'choice-next' ? 1 : -1);
      if (!chosen) return same(form);
      // Ticking "Picked" or "Another mailbox or site" reads the tenant's list.
      if (chosen.step === 'sources' && chosen.choice.scope === 'picked') return loadPick(chosen, 'sources');
      if (chosen.step === 'target' && chosen.choice.target === 'other') return loadPick(chosen, 'targetSource');
      return same(chosen);
    }
    case 'clear-field':
      return same(clearFormField(form));
    case 'stop':
      // The key is shown once: leaving it takes Enter, which says it was kept. A save is never cut short.
      if (form.step === 'key' || form.running) return same(form);
      return { form, effects: [], cancel: true };
  }
}

function loadingField(form: FormState, opId: number): FormPickId | undefined {
  return (Object.keys(form.picks) as FormPickId[]).find((f) => form.picks[f]?.loading === opId);
}

export function reduceForm(form: FormState, action: FormAction, data: FormData): FormTransition {
  const current = 'opId' in action && form.running?.id === action.opId;
  switch (action.type) {
    case 'command':
      return command(form, action.command, data);
    case 'edit':
      return same(editForm(form, action.key));
    case 'pick': {
      const pick = pickState(form, action.field);
      const { [action.field]: _dropped, ...errors } = form.errors;
      return same({ ...form, picks: { ...form.picks, [action.field]: { ...pick, list: action.list } }, errors, touched: form.touched || action.list.marked !== pick.list.marked });
    }
    case 'sources.loaded': {
      const field = loadingField(form, action.opId);
      if (!field) return same(form);
      const pick = pickState(form, field);
      const loaded = action.sources.map((s) => ({ id: s.name, label: s.name, ...(s.title ? { detail: s.title } : {}) }));
      const next: FormState = { ...form, picks: { ...form.picks, [field]: { ...pick, loaded, loading: undefined, failure: undefined } } };
      return field === 'targetSource' ? arrive(next, next.step, data) : same(next);
    }
    case 'saved':
      if (!current) return same(form);
      return { form: { ...form, running: undefined }, effects: [], done: { kind: 'job-saved', job: action.job, mode: form.mode, run: form.kind === 'restore-job' && form.choice.runNow === 'yes' } };
    case 'storage.created':
      if (!current) return same(form);
      return same({ ...form, running: undefined, step: 'key', focus: 0, recoveryKey: action.recoveryKey, created: action.storage });
    case 'op.failed': {
      const field = loadingField(form, action.opId);
      if (field) {
        const pick = pickState(form, field);
        return same({ ...form, picks: { ...form.picks, [field]: { ...pick, loading: undefined, failure: action.error.message } } });
      }
      if (!current) return same(form);
      const title = form.running?.kind === 'create-storage' ? 'The storage was not created' : 'Not saved';
      return same({ ...form, running: undefined, failure: { title, message: action.error.hint ? `${action.error.message} ${action.error.hint}` : action.error.message } });
    }
  }
}
