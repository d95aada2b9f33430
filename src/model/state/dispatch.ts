import type { CommandSpec, Scope } from '../keymap/commands.js';
import { commandsIn, resolveKey } from '../keymap/commands.js';
import type { KeyName } from '../keymap/keys.js';
import { isTooSmall } from '../layout.js';
import { focusedField, textHasFocus } from '../wizard/fields.js';
import type { WizardState } from '../wizard/types.js';
import type { AppState } from './types.js';

/** True while the filter field owns the keyboard: printable keys are text, not commands. */
export function filterHasFocus(state: AppState): boolean {
  return state.modal === undefined && state.wizard === undefined && state.view === 'connections' && state.filter.editing;
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
  if (!field) return [...first, 'wizard', 'wizard-back', 'wizard-scroll', 'wizard-help'];
  if (field.kind === 'choice') return [...first, 'wizard', 'wizard-back', 'wizard-choice', 'wizard-move', 'wizard-help'];
  return [...first, 'wizard', 'wizard-back', 'wizard-move', 'wizard-text'];
}

/**
 * The layers that may handle a key, most specific first. A modal dialog is alone on top (plus
 * Ctrl-C); a focused text field takes every key it does not explicitly give back.
 */
export function activeScopes(state: AppState): Scope[] {
  // Nothing is drawn below the minimum size, so nothing may be acted on either; q still quits.
  if (isTooSmall(state.size)) return state.modal?.kind === 'confirm' && state.modal.onYes.kind === 'quit' ? ['always', 'confirm', 'top'] : ['always', 'top'];
  if (state.modal) return ['always', state.modal.kind];
  if (state.wizard) return wizardScopes(state.wizard);
  if (filterHasFocus(state)) return ['always', 'filter'];
  if (state.view === 'dashboard') return ['always', 'dashboard', 'top', 'app'];
  if (state.view === 'notifications') return ['always', 'notifications', 'list', 'app'];
  return ['always', state.view, 'list', 'back', 'app'];
}

export type Resolution = { readonly kind: 'command'; readonly spec: CommandSpec } | { readonly kind: 'text' } | { readonly kind: 'none' };

export function resolve(state: AppState, key: KeyName): Resolution {
  const spec = resolveKey(activeScopes(state), key);
  if (spec) return { kind: 'command', spec };
  return filterHasFocus(state) || wizardTextHasFocus(state) || state.modal?.kind === 'rename' ? { kind: 'text' } : { kind: 'none' };
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
    for (const scope of ['wizard-move', 'wizard-text', 'wizard-choice', 'wizard-scroll', 'wizard-busy', 'wizard-summary', 'wizard-help'] as const) if (!scopes.includes(scope)) scopes.push(scope);
  } else if (under.view === 'connections' && !scopes.includes('filter')) scopes.push('filter');
  return scopes.map((scope) => ({ scope, commands: commandsIn(scope) })).filter((s) => s.commands.length > 0);
}
