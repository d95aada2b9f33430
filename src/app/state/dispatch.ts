import type { CommandSpec, Scope } from '../keymap/commands.js';
import { commandsIn, resolveKey } from '../keymap/commands.js';
import type { KeyName } from '../keymap/keys.js';
import { isTooSmall } from '../layout.js';
import type { AppState } from './types.js';

/** True while the filter field owns the keyboard: printable keys are text, not commands. */
export function filterHasFocus(state: AppState): boolean {
  return state.modal === undefined && state.view === 'connections' && state.filter.editing;
}

/**
 * The layers that may handle a key, most specific first. A modal dialog is alone on top (plus
 * Ctrl-C); a focused text field takes every key it does not explicitly give back.
 */
export function activeScopes(state: AppState): Scope[] {
  // Nothing is drawn below the minimum size, so nothing may be acted on either; q still quits.
  if (isTooSmall(state.size)) return ['always', 'top'];
  if (state.modal) return ['always', state.modal.kind];
  if (filterHasFocus(state)) return ['always', 'filter'];
  if (state.view === 'dashboard') return ['always', 'dashboard', 'top', 'app'];
  if (state.view === 'notifications') return ['always', 'notifications', 'list', 'app'];
  return ['always', state.view, 'list', 'back', 'app'];
}

export type Resolution = { readonly kind: 'command'; readonly spec: CommandSpec } | { readonly kind: 'text' } | { readonly kind: 'none' };

export function resolve(state: AppState, key: KeyName): Resolution {
  const spec = resolveKey(activeScopes(state), key);
  if (spec) return { kind: 'command', spec };
  return filterHasFocus(state) ? { kind: 'text' } : { kind: 'none' };
}

/** Footer hints for the current layers, most specific first. */
export function hintsFor(state: AppState): CommandSpec[] {
  return activeScopes(state)
    .filter((scope) => scope !== 'always')
    .flatMap((scope) => commandsIn(scope).filter((spec) => spec.hint !== undefined));
}

/** What the help overlay lists: every command of the layers under it, grouped by layer. */
export function helpSections(state: AppState): Array<{ scope: Scope; commands: readonly CommandSpec[] }> {
  const under: AppState = { ...state, modal: undefined };
  const scopes = activeScopes(under);
  if (under.view === 'connections' && !scopes.includes('filter')) scopes.push('filter');
  return scopes.map((scope) => ({ scope, commands: commandsIn(scope) })).filter((s) => s.commands.length > 0);
}
