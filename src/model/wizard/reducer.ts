import { Secret } from '../../domain/index.js';
import type { KeyPress } from '../keymap/keys.js';
import { fieldsOf, MAX_SCROLL, ONE_WAY_STEPS, scrollMode, stepsOf, TENANT_PLACEHOLDER, type FieldSpec } from './fields.js';
import { appDisplayName, fieldError, planOf, sharePointUrl, signInTenant } from './plan.js';
import type { FieldId, OpKind, SecretFieldId, StepId, TextFieldId, WizardAction, WizardCommand, WizardEffect, WizardFailure, WizardState, WizardTransition } from './types.js';

const SIGN_IN_WAY_OUT = 'Enter signs in again; Ctrl-B goes back to Application registration, where Manual registration is the way round a blocked sign-in.';

function same(wizard: WizardState, effects: readonly WizardEffect[] = []): WizardTransition {
  return { wizard, effects };
}

function cursorAtEnd(w: WizardState): number {
  const field = fieldsOf(w)[w.focus];
  if (field?.kind !== 'text') return 0;
  const value = w.text[field.id];
  const placeholder = value.indexOf(TENANT_PLACEHOLDER);
  return placeholder >= 0 ? placeholder : value.length;
}

function withCursor(w: WizardState): WizardState {
  const cursor = cursorAtEnd(w);
  return cursor === w.cursor ? w : { ...w, cursor };
}

function startOp(w: WizardState, kind: OpKind): { wizard: WizardState; opId: number } {
  const opId = w.nextOpId;
  return { wizard: { ...w, running: { id: opId, kind, cancelling: false }, nextOpId: opId + 1, failure: undefined }, opId };
}

function failureOf(error: unknown): WizardFailure {
  return { title: 'Cannot go on', message: error instanceof Error ? error.message : String(error) };
}

/** Starts what a step does on arrival: the sign-in, or the verification checks. */
function arrive(w: WizardState, step: StepId): WizardTransition {
  const base: WizardState = withCursor({ ...w, step, focus: 0, errors: {}, failure: undefined, scroll: 0 });
  switch (step) {
    case 'sign-in': {
      const reset: WizardState = { ...base, prompt: undefined, session: undefined, registered: undefined, registration: [], checks: [], checksDone: false };
      const { wizard, opId } = startOp(reset, 'sign-in');
      return same(wizard, [{ kind: 'sign-in', opId, tenant: signInTenant(w) }]);
    }
    case 'verify': {
      const reset: WizardState = { ...base, checks: [], checksDone: false, checkRunning: undefined };
      let plan;
      try {
        plan = planOf(reset);
      } catch (error) {
        return same({ ...reset, failure: failureOf(error) });
      }
      const { wizard, opId } = startOp(reset, 'verify');
      return same(wizard, [{ kind: 'verify', opId, plan }]);
    }
    default:
      return same(base);
  }
}

function advance(w: WizardState): WizardTransition {
  const steps = stepsOf(w);
  const next = steps[steps.indexOf(w.step) + 1];
  if (!next) return same(w);
  return arrive({ ...w, touched: true }, next);
}

/** The step Back goes to: the nearest earlier one that is not a one-way step (sign-in, registration). */
export function previousStep(w: WizardState): StepId | undefined {
  const steps = stepsOf(w);
  for (let i = steps.indexOf(w.step) - 1; i >= 0; i -= 1) {
    const step = steps[i];
    if (step && !ONE_WAY_STEPS.has(step)) return step;
  }
  return undefined;
}

function validateStep(w: WizardState): WizardState | undefined {
  const errors: Partial<Record<FieldId, string>> = {};
  let first = -1;
  fieldsOf(w).forEach((field, index) => {
    const problem = fieldError(w, field.id);
    if (problem) {
      errors[field.id] = problem;
      if (first < 0) first = index;
    }
  });
  if (first < 0) return undefined;
  return withCursor({ ...w, errors, focus: first });
}

