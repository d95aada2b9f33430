import type { Job } from '../../domain/index.js';
import { DEFAULT_IDLE_TIME, DEFAULT_RETENTION_DAYS, jobNameTaken, jobsOnStorage } from '../../domain/index.js';
import { EMPTY_LIST_MODEL, setMarks } from '../list/list.js';
import { EMPTY_PICK } from './options.js';
import type { FormChoiceId, FormData, FormKind, FormState, FormStepId, FormTextId, RestoreWhat } from './types.js';

/** New and Edit forms, prefilled from the job (Edit), from Browse (restore, export) or with defaults. */

const EMPTY_TEXT: Record<FormTextId, string> = { name: '', idle: DEFAULT_IDLE_TIME, activity: '', sourcesText: '', path: '', storageName: '', retention: String(DEFAULT_RETENTION_DAYS), out: '' };
const CHOICES: Record<FormChoiceId, string> = { continuity: 'continuous', scope: 'all', when: 'any', target: 'original', runNow: 'yes' };

/** `2026-11-20 10.00`: local time, for default names. */
export function localStamp(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}.${pad(now.getMinutes())}`;
}

function base(kind: FormKind, step: FormStepId, opened: string): FormState {
  return {
    kind,
    mode: 'new',
    job: undefined,
    what: undefined,
    step,
    focus: 0,
    cursor: 0,
    text: EMPTY_TEXT,
    choice: CHOICES,
    picked: {},
    picks: {},
    errors: {},
    touched: false,
    running: undefined,
    failure: undefined,
    nextOpId: 1,
    recoveryKey: undefined,
    created: undefined,
    parent: undefined,
    opened,
  };
}

export function openBackupJobForm(now: Date, job?: Job): FormState {
  const form = base('backup-job', 'name', localStamp(now));
  if (!job) return form;
  const sources = job.sources ?? 'all';
  return {
    ...form,
    mode: 'edit',
    job,
    text: { ...form.text, name: job.name, idle: job.idleTime ?? DEFAULT_IDLE_TIME, activity: job.activity ?? '' },
    choice: { ...form.choice, continuity: job.continuous ? 'continuous' : 'one-time', scope: sources === 'all' ? 'all' : 'picked', when: job.activity ? 'period' : 'any' },
    picked: { connection: job.connectionId, ...(job.storageId ? { storage: job.storageId } : {}) },
    picks: sources === 'all' ? {} : { sources: { ...EMPTY_PICK, list: setMarks(EMPTY_LIST_MODEL, sources) } },
    cursor: job.name.length,
  };
}

/** The connection a restore goes through by default: one that backs up into this storage. */
function defaultConnection(data: FormData, storageId: string): string | undefined {
  const job = jobsOnStorage(data.doc.jobs, storageId).find((j) => j.kind === 'backup');
  return job?.connectionId ?? data.connections.find((c) => !(c.service === 'sharepoint' && c.location === 'onpremises'))?.id;
}

/** A default name no job has: two restores made within a minute get ' (2)', ' (3)'… */
function freeName(data: FormData, name: string): string {
  let candidate = name;
  for (let n = 2; jobNameTaken(data.doc.jobs, candidate); n++) candidate = `${name} (${n})`;
  return candidate;
}

export function openRestoreJobForm(now: Date, what: RestoreWhat, data: FormData, job?: Job): FormState {
  const form = base('restore-job', 'connection', localStamp(now));
  const connection = job?.connectionId ?? defaultConnection(data, what.storageId);
  const to = job?.restore?.to;
  return {
    ...form,
    ...(job ? { mode: 'edit' as const, job } : {}),
    what,
    text: { ...form.text, name: job?.name ?? freeName(data, `Restore ${what.source} ${form.opened}`) },
    choice: { ...form.choice, target: to ? 'other' : 'original', ...(job ? { runNow: 'no' } : {}) },
    picked: { ...(connection ? { connection } : {}), ...(to ? { targetSource: to } : {}) },
  };
}

export function openStorageForm(opened: string, parent?: FormState): FormState {
  return { ...base('storage', 'location', opened), ...(parent ? { parent } : {}) };
}

export function openExportForm(now: Date, what: RestoreWhat): FormState {
  return { ...base('export', 'folder', localStamp(now)), what };
}
