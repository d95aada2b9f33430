import type { CommandId } from '../keymap/commands.js';
import { commandsIn, SCOPE_TITLES } from '../keymap/commands.js';
import { bodyHeight } from '../layout.js';
import { checkLines, dialogInner, outcomeLines, textLines } from '../../text/dialog-lines.js';
import type { AppState } from './types.js';
import { choicesOnly, MAX_SCROLL, scrollMode } from '../wizard/fields.js';
import { focusedFormField } from '../forms/fields.js';

/**
 * Scrolling the help and the dialogs whose text is taller than the screen (a long message, a
 * question, a finished test or job run): how many lines each has, how many fit, and the scroll
 * keys. The dialogs draw with the same line builders (text/dialog-lines.ts), so both agree.
 */

export interface ScrollRange {
  /** Lines of the scrolling part. */
  readonly lines: number;
  /** Lines of it that fit on the screen. */
  readonly rows: number;
  /** The first line drawn now, where the view decides it (a connection wizard step). */
  readonly at?: number;
}

/** Lines of the help overlay: a title per section (scopes with one title are merged) and a line per command. */
export function helpLineCount(sections: ReadonlyArray<{ readonly scope: keyof typeof SCOPE_TITLES; readonly commands: readonly unknown[] }>): number {
  return new Set(sections.map((s) => SCOPE_TITLES[s.scope])).size + sections.reduce((sum, s) => sum + s.commands.length, 0);
}

/** The modal's scrolling part, or undefined when the modal does not scroll (a menu, a running check). */
export function modalScrollRange(state: AppState, helpLines: () => number): ScrollRange | undefined {
  const modal = state.modal;
  if (!modal) return undefined;
  const body = bodyHeight(state.size, state.banner);
  const inner = dialogInner(state.size.columns);
  switch (modal.kind) {
    case 'help':
      // Frame (2) and the "Keys" title.
      return { lines: helpLines(), rows: Math.max(1, body - 3) };
    case 'message':
      // Frame (2), title, the key hint.
      return { lines: textLines(modal.text, inner).length, rows: Math.max(1, body - 4) };
    case 'confirm':
      // Frame (2), title, a blank line and the buttons.
      return { lines: textLines(modal.text, inner).length, rows: Math.max(1, body - 5) };
    case 'progress': {
      // While checks arrive the newest stay in view; once done the results read from the top.
      if (!modal.done) return undefined;
      const outcome = outcomeLines(modal.outcome?.text, inner).length;
      return { lines: checkLines(modal.results, inner).length, rows: Math.max(1, body - 4 - outcome) };
    }
    case 'menu':
      return undefined;
  }
}

export function canScroll(range: ScrollRange | undefined): boolean {
  return range !== undefined && range.lines > range.rows;
}

const SCROLL_COMMANDS = new Set(commandsIn('scroll').map((spec) => spec.id));

export function isScrollCommand(id: CommandId): boolean {
  return SCROLL_COMMANDS.has(id);
}

/** A scroll key on the open modal. Space at the end of a message closes it, as before it scrolled. */
export function scrollModal(state: AppState, id: CommandId, range: ScrollRange | undefined): AppState {
  const modal = state.modal;
  if (!modal || modal.kind === 'menu' || !range) return state;
  const max = Math.max(0, range.lines - range.rows);
  const page = Math.max(1, range.rows - 1);
  const current = Math.min(modal.scroll ?? 0, max);
  if (id === 'scroll.page-down' && modal.kind === 'message' && current >= max) return { ...state, modal: undefined };
  const target = (() => {
    switch (id) {
      case 'scroll.up':
        return current - 1;
      case 'scroll.down':
        return current + 1;
      case 'scroll.page-up':
        return current - page;
      case 'scroll.page-down':
        return current + page;
      case 'scroll.top':
        return 0;
      default:
        return max;
    }
  })();
  const scroll = Math.max(0, Math.min(max, target));
  return scroll === modal.scroll ? state : { ...state, modal: { ...modal, scroll } };
}

type ScrollMove = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom';

/** Offset `offset` moved by `move` within 0..max, `rows` lines showing. */
function moved(offset: number, move: ScrollMove, rows: number, max: number): number {
  const page = Math.max(1, rows - 1);
  const target = { up: offset - 1, down: offset + 1, 'page-up': offset - page, 'page-down': offset + page, top: 0, bottom: max }[move];
  return Math.max(0, Math.min(max, target));
}

