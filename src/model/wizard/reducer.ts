import { choose, clearField, edit, moveFocus, withCursor } from './editing.js';
import { fieldsOf } from './fields.js';
import { failureOf } from './messages.js';
import { advance, back, next, same, startOp } from './navigation.js';
import { appDisplayName, planOf, sharePointUrl } from './plan.js';
import type { OpKind, WizardAction, WizardCommand, WizardFailure, WizardState, WizardTransition } from './types.js';
import { NO_OPERATION, NO_PROMPT } from './types.js';

export { previousStep } from './navigation.js';

const SIGN_IN_WAY_OUT = 'Enter signs in again; Ctrl-B goes back to Application registration, where Manual registration is the way round a blocked sign-in.';
const SAVE_CONFLICT_WAY_OUT = 'Nothing you entered is lost: Esc cancels the wizard; open Edit again to start from what is saved now.';

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
    case 'stop': {
      const running = w.operation.running;
      if (!running) return { wizard: w, effects: [], cancel: true };
      if (running.kind === 'save' || running.cancelling) return same(w);
      return same({ ...w, operation: { ...w.operation, running: { ...running, cancelling: true } } }, [{ kind: 'cancel' }]);
    }
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

/** The operation ended because the admin stopped it: say so on the step. */
function cancelled(w: WizardState): WizardState {
  const failure = w.operation.running ? cancelledFailure(w.operation.running.kind) : undefined;
  return { ...w, operation: { running: undefined, failure }, signIn: NO_PROMPT, verification: { ...w.verification, running: undefined }, view: { ...w.view, scroll: 0 } };
}

function failed(w: WizardState, action: Extract<WizardAction, { type: 'op.failed' }>): WizardTransition {
  const kind = w.operation.running?.kind ?? 'verify';
  // A save is never stopped half-way; anything else that ends after a stop was cancelled.
  if (kind !== 'save' && (action.aborted || action.error.kind === 'cancelled' || w.operation.running?.cancelling)) return same(cancelled(w));
  const failure = failureOf(action.error, kind);
  const done: WizardState = { ...w, operation: NO_OPERATION, signIn: NO_PROMPT, verification: { ...w.verification, running: undefined }, view: { ...w.view, scroll: 0 } };
  if (kind === 'certificate') {
    const field = done.form.choices.credentialKind === 'generate' ? 'certOut' : 'certPath';
    const focus = Math.max(0, fieldsOf(done).findIndex((f) => f.id === field));
    return same(withCursor({ ...done, form: { ...done.form, errors: { ...done.form.errors, [field]: failure.message } }, view: { ...done.view, focus } }));
  }
  const conflict = action.error.kind === 'conflict';
  const wayOut = kind === 'save' && conflict ? SAVE_CONFLICT_WAY_OUT : kind === 'sign-in' || kind === 'register' ? SIGN_IN_WAY_OUT : undefined;
  // The store moved on under the wizard: show what is really saved (the wizard keeps what was entered).
  return same({ ...done, operation: { running: undefined, failure: { ...failure, ...(wayOut ? { wayOut } : {}) } } }, conflict ? [{ kind: 'reload-store' }] : []);
}

/** The wizard's state machine: pure, every effect comes back as an action. */
export function reduceWizard(w: WizardState, action: WizardAction): WizardTransition {
  const current = 'opId' in action && w.operation.running?.id === action.opId;
  switch (action.type) {
    case 'command':
      return command(w, action.command);
    case 'edit':
      return same(edit(w, action.key));
    case 'permissions':
      return same({ ...w, permissions: action.permissions });
    case 'tick':
      return same(action.now === w.signIn.clock ? w : { ...w, signIn: { ...w.signIn, clock: action.now } });
    case 'certificate.loaded': {
      if (!current) return same(w);
      // Reading a file cannot be interrupted: a stop asked for meanwhile wins over its result.
      if (w.operation.running?.cancelling) return same(cancelled(w));
      if (action.generatedTo !== undefined) {
        // Generated: stay, so the admin reads where the public file is, uploads it and gives the client ID.
        const made = {
          material: action.material,
          path: w.form.text.certOut.trim(),
          password: w.form.secrets.certPassword,
          acknowledged: true,
          generatedTo: action.generatedTo,
          ...(action.addedToDemoApp ? { addedToDemoApp: true } : {}),
        };
        const focus = Math.max(0, fieldsOf(w).findIndex((f) => f.id === 'clientId'));
        return same(withCursor({ ...w, operation: NO_OPERATION, form: { ...w.form, certificate: made }, view: { ...w.view, focus } }));
      }
      const loaded = { material: action.material, path: w.form.text.certPath.trim(), password: w.form.secrets.certPassword, acknowledged: false };
      const done: WizardState = { ...w, operation: NO_OPERATION, form: { ...w.form, certificate: loaded } };
      // Expiring within 30 days: stay to show the warning; Enter again goes on.
      return action.material.expiresSoon ? same(done) : advance(done);
    }
    case 'prompt':
      return same(current ? { ...w, signIn: { prompt: action.prompt, clock: action.now } } : w);
    case 'signed-in': {
      if (!current) return same(w);
      const signedIn: WizardState = { ...w, view: { ...w.view, step: 'register', focus: 0 }, signIn: NO_PROMPT, registration: { session: action.session, steps: [], app: undefined } };
      const { wizard, opId } = startOp(signedIn, 'register');
      const siteUrl = w.service === 'sharepoint' ? { siteUrl: sharePointUrl(w) } : {};
      return same(wizard, [{ kind: 'register', opId, session: action.session, service: w.service, displayName: appDisplayName(w), ...siteUrl }]);
    }
    case 'registration.progress': {
      if (!current) return same(w);
      const steps = [...w.registration.steps];
      const p = action.progress;
      // The same step reported again (started → done) replaces its line; a new grant adds one.
      const at = steps.findIndex((q) => q.step === p.step && !q.done && (p.step !== 'grant' || q.detail === p.detail));
      if (at >= 0) steps[at] = p;
      else steps.push(p);
      return same({ ...w, registration: { ...w.registration, steps } });
    }
    case 'registered':
      if (!current) return same(w);
      return advance({ ...w, operation: NO_OPERATION, registration: { ...w.registration, app: action.app } });
    case 'checks.progress':
      if (!current) return same(w);
      return same({ ...w, verification: { ...w.verification, checks: action.results, running: action.running } });
    case 'checks.done':
      if (!current) return same(w);
      if (w.operation.running?.cancelling) return same(cancelled(w));
      return same({ ...w, operation: NO_OPERATION, verification: { checks: action.results, running: undefined, done: true } });
    case 'op.failed':
      return current ? failed(w, action) : same(w);
    case 'saved':
      return current ? { wizard: { ...w, operation: NO_OPERATION }, effects: [], saved: action.connection } : same(w);
    case 'tenant-change':
      return current ? { wizard: { ...w, operation: NO_OPERATION }, effects: [], askTenantChange: action.text } : same(w);
    case 'tenant-confirmed': {
      if (w.operation.running || w.view.step !== 'summary') return same(w);
      let plan;
      try {
        plan = planOf(w);
      } catch {
        return same(w);
      }
      const { wizard, opId } = startOp(w, 'save');
      return same(wizard, [{ kind: 'save', opId, plan: plan.mode === 'edit-online' ? { ...plan, allowTenantChange: true } : plan, checks: w.verification.checks }]);
    }
  }
}
