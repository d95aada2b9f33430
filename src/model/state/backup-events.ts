import type { LiveRun } from '../../services/live-runs.js';
import { reduceForm } from '../forms/reducer.js';
import { placeCursor } from '../list/list.js';
import { tableLayout } from '../layout.js';
import type { Action, Transition } from './actions.js';
import { same } from './actions.js';
import { browseLoaded } from './browse.js';
import { applyForm, openedForm } from './forms.js';
import { formData, visibleEntries, visibleJobs, visibleStorages } from './list-bindings.js';
import { cycleEndedNotice } from './texts.js';
import type { AppState, ViewData } from './types.js';
import type { ServiceView } from './backup-types.js';

/** What the effects of the Jobs and Storages tabs came back with: live cycles, figures, listings, forms. */

function sameRuns(before: Readonly<Record<string, LiveRun>>, runs: readonly LiveRun[]): boolean {
  if (Object.keys(before).length !== runs.length) return false;
  return runs.every((r) => {
    const b = before[r.jobId];
    return b !== undefined && b.updatedAt === r.updatedAt && b.stopping === r.stopping && b.pid === r.pid;
  });
}

function sameService(a: ServiceView | undefined, b: ServiceView): boolean {
  if (!a) return false;
  const due = (v: ServiceView) => (v.nextDue ? `${v.nextDue.jobId}|${v.nextDue.at}|${v.nextDue.waitingFor ?? ''}` : '');
  return a.running === b.running && a.since === b.since && a.pid === b.pid && a.lastSeen === b.lastSeen && due(a) === due(b);
}

type BackupEvent = Extract<Action, { type: 'live' | 'service' | 'storage-figures' | 'browse.loaded' | 'browse.failed' | 'cycle.ended' | 'form.open' | 'form' }>;

export function backupEvent(state: AppState, action: BackupEvent, data: ViewData): Transition {
  switch (action.type) {
    case 'live': {
      // Read twice a second: only a change draws a frame.
      if (sameRuns(state.live.runs, action.runs)) return same(state);
      return same({ ...state, live: { runs: Object.fromEntries(action.runs.map((r) => [r.jobId, r])) } });
    }
    case 'service':
      // Read every few seconds: only a change draws a frame.
      return same(sameService(state.service, action.status) ? state : { ...state, service: action.status });
    case 'storage-figures':
      return same({ ...state, storagesPane: { ...state.storagesPane, loading: false, figures: Object.fromEntries(action.rows.map((r) => [r.id, r])) } });
    case 'browse.loaded': {
      const browse = state.browse;
      if (!browse || browse.loading !== action.opId) return same(state);
      return same({ ...state, browse: browseLoaded(browse, action.listing.entries, tableLayout(state.size, state.banner).rows) });
    }
    case 'browse.failed': {
      const browse = state.browse;
      if (!browse || browse.loading !== action.opId) return same(state);
      return same({ ...state, browse: { ...browse, loading: undefined, entries: [], failure: action.error.hint ? `${action.error.message} ${action.error.hint}` : action.error.message } });
    }
    case 'cycle.ended': {
      const cycle = state.cycles.find((c) => c.jobId === action.jobId);
      const name = cycle?.name ?? data.jobs.find((j) => j.id === action.jobId)?.name ?? action.jobId;
      const cycles = state.cycles.filter((c) => c.jobId !== action.jobId);
      return same({ ...state, cycles, notice: cycleEndedNotice(name, action.record, action.error?.message) });
    }
    case 'form.open':
      return openedForm(state, action.open, action.now, data);
    case 'form':
      return state.form ? applyForm(state, reduceForm(state.form, action.action, formData(state, data)), data) : same(state);
  }
}

/** After a resize every headless list keeps its cursor in view. */
export function clampHeadless(state: AppState, data: ViewData): AppState {
  const page = tableLayout(state.size, state.banner).rows;
  const clamp = <T>(list: AppState['jobsPane']['list'], items: readonly T[]) => placeCursor(list, list.cursor, { count: items.length, page });
  let next: AppState = { ...state, jobsPane: { ...state.jobsPane, list: clamp(state.jobsPane.list, visibleJobs(state, data)) }, storagesPane: { ...state.storagesPane, list: clamp(state.storagesPane.list, visibleStorages(state, data)) } };
  if (next.browse) next = { ...next, browse: { ...next.browse, list: clamp(next.browse.list, visibleEntries(next)) } };
  return next;
}