function next(w: WizardState): WizardTransition {
  if (w.running) return same(w);
  const invalid = validateStep(w);
  if (invalid) return same({ ...invalid, touched: true });
  switch (w.step) {
    case 'app-details': {
      if (w.choices.credentialKind !== 'certificate') return advance(w);
      const path = w.text.certPath.trim();
      const password = w.secrets.certPassword;
      const loaded = w.certificate;
      if (!loaded || loaded.path !== path || loaded.password.reveal() !== password.reveal()) {
        const { wizard, opId } = startOp({ ...w, certificate: undefined, touched: true }, 'certificate');
        return same(wizard, [{ kind: 'load-certificate', opId, path, password }]);
      }
      if (loaded.material.expiresSoon && !loaded.acknowledged) return advance({ ...w, certificate: { ...loaded, acknowledged: true } });
      return advance(w);
    }
    case 'sign-in':
      // Only reachable after a failure or a cancel: sign in again.
      return arrive(w, 'sign-in');
    case 'register':
      return arrive(w, 'sign-in');
    case 'verify':
      if (w.checksDone && !w.checks.some((c) => c.status === 'fail')) return advance(w);
      return arrive(w, 'verify');
    case 'summary': {
      if (!w.checksDone || w.checks.length === 0 || w.checks.some((c) => c.status === 'fail')) return same(w);
      let plan;
      try {
        plan = planOf(w);
      } catch (error) {
        return same({ ...w, failure: failureOf(error) });
      }
      const { wizard, opId } = startOp(w, 'save');
      return same(wizard, [{ kind: 'save', opId, plan, checks: w.checks }]);
    }
    default:
      return advance(w);
  }
}

function back(w: WizardState): WizardTransition {
  // Saving is never interrupted; the store write is short.
  if (w.running?.kind === 'save') return same(w);
  const target = previousStep(w);
  const effects: WizardEffect[] = w.running ? [{ kind: 'cancel' }] : [];
  if (!target) return same(w.running ? { ...w, running: undefined } : w, effects);
  const cleared: WizardState = { ...w, running: undefined, prompt: undefined, checkRunning: undefined, checks: [], checksDone: false, touched: true };
  const { wizard } = arrive(cleared, target);
  return same(wizard, effects);
}

function moveFocus(w: WizardState, by: number): WizardState {
  const fields = fieldsOf(w);
  if (fields.length === 0) {
    const delta = scrollMode(w) === 'log' ? -by : by;
    return { ...w, scroll: Math.max(0, Math.min(MAX_SCROLL, w.scroll + delta)) };
  }
  const current = fields[w.focus];
  let errors = w.errors;
  // Leaving a field checks it at once (an empty one waits for Next).
  if (current && current.kind !== 'choice') {
    const value = current.kind === 'text' ? w.text[current.id].trim() : w.secrets[current.id].isEmpty ? '' : 'x';
    const problem = value && !(current.id === 'spUrl' && value.includes(TENANT_PLACEHOLDER)) ? fieldError(w, current.id) : undefined;
    errors = { ...errors, [current.id]: problem };
  }
  const focus = (w.focus + by + fields.length) % fields.length;
  return withCursor({ ...w, errors, focus });
}

function enabledValues(field: Extract<FieldSpec, { kind: 'choice' }>): string[] {
  return field.options.filter((o) => !o.disabled).map((o) => o.value);
}

function choose(w: WizardState, by: number): WizardState {
  const field = fieldsOf(w)[w.focus];
  if (field?.kind !== 'choice') return w;
  const values = enabledValues(field);
  if (values.length < 2) return w;
  const at = Math.max(0, values.indexOf(w.choices[field.id]));
  const value = values[(at + by + values.length) % values.length];
  const { [field.id]: _dropped, ...errors } = w.errors;
  return { ...w, choices: { ...w.choices, [field.id]: value }, errors, touched: true, failure: undefined };
}

function setText(w: WizardState, id: TextFieldId, value: string, cursor: number): WizardState {
  const { [id]: _dropped, ...errors } = w.errors;
  return { ...w, text: { ...w.text, [id]: value }, cursor, errors, touched: true };
}

