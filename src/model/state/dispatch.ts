import type { CommandSpec, Scope } from '../keymap/commands.js';
import { commandsIn, resolveKey } from '../keymap/commands.js';
import type { KeyName } from '../keymap/keys.js';
import { isTooSmall } from '../layout.js';
import { choicesOnly, fieldsOf, focusedField, scrollMode, textHasFocus } from '../wizard/fields.js';
import type { WizardState } from '../wizard/types.js';
import { canScroll, helpLineCount, modalScrollRange, type ScrollRange } from './scroll.js';
import type { AppState } from './types.js';
import { focusedFormField } from '../forms/fields.js';
import type { FormState } from '../forms/types.js';
import { shownList } from './list-bindings.js';

/** True while a filter field owns the keyboard: printable keys are text, not commands. */
export function filterHasFocus(state: AppState): boolean {
  if (state.modal !== undefined || state.wizard !== undefined) return false;
  if (shownList(state)?.filter.editing) return true;
  return state.form === undefined && state.view === 'connections' && state.filter.editing;
}

function formScopes(form: FormState): Scope[] {
  if (form.running) return ['always', 'form-busy'];
  if (form.step === 'key') return ['always', 'form-key', 'pane-scroll'];
  const first: Scope[] = form.step === 'summary' ? ['always', 'form-summary'] : ['always'];
  const field = focusedFormField(form);
  if (!field) return [...first, 'form', 'pane-scroll', 'form-back', 'form-help'];
  if (field.kind === 'choice') return [...first, 'form', 'form-back', 'form-choice', 'form-move', 'form-help'];
  if (field.kind === 'text') return [...first, 'form', 'form-back', 'form-move', 'form-text'];
  // A picker's list takes ↑↓, PgUp/PgDn, Space and /; Tab still moves between fields.
  return [...first, 'filterable', ...(field.multi ? (['pick-multi'] as const) : []), 'list', 'form', 'form-back', 'form-move', 'form-help'];
}

/** True while a text field of a job or storage wizard owns the keyboard. */
function formTextHasFocus(state: AppState): boolean {
  return state.modal === undefined && state.wizard === undefined && state.form !== undefined && !isTooSmall(state.size) && focusedFormField(state.form)?.kind === 'text';
}

/** The device code's time left is drawn from a clock that ticks while the code is shown. */
export function wantsClock(state: AppState): boolean {
  const w = state.wizard;
  return w !== undefined && w.view.step === 'sign-in' && w.signIn.prompt !== undefined && w.operation.running !== undefined;
}

/** True while a text field of the connection wizard owns the keyboard. */
export function wizardTextHasFocus(state: AppState): boolean {
  return state.modal === undefined && state.wizard !== undefined && !isTooSmall(state.size) && textHasFocus(state.wizard);
}

function wizardScopes(w: WizardState): Scope[] {
  if (w.operation.running) return ['always', 'wizard-busy', 'wizard-back'];
  const first: Scope[] = w.view.step === 'summary' ? ['always', 'wizard-summary'] : ['always'];
  const field = focusedField(w);
  // PgUp/PgDn page a step that is read rather than filled in (before wizard-back: PgUp at its top goes back).
  if (!field) return [...first, 'wizard', 'wizard-page', 'wizard-scroll', 'wizard-back', 'wizard-help'];
  // Radio groups only: ↑↓ j k Space pick, PgDn/PgUp (at the top: Back) and Home/End scroll the text.
  if (choicesOnly(w)) return [...first, 'wizard', 'wizard-page', 'wizard-back', 'wizard-choice', 'wizard-move', 'wizard-scroll', 'wizard-help'];
  if (field.kind === 'choice') return [...first, 'wizard', 'wizard-back', 'wizard-choice', 'wizard-move', 'wizard-help'];
  // The Summary: its one field (the name) keeps Space, Home and End; PgUp/PgDn page what it says.
  const paged: Scope[] = fieldsOf(w).length === 1 && scrollMode(w) !== 'fields' ? ['wizard-page'] : [];
  return [...first, 'wizard', ...paged, 'wizard-back', 'wizard-move', 'wizard-text'];
}

