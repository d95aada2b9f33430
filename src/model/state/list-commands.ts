import type { KeyPress } from '../keymap/keys.js';
import { clearFilter, keepFilter, moveList, startFilter, toggleMark, typeInFilter, type ListMove } from '../list/list.js';
import type { Transition } from './actions.js';
import { same } from './actions.js';
import { activeBinding } from './list-bindings.js';
import type { AppState, ViewData } from './types.js';

/** The keys of every headless list, whichever has the keyboard (list-bindings.ts says which). */

const MOVES: Readonly<Record<string, ListMove>> = {
  'list.up': 'up',
  'list.down': 'down',
  'list.page-up': 'page-up',
  'list.page-down': 'page-down',
  'list.top': 'top',
  'list.bottom': 'bottom',
};

export function listCommand(state: AppState, id: string, data: ViewData): Transition | undefined {
  const binding = activeBinding(state, data);
  if (!binding) return undefined;
  const move = MOVES[id];
  if (move) return same(binding.set(state, moveList(binding.list, move, binding.window)));
  switch (id) {
    case 'list.filter':
      return same(binding.set(state, startFilter(binding.list)));
    case 'filter.keep':
      return binding.list.filter.editing ? same(binding.set(state, keepFilter(binding.list))) : undefined;
    case 'filter.clear':
      return binding.list.filter.editing ? same(binding.set(state, clearFilter(binding.list))) : undefined;
    case 'list.mark':
      return binding.multi ? same(binding.set(state, toggleMark(binding.list, binding.window))) : same(state);
    default:
      return undefined;
  }
}

/** True while a headless list's filter has the keyboard: printable keys are its text. */
export function listFilterHasFocus(state: AppState, data: ViewData): boolean {
  return activeBinding(state, data)?.list.filter.editing === true;
}

export function typeInList(state: AppState, key: KeyPress, data: ViewData): AppState | undefined {
  const binding = activeBinding(state, data);
  if (!binding?.list.filter.editing) return undefined;
  return binding.set(state, typeInFilter(binding.list, key));
}
