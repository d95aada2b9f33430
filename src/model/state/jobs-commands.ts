import type { JobRow } from '../../services/index.js';
import { runWarningFor } from '../../services/jobs.js';
import type { Transition } from './actions.js';
import { same } from './actions.js';
import { visibleJobs } from './list-bindings.js';
import { go } from './lists.js';
import { refusal, start } from './operations.js';
import {
  alreadyRunningNotice,
  cycleStartedNotice,
  deleteJobQuestion,
  JOB_GONE_NOTICE,
  jobRunningDialog,
  noStorageDialog,
  notRunningNotice,
  obsoleteRunQuestion,
} from './texts.js';
import type { AppState, Modal, Request, ViewData } from './types.js';

/** The Jobs tab and a job's details: run, stop, edit, delete, open. */

/** The job the keys act on: the highlighted row of the list, or the one whose details are open. */
export function selectedJob(state: AppState, data: ViewData): JobRow | undefined {
  if (state.view === 'job') return data.jobs.find((j) => j.id === state.jobsPane.detail);
  return visibleJobs(state, data)[state.jobsPane.list.cursor];
}

function ask(state: AppState, question: Omit<Extract<Modal, { kind: 'confirm' }>, 'kind' | 'choice' | 'onYes'>, onYes: Request): Transition {
  return same({ ...state, modal: { kind: 'confirm', ...question, choice: 'no', onYes } });
}

/** Starts a cycle in the background; its progress is read like any other cycle's. */
export function startCycle(state: AppState, data: ViewData, jobId: string): Transition {
  const job = data.jobs.find((j) => j.id === jobId);
  if (!job) return same({ ...state, notice: JOB_GONE_NOTICE });
  const refused = refusal(state, 'run-job');
  if (refused) return same(refused);
  const live = state.live.runs[job.id];
  if (live) return same({ ...state, notice: alreadyRunningNotice(job.name, live.what, live.since) });
  if (!job.storageId) return same({ ...state, modal: noStorageDialog(job.name) });
  return {
    state: { ...state, cycles: [...state.cycles, { jobId: job.id, name: job.name }], notice: cycleStartedNotice(job.name) },
    intents: [{ type: 'run-cycle', jobId: job.id }],
  };
}

function run(state: AppState, data: ViewData): Transition {
  const job = selectedJob(state, data);
  if (!job) return same(state);
  const refused = refusal(state, 'run-job');
  if (refused) return same(refused);
  // Warned first, as the reference product does: the job still tries Basic Authentication.
  const warning = runWarningFor(data.doc, job.id);
  return warning ? ask(state, obsoleteRunQuestion(warning), { kind: 'run', jobId: job.id }) : startCycle(state, data, job.id);
}

function stop(state: AppState, data: ViewData): Transition {
  const job = selectedJob(state, data);
  if (!job) return same(state);
  if (!state.live.runs[job.id]) return same({ ...state, notice: notRunningNotice(job.name) });
  return start(state, { kind: 'stop-job', jobId: job.id, name: job.name });
}

function remove(state: AppState, data: ViewData): Transition {
  const job = selectedJob(state, data);
  if (!job) return same(state);
  const refused = refusal(state, 'delete-job');
  if (refused) return same(refused);
  if (state.live.runs[job.id]) return same({ ...state, modal: jobRunningDialog(job.name) });
  return ask(state, deleteJobQuestion(job.name, job.storageName ?? undefined), { kind: 'start', op: { kind: 'delete-job', jobId: job.id, name: job.name } });
}

function edit(state: AppState, data: ViewData): Transition {
  const row = selectedJob(state, data);
  if (!row) return same(state);
  const refused = refusal(state, 'edit-job');
  if (refused) return same(refused);
  const job = row.job;
  if (job.kind === 'backup') return { state, intents: [{ type: 'open-form', open: { kind: 'backup-job', job } }] };
  const storage = row.storageId;
  if (!storage || !job.restore) return same({ ...state, modal: noStorageDialog(job.name) });
  const items = job.restore.items;
  const what = { storageId: storage, storageName: row.storageName ?? storage, source: job.restore.from, from: job.restore.from, ...(items ? { items } : {}), label: items ? `${items.length} items` : 'everything' };
  return { state, intents: [{ type: 'open-form', open: { kind: 'restore-job', what, job } }] };
}

export function jobsCommand(state: AppState, id: string, data: ViewData): Transition | undefined {
  switch (id) {
    case 'jobs.run':
    case 'job.run':
      return run(state, data);
    case 'jobs.stop':
    case 'job.stop':
      return stop(state, data);
    case 'jobs.delete':
    case 'job.delete':
      return remove(state, data);
    case 'jobs.edit':
    case 'job.edit':
      return edit(state, data);
    case 'jobs.open': {
      const job = selectedJob(state, data);
      return same(job ? { ...go(state, 'job'), jobsPane: { ...state.jobsPane, detail: job.id } } : state);
    }
    case 'job.close':
      return same(go(state, 'jobs'));
    // How to start: straight into the New backup job wizard.
    case 'jobs.new-backup': {
      const refused = refusal(state, 'new-job');
      return refused ? same(refused) : { state, intents: [{ type: 'open-form', open: { kind: 'backup-job' } }] };
    }
    case 'jobs.new': {
      const refused = refusal(state, 'new-job');
      if (refused) return same(refused);
      const items = [
        { value: 'backup-job', label: 'Backup job' },
        { value: 'restore-job', label: 'Restore job (from a storage)' },
      ] as const;
      return same({ ...state, modal: { kind: 'menu', title: 'New job', items, cursor: 0 } });
    }
    default:
      return undefined;
  }
}
