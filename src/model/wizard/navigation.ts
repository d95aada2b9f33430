import { describeError } from '../../services/describe-error.js';
import { withCursor } from './editing.js';
import { fieldsOf, ONE_WAY_STEPS, stepsOf } from './fields.js';
import { certificateSubject, connectionName, fieldError, generatedForField, planOf, signInTenant } from './plan.js';
import type { FieldId, OpKind, StepId, WizardEffect, WizardState, WizardTransition } from './types.js';
import { NO_OPERATION, NO_PROMPT, NOT_REGISTERED, NOT_VERIFIED } from './types.js';

/** Moving between steps: Next (after checking the step's fields), Back, and what a step starts on arrival. */

export function same(wizard: WizardState, effects: readonly WizardEffect[] = []): WizardTransition {
  return { wizard, effects };
}

export function startOp(w: WizardState, kind: OpKind): { wizard: WizardState; opId: number } {
  const opId = w.nextOpId;
  return { wizard: { ...w, operation: { running: { id: opId, kind, cancelling: false }, failure: undefined }, nextOpId: opId + 1 }, opId };
}

/** Verification and Finish need every input; a missing one (not registered yet…) stops here. */
function withPlan(w: WizardState, then: (plan: ReturnType<typeof planOf>) => WizardTransition): WizardTransition {
  let plan;
  try {
    plan = planOf(w);
  } catch (error) {
    return same({ ...w, operation: { running: undefined, failure: { title: 'Cannot go on', message: describeError(error).message } } });
  }
  return then(plan);
}

/** Arrives at a step, and starts what it does on arrival: the sign-in, or the verification checks. */
export function arrive(w: WizardState, step: StepId): WizardTransition {
  const base: WizardState = withCursor({ ...w, view: { step, focus: 0, cursor: 0, scroll: 0 }, form: { ...w.form, errors: {} }, operation: NO_OPERATION });
  switch (step) {
    case 'sign-in': {
      const { wizard, opId } = startOp({ ...base, signIn: NO_PROMPT, registration: NOT_REGISTERED, verification: NOT_VERIFIED }, 'sign-in');
      return same(wizard, [{ kind: 'sign-in', opId, tenant: signInTenant(w) }]);
    }
    case 'verify': {
      const reset: WizardState = { ...base, verification: NOT_VERIFIED };
      return withPlan(reset, (plan) => {
        const { wizard, opId } = startOp(reset, 'verify');
        return same(wizard, [{ kind: 'verify', opId, plan }]);
      });
    }
    case 'summary':
      // The assigned name follows what was entered until the admin types one.
      // The assigned name as before (issue 16 item 2: "default as today"); one another connection has is warned about.
      return same(base.form.nameEdited ? base : withCursor({ ...base, form: { ...base.form, text: { ...base.form.text, name: connectionName(base) } } }));
    default:
      return same(base);
  }
}

export function advance(w: WizardState): WizardTransition {
  const steps = stepsOf(w);
  const next = steps[steps.indexOf(w.view.step) + 1];
  if (!next) return same(w);
  return arrive({ ...w, form: { ...w.form, touched: true } }, next);
}

/** The step Back goes to: the nearest earlier one that is not a one-way step (sign-in, registration). */
export function previousStep(w: WizardState): StepId | undefined {
  const steps = stepsOf(w);
  for (let i = steps.indexOf(w.view.step) - 1; i >= 0; i -= 1) {
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
  return withCursor({ ...w, form: { ...w.form, errors, touched: true }, view: { ...w.view, focus: first } });
}

function verified(w: WizardState): boolean {
  return w.verification.done && w.verification.checks.length > 0 && !w.verification.checks.some((c) => c.status === 'fail');
}

/**
 * Manual registration with a new certificate: it is made first (the app is registered with it
 * afterwards, so its client ID is not asked for yet); only the file's path must be given.
 */
function generate(w: WizardState): WizardTransition {
  const problem = fieldError(w, 'certOut');
  if (problem) {
    const focus = Math.max(0, fieldsOf(w).findIndex((f) => f.id === 'certOut'));
    return same(withCursor({ ...w, form: { ...w.form, errors: { ...w.form.errors, certOut: problem }, touched: true }, view: { ...w.view, focus } }));
  }
  const { wizard, opId } = startOp({ ...w, form: { ...w.form, certificate: undefined, errors: {}, touched: true } }, 'certificate');
  return same(wizard, [{ kind: 'generate-certificate', opId, path: w.form.text.certOut.trim(), subject: certificateSubject(w) }]);
}

export function next(w: WizardState): WizardTransition {
  if (w.operation.running) return same(w);
  if (w.view.step === 'app-details' && w.form.choices.credentialKind === 'generate' && !generatedForField(w)) return generate(w);
  const invalid = validateStep(w);
  if (invalid) return same(invalid);
  switch (w.view.step) {
    case 'app-details': {
      if (w.form.choices.credentialKind !== 'certificate') return advance(w);
      const path = w.form.text.certPath.trim();
      const password = w.form.secrets.certPassword;
      const loaded = w.form.certificate;
      if (!loaded || loaded.path !== path || loaded.password.reveal() !== password.reveal()) {
        const { wizard, opId } = startOp({ ...w, form: { ...w.form, certificate: undefined, touched: true } }, 'certificate');
        return same(wizard, [{ kind: 'load-certificate', opId, path, password }]);
      }
      if (loaded.material.expiresSoon && !loaded.acknowledged) return advance({ ...w, form: { ...w.form, certificate: { ...loaded, acknowledged: true } } });
      return advance(w);
    }
    case 'sign-in':
    case 'register':
      // Only reachable after a failure or a cancel: sign in again.
      return arrive(w, 'sign-in');
    case 'verify':
      return verified(w) ? advance(w) : arrive(w, 'verify');
    case 'summary':
      if (!verified(w)) return same(w);
      return withPlan(w, (plan) => {
        const { wizard, opId } = startOp(w, 'save');
        return same(wizard, [{ kind: 'save', opId, plan, checks: w.verification.checks }]);
      });
    default:
      return advance(w);
  }
}

export function back(w: WizardState): WizardTransition {
  // Saving is never interrupted; the store write is short.
  if (w.operation.running?.kind === 'save') return same(w);
  const target = previousStep(w);
  const effects: WizardEffect[] = w.operation.running ? [{ kind: 'cancel' }] : [];
  if (!target) return same(w.operation.running ? { ...w, operation: NO_OPERATION } : w, effects);
  const cleared: WizardState = { ...w, operation: NO_OPERATION, signIn: NO_PROMPT, verification: NOT_VERIFIED, form: { ...w.form, touched: true } };
  return same(arrive(cleared, target).wizard, effects);
}
