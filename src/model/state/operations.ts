import type { ErrorDescription } from '../../services/index.js';
import type { Action, Transition } from './actions.js';
import { same } from './actions.js';
import { go } from './lists.js';
import { BUSY_NOTICE, errorDialog, OPERATION_WORDS, outcomeNotice, progressTitle, readOnlyDialog } from './texts.js';
import type { AppState, Intent, Operation } from './types.js';

/**
 * Operations (delete, dismiss, save options, test, run): whether one may start, starting it, and
 * what its result means. The only place in the panel that decides "busy" and "read-only".
 */

export type Work = Operation['kind'] | 'new-connection' | 'edit-connection' | 'run-job' | 'new-job' | 'edit-job' | 'new-storage';

interface WorkRule {
  /** The sentence's subject when a read-only store refuses it. */
  readonly change: string;
  readonly writes: boolean;
  /** Waits for a running operation to finish (opening the wizard does not). */
  readonly exclusive: boolean;
}

const WORK: Readonly<Record<Work, WorkRule>> = {
  'delete-connection': { change: 'Delete', writes: true, exclusive: true },
  'dismiss-alert': { change: 'Dismiss', writes: true, exclusive: true },
  'save-notifications': { change: 'Notification options', writes: true, exclusive: true },
  // A cycle runs in the background: it does not wait for, nor hold up, the one operation.
  'run-job': { change: 'Running a job', writes: true, exclusive: false },
  'delete-job': { change: 'Deleting a job', writes: true, exclusive: true },
  // A stop request is a file beside the store, read by the cycle wherever it runs.
  'stop-job': { change: 'Stopping a job', writes: false, exclusive: false },
  'check-storage': { change: 'Check', writes: false, exclusive: true },
  export: { change: 'Export', writes: false, exclusive: true },
  'new-job': { change: 'A new job', writes: true, exclusive: false },
  'edit-job': { change: 'Editing a job', writes: true, exclusive: false },
  'new-storage': { change: 'A new storage', writes: true, exclusive: false },
  'rename-connection': { change: 'Renaming a server connection', writes: true, exclusive: true },
  // A test records its outcome when it can; in a read-only store it still runs.
  'test-connection': { change: 'Test', writes: false, exclusive: true },
  'new-connection': { change: 'A new server connection', writes: true, exclusive: false },
  'edit-connection': { change: 'Editing a server connection', writes: true, exclusive: false },
};

/** The state that says why `work` cannot start now, or undefined when it may. */
export function refusal(state: AppState, work: Work): AppState | undefined {
  const rule = WORK[work];
  if (rule.exclusive && state.running !== undefined) return { ...state, notice: BUSY_NOTICE };
  if (rule.writes && state.readOnly) return { ...state, modal: readOnlyDialog(state.readOnlyReason, rule.change) };
  return undefined;
}

function isLong(op: Operation): op is Extract<Operation, { kind: 'test-connection' | 'check-storage' | 'export' }> {
  return op.kind === 'test-connection' || op.kind === 'check-storage' || op.kind === 'export';
}

/** Starts an operation if nothing refuses it; long ones (test, run) show their checks as they go. */
export function start(state: AppState, op: Operation): Transition {
  const refused = refusal(state, op.kind);
  if (refused) return same(refused);
  const next: AppState = isLong(op)
    ? { ...state, running: op, modal: { kind: 'progress', title: progressTitle(op), results: [], done: false, cancelling: false, running: 'Starting' } }
    : { ...state, running: op };
  return { state: next, intents: [{ type: 'run', op }] };
}

type Progress = Extract<Action, { type: 'operation.progress' }>;

export function progressed(state: AppState, action: Progress): AppState {
  const modal = state.modal;
  if (modal?.kind !== 'progress' || modal.done) return state;
  return { ...state, modal: { ...modal, running: action.running, results: action.results } };
}

/** A long operation's dialog ends with its outcome; it stays until the admin closes it. */
function finishProgress(state: AppState, outcome: AppState['notice'] & object, results?: Progress['results']): AppState {
  const modal = state.modal;
  if (modal?.kind !== 'progress') return { ...state, notice: outcome };
  const { running: _running, ...rest } = modal;
  return { ...state, modal: { ...rest, done: true, cancelling: false, outcome, results: results ?? modal.results } };
}

export function succeeded(state: AppState, action: Extract<Action, { type: 'operation.done' }>): AppState {
  const op = state.running;
  if (!op) return state;
  const idle: AppState = { ...state, running: undefined };
  const notice = outcomeNotice(op, action.result);
  // A deleted job's details close; the list shows what is left.
  if (action.result.kind === 'delete-job') return { ...(idle.view === 'job' ? go(idle, 'jobs') : idle), jobsPane: { ...idle.jobsPane, detail: undefined }, notice };
  if (action.result.kind === 'test-connection') return finishProgress(idle, notice, action.result.checks);
  if (action.result.kind === 'check-storage' || action.result.kind === 'export') return finishProgress(idle, notice);
  if (action.result.kind === 'save-notifications') return { ...go(idle, 'alerts'), notice };
  return { ...idle, notice };
}

export function failed(state: AppState, error: ErrorDescription, aborted: boolean): Transition {
  const op = state.running;
  if (!op) return same(state);
  const idle: AppState = { ...state, running: undefined };
  const what = OPERATION_WORDS[op.kind];
  const conflict = error.kind === 'conflict';
  // A refused stale edit: the view must show what is really saved, at once; a refused options form
  // is reopened on it, so nothing stale can be saved twice.
  const reload: Intent[] = conflict ? [{ type: 'reload-store', ...(op.kind === 'save-notifications' ? { then: { type: 'command', command: 'alerts.options' } as const } : {}) }] : [];
  if (isLong(op)) {
    if (aborted || error.kind === 'cancelled') return same(finishProgress(idle, { tone: 'warning', text: `${what} cancelled.` }));
    const dialog = errorDialog(error, what);
    return { state: finishProgress(idle, { tone: 'error', text: `${dialog.title}: ${dialog.text}` }), intents: reload };
  }
  return { state: { ...idle, modal: errorDialog(error, what) }, intents: reload };
}