const PANE_SCROLL: Partial<Record<CommandId, ScrollMove>> = {
  'pane.scroll-up': 'up',
  'pane.scroll-down': 'down',
  'pane.scroll-page-up': 'page-up',
  'pane.scroll-page-down': 'page-down',
  'pane.scroll-top': 'top',
  'pane.scroll-bottom': 'bottom',
};

export function isPaneScrollCommand(id: CommandId): boolean {
  return PANE_SCROLL[id] !== undefined;
}

/**
 * The read-only pane on screen that scrolls with the pane keys, if any: a job's details, or a job or
 * storage wizard's step without a field (the Summary, the recovery key). A scroll belongs to its
 * pane: another job or step starts at the top.
 */
export function scrolledPane(state: AppState): string | undefined {
  // A dialog or the connection wizard over it takes the keys, and leaves the pane where it was.
  const form = state.form;
  if (form) return form.running || focusedFormField(form) ? undefined : `form:${form.kind}:${form.step}`;
  return state.view === 'job' && state.jobsPane.detail !== undefined ? `job:${state.jobsPane.detail}` : undefined;
}

/** The first line the pane draws (the view clamps it to its lines). */
export function paneOffset(state: AppState): number {
  const scroll = state.paneScroll;
  return scroll !== undefined && scroll.pane === scrolledPane(state) ? scroll.by : 0;
}

/** A pane key. `range`: the pane's lines as drawn and how many fit (the container measures them). */
export function scrollPane(state: AppState, id: CommandId, range: ScrollRange | undefined): AppState {
  const pane = scrolledPane(state);
  const move = PANE_SCROLL[id];
  if (!pane || !move) return state;
  const max = range ? Math.max(0, range.lines - range.rows) : MAX_SCROLL;
  const by = moved(Math.min(paneOffset(state), max), move, range?.rows ?? 1, max);
  return by === paneOffset(state) ? state : { ...state, paneScroll: { pane, by } };
}

const WIZARD_SCROLL: Partial<Record<CommandId, ScrollMove>> = {
  'wizard.scroll-up': 'up',
  'wizard.scroll-down': 'down',
  'wizard.scroll-page-up': 'page-up',
  'wizard.scroll-page-down': 'page-down',
  'wizard.scroll-top': 'top',
  'wizard.scroll-bottom': 'bottom',
};

export function isWizardScrollCommand(id: CommandId): boolean {
  return WIZARD_SCROLL[id] !== undefined;
}

/**
 * A scroll key on the connection wizard's step that is read rather than filled in (Permissions,
 * sign-in, checks, the Summary). `range` is the step's lines as drawn and how many fit (the
 * container measures them with the view's own row builders); without it the moves are bounded by
 * MAX_SCROLL only and the view clamps. Undefined: PgUp at the top, which goes back a step instead.
 */
export function scrollWizard(state: AppState, id: CommandId, range: ScrollRange | undefined): AppState | undefined {
  const w = state.wizard;
  const move = WIZARD_SCROLL[id];
  if (!w || !move) return state;
  const rows = range?.rows ?? Math.max(1, bodyHeight(state.size, state.banner) - 4);
  const max = range ? Math.max(0, range.lines - range.rows) : MAX_SCROLL;
  if (choicesOnly(w)) {
    // Paged from where the view draws it (it follows the field until paged); scroll is that line + 1.
    const current = range?.at ?? Math.max(0, w.view.scroll - 1);
    if (move === 'page-up' && current === 0) return undefined;
    const scroll = moved(Math.min(current, max), move, rows, max) + 1;
    return scroll === w.view.scroll ? state : { ...state, wizard: { ...w, view: { ...w.view, scroll } } };
  }
  // 'log' steps count back from the end (the newest line); the moves below are from the top.
  const fromEnd = scrollMode(w) === 'log';
  const current = Math.min(w.view.scroll, max);
  const offset = fromEnd ? max - current : current;
  if (move === 'page-up' && offset === 0) return undefined;
  const clamped = moved(offset, move, rows, max);
  const scroll = fromEnd ? max - clamped : clamped;
  return scroll === w.view.scroll ? state : { ...state, wizard: { ...w, view: { ...w.view, scroll } } };
}