/**
 * The layers that may handle a key, most specific first. A modal dialog is alone on top (plus
 * Ctrl-C); a focused text field takes every key it does not explicitly give back.
 */
export function activeScopes(state: AppState): Scope[] {
  // Nothing is drawn below the minimum size, so nothing may be acted on either; q still quits.
  if (isTooSmall(state.size)) return state.modal?.kind === 'confirm' && state.modal.onYes.kind === 'quit' ? ['always', 'confirm', 'top'] : ['always', 'top'];
  if (state.modal) {
    if (!canScroll(scrollRange(state))) return ['always', state.modal.kind];
    // Space pages a long message rather than closing it (at its end it closes).
    return state.modal.kind === 'message' ? ['always', 'scroll', 'message'] : ['always', state.modal.kind, 'scroll'];
  }
  if (state.wizard) return wizardScopes(state.wizard);
  if (filterHasFocus(state)) return ['always', 'filter'];
  if (state.form) return formScopes(state.form);
  if (state.view === 'dashboard') return ['always', 'dashboard', 'top', 'app'];
  if (state.view === 'notifications') return ['always', 'notifications', 'list', 'app'];
  if (state.view === 'job') return ['always', 'job', 'pane-scroll', 'back', 'app'];
  if (state.view === 'jobs' || state.view === 'alerts' || state.view === 'storages' || state.view === 'browse' || state.view === 'audit') return ['always', state.view, 'filterable', 'list', 'back', 'app'];
  return ['always', state.view, 'list', 'back', 'app'];
}

export type Resolution = { readonly kind: 'command'; readonly spec: CommandSpec } | { readonly kind: 'text' } | { readonly kind: 'none' };

export function resolve(state: AppState, key: KeyName): Resolution {
  const spec = resolveKey(activeScopes(state), key);
  if (spec) return { kind: 'command', spec };
  return typingHasFocus(state) ? { kind: 'text' } : { kind: 'none' };
}

/** Whether typed characters go into a field (a filter, a wizard's or a form's text, a rename). */
export function typingHasFocus(state: AppState): boolean {
  return filterHasFocus(state) || wizardTextHasFocus(state) || formTextHasFocus(state) || state.modal?.kind === 'rename';
}

/**
 * Footer hints for the current layers, most specific first. A command whose every key a more
 * specific layer has taken is left out (on the Summary, Enter means Finish, not Next).
 */
export function hintsFor(state: AppState): CommandSpec[] {
  const taken = new Set<string>();
  const hints: CommandSpec[] = [];
  for (const scope of activeScopes(state)) {
    if (scope === 'always') continue;
    for (const spec of commandsIn(scope)) {
      if (spec.hint !== undefined && spec.keys.some((k) => !taken.has(k))) hints.push(spec);
    }
    for (const spec of commandsIn(scope)) for (const k of spec.keys) taken.add(k);
  }
  return hints;
}

/** What the help overlay lists: every command of the layers under it, grouped by layer. */
export function helpSections(state: AppState): Array<{ scope: Scope; commands: readonly CommandSpec[] }> {
  const under: AppState = { ...state, modal: undefined };
  const scopes = activeScopes(under);
  if (under.wizard) {
    for (const scope of ['wizard-move', 'wizard-text', 'wizard-choice', 'wizard-scroll', 'wizard-page', 'wizard-busy', 'wizard-summary', 'wizard-help'] as const) if (!scopes.includes(scope)) scopes.push(scope);
  } else if (under.form) {
    for (const scope of ['form-move', 'form-text', 'form-choice', 'list', 'filterable', 'pick-multi', 'form-summary', 'form-help'] as const) if (!scopes.includes(scope)) scopes.push(scope);
  } else if (['connections', 'jobs', 'alerts', 'storages', 'browse', 'audit'].includes(under.view) && !scopes.includes('filter')) scopes.push('filter');
  scopes.push('scroll');
  return scopes.map((scope) => ({ scope, commands: commandsIn(scope) })).filter((s) => s.commands.length > 0);
}

/** How far the open modal scrolls (undefined: it does not). */
export function scrollRange(state: AppState): ScrollRange | undefined {
  return modalScrollRange(state, () => helpLineCount(helpSections(state)));
}