function setSecret(w: WizardState, id: SecretFieldId, value: Secret): WizardState {
  const { [id]: _dropped, ...errors } = w.errors;
  return { ...w, secrets: { ...w.secrets, [id]: value }, errors, touched: true };
}

function edit(w: WizardState, key: KeyPress): WizardState {
  if (w.running) return w;
  const field = fieldsOf(w)[w.focus];
  if (!field || field.kind === 'choice') return w;
  // Control characters never enter a field (they would act on the terminal when drawn).
  const typed = key.text.replace(/\p{Cc}/gu, '');
  if (field.kind === 'secret') {
    const old = w.secrets[field.id].reveal();
    if (key.name === 'backspace') return old ? setSecret(w, field.id, new Secret(old.slice(0, -1))) : w;
    return typed ? setSecret(w, field.id, new Secret(old + typed)) : w;
  }
  const value = w.text[field.id];
  const cursor = Math.min(w.cursor, value.length);
  switch (key.name) {
    case 'left':
      return { ...w, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { ...w, cursor: Math.min(value.length, cursor + 1) };
    case 'home':
      return { ...w, cursor: 0 };
    case 'end':
      return { ...w, cursor: value.length };
    case 'backspace': {
      const at = value.indexOf(TENANT_PLACEHOLDER);
      if (at >= 0 && cursor === at) return setText(w, field.id, value.slice(0, Math.max(0, at - 1)) + value.slice(at), Math.max(0, at - 1));
      if (cursor === 0) return w;
      return setText(w, field.id, value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1);
    }
    default: {
      if (!typed) return w;
      const at = value.indexOf(TENANT_PLACEHOLDER);
      // The prefilled https://<tenant>.sharepoint.com: typing fills in the tenant's name.
      if (at >= 0 && cursor === at) return setText(w, field.id, value.slice(0, at) + typed + value.slice(at + TENANT_PLACEHOLDER.length), at + typed.length);
      return setText(w, field.id, value.slice(0, cursor) + typed + value.slice(cursor), cursor + typed.length);
    }
  }
}

function clearField(w: WizardState): WizardState {
  const field = fieldsOf(w)[w.focus];
  if (!field || field.kind === 'choice' || w.running) return w;
  if (field.kind === 'secret') return setSecret(w, field.id, new Secret(''));
  return setText(w, field.id, '', 0);
}

function command(w: WizardState, cmd: WizardCommand): WizardTransition {
  switch (cmd) {
    case 'next':
      return next(w);
    case 'back':
      return back(w);
    case 'field-next':
      return same(moveFocus(w, 1));
    case 'field-previous':
      return same(moveFocus(w, -1));
    case 'choice-next':
      return same(choose(w, 1));
    case 'choice-previous':
      return same(choose(w, -1));
    case 'choice-down':
      return same(fieldsOf(w).length === 1 ? choose(w, 1) : moveFocus(w, 1));
    case 'choice-up':
      return same(fieldsOf(w).length === 1 ? choose(w, -1) : moveFocus(w, -1));
    case 'clear-field':
      return same(clearField(w));
    case 'stop':
      if (!w.running) return { wizard: w, effects: [], cancel: true };
      if (w.running.kind === 'save' || w.running.cancelling) return same(w);
      return same({ ...w, running: { ...w.running, cancelling: true } }, [{ kind: 'cancel' }]);
  }
}

function cancelledFailure(kind: OpKind): WizardFailure | undefined {
  switch (kind) {
    case 'sign-in':
      return { title: 'Sign-in cancelled', message: 'The sign-in was cancelled; nothing was registered and nothing was saved.', wayOut: SIGN_IN_WAY_OUT };
    case 'register':
      return {
        title: 'Registration cancelled',
        message: 'The registration was stopped; nothing was saved. Parts of the app may already exist in Microsoft Entra ID (Enterprise applications); delete them there if you do not try again.',
        wayOut: 'Enter signs in again; Ctrl-B goes back to Application registration.',
      };
    case 'verify':
      return { title: 'Verification cancelled', message: 'The checks were stopped; nothing was saved.', wayOut: 'Enter runs the checks again; Ctrl-B goes back to change the settings.' };
    default:
      return undefined;
  }
}

function isCurrent(w: WizardState, opId: number): boolean {
  return w.running?.id === opId;
}

/** The wizard's state machine: pure, every effect comes back as an action. */
export function reduceWizard(w: WizardState, action: WizardAction): WizardTransition {
  switch (action.type) {
    case 'command':
      return command(w, action.command);
    case 'edit':
      return same(edit(w, action.key));
    case 'permissions':
      return same({ ...w, permissions: action.permissions });
    case 'tick':
      return same(action.now === w.clock ? w : { ...w, clock: action.now });
    case 'certificate.loaded': {
      if (!isCurrent(w, action.opId)) return same(w);
      const loaded = { material: action.material, path: w.text.certPath.trim(), password: w.secrets.certPassword, acknowledged: false };
      const done: WizardState = { ...w, running: undefined, certificate: loaded };
      // Expiring within 30 days: stay to show the warning; Enter again goes on.
      if (action.material.expiresSoon) return same(done);
      return advance(done);
    }
    case 'prompt':
      return same(isCurrent(w, action.opId) ? { ...w, prompt: action.prompt, clock: action.now } : w);
    case 'signed-in': {
      if (!isCurrent(w, action.opId)) return same(w);
      const { wizard, opId } = startOp({ ...w, step: 'register', session: action.session, prompt: undefined, registration: [], focus: 0 }, 'register');
      const siteUrl = w.service === 'sharepoint' ? { siteUrl: sharePointUrl(w) } : {};
      return same(wizard, [{ kind: 'register', opId, session: action.session, service: w.service, displayName: appDisplayName(w), ...siteUrl }]);
    }
    case 'registration.progress': {
      if (!isCurrent(w, action.opId)) return same(w);
      const list = [...w.registration];
      const p = action.progress;
      // The same step reported again (started → done) replaces its line; a new grant adds one.
      const at = list.findIndex((q) => q.step === p.step && !q.done && (p.step !== 'grant' || q.detail === p.detail));
      if (at >= 0) list[at] = p;
      else list.push(p);
      return same({ ...w, registration: list });
    }
    case 'registered':
      if (!isCurrent(w, action.opId)) return same(w);
      return advance({ ...w, running: undefined, registered: action.app });
    case 'checks.progress':
      if (!isCurrent(w, action.opId)) return same(w);
      return same({ ...w, checks: action.results, checkRunning: action.running });
    case 'checks.done':
      if (!isCurrent(w, action.opId)) return same(w);
      return same({ ...w, running: undefined, checks: action.results, checkRunning: undefined, checksDone: true });
    case 'op.failed': {
      if (!isCurrent(w, action.opId)) return same(w);
      const done: WizardState = { ...w, running: undefined, checkRunning: undefined, prompt: undefined, scroll: 0 };
      if (action.field) return same(withCursor({ ...done, errors: { ...done.errors, [action.field]: action.failure.message }, focus: Math.max(0, fieldsOf(done).findIndex((f) => f.id === action.field)) }));
      const wayOut = action.failure.wayOut ?? (w.running?.kind === 'sign-in' || w.running?.kind === 'register' ? SIGN_IN_WAY_OUT : undefined);
      return same({ ...done, failure: { ...action.failure, ...(wayOut ? { wayOut } : {}) } });
    }
    case 'op.cancelled': {
      if (!isCurrent(w, action.opId)) return same(w);
      const failure = w.running ? cancelledFailure(w.running.kind) : undefined;
      return same({ ...w, running: undefined, checkRunning: undefined, prompt: undefined, failure, scroll: 0 });
    }
    case 'saved':
      return same(isCurrent(w, action.opId) ? { ...w, running: undefined } : w);
  }
}
