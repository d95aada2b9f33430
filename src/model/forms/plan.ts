import {
  activityPeriodProblem,
  DEFAULT_IDLE_TIME,
  idleTimeProblem,
  jobNameProblem,
  retentionDaysProblem,
  serverFolderProblem,
  storageNameProblem,
  storagesOf,
} from '../../domain/index.js';
import type { JobSources } from '../../domain/index.js';
import type { BackupJobInput, JobChanges, RestoreJobInput } from '../../services/job-admin.js';
import { NEW_CONNECTION, NEW_STORAGE, optionUnderCursor, pickOptions, pickState } from './options.js';
import type { FormData, FormFieldId, FormPickId, FormState } from './types.js';

/** What each field must hold (domain/job-field-rules.ts words it), and what the services are called with. */

/** The folder's last name: the storage's display name when none is typed (as the reference product does). */
export function folderName(path: string): string {
  const parts = path.trim().split('/').filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

/** A single picker's value: what its cursor is on while its step is shown, else what was chosen. */
export function pickedValue(form: FormState, field: FormPickId, data: FormData): string | undefined {
  const onStep = form.step === stepOfPick(field);
  const value = onStep ? optionUnderCursor(form, field, data)?.id : form.picked[field];
  return value === NEW_CONNECTION || value === NEW_STORAGE ? undefined : value;
}

function stepOfPick(field: FormPickId): FormState['step'] {
  return field === 'targetSource' ? 'target' : field;
}

/** The sources a backup job gets: 'all', the ticked ones, or the typed ones. */
export function sourcesOfForm(form: FormState): JobSources {
  if (form.choice.scope !== 'picked') return 'all';
  const ticked = pickState(form, 'sources').list.marked;
  const typed = form.text.sourcesText.split(',').map((s) => s.trim()).filter(Boolean);
  return [...new Set([...ticked, ...typed])];
}

export function formFieldProblem(form: FormState, id: FormFieldId, data: FormData): string | undefined {
  const t = form.text;
  switch (id) {
    case 'name':
      return jobNameProblem(data.doc.jobs, t.name, form.job?.id);
    case 'idle':
      return form.choice.continuity === 'continuous' ? idleTimeProblem(t.idle) : undefined;
    case 'activity':
      return form.choice.when === 'period' ? activityPeriodProblem(t.activity) : undefined;
    case 'connection': {
      const option = form.step === 'connection' ? optionUnderCursor(form, 'connection', data) : undefined;
      if (option?.action) return undefined; // Next on "New server connection…" opens the connection wizard
      return pickedValue(form, 'connection', data) ? undefined : 'Choose the server connection the job uses, or make a new one.';
    }
    case 'storage': {
      const option = form.step === 'storage' ? optionUnderCursor(form, 'storage', data) : undefined;
      if (option?.action) return undefined;
      return pickedValue(form, 'storage', data) ? undefined : 'Choose the storage the job writes to, or make a new one.';
    }
    case 'sources': {
      if (form.choice.scope !== 'picked') return undefined;
      const sources = sourcesOfForm(form);
      if (sources !== 'all' && sources.length > 0) return undefined;
      if (pickState(form, 'sources').loading !== undefined) return 'Wait for the list of mailboxes or sites, then tick some (Space).';
      return 'Tick at least one mailbox or site (Space), or choose All.';
    }
    case 'sourcesText':
      return undefined;
    case 'targetSource':
      if (form.choice.target !== 'other') return undefined;
      return pickedValue(form, 'targetSource', data) ? undefined : 'Choose the mailbox or site to restore into.';
    case 'path':
      return serverFolderProblem(t.path) ?? (storagesOf(data.doc).some((s) => s.path === t.path.trim()) ? `${t.path.trim()} is a storage already.` : undefined);
    case 'storageName':
      return storageNameProblem(storagesOf(data.doc), t.storageName.trim() || folderName(t.path));
    case 'retention':
      return retentionDaysProblem(t.retention);
    case 'out':
      return serverFolderProblem(t.out);
    default:
      return undefined;
  }
}

export function backupInput(form: FormState): BackupJobInput {
  const continuous = form.choice.continuity === 'continuous';
  return {
    name: form.text.name.trim(),
    connection: form.picked.connection ?? '',
    storage: form.picked.storage ?? '',
    sources: sourcesOfForm(form),
    continuous,
    ...(continuous ? { idleTime: form.text.idle.trim() } : {}),
    ...(form.choice.when === 'period' ? { activity: form.text.activity.trim() } : {}),
  };
}

function sameSources(a: JobSources, b: JobSources): boolean {
  if (a === 'all' || b === 'all') return a === b;
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Edit: only what changed, so that the audit log names exactly that. */
export function editChanges(form: FormState): JobChanges {
  const job = form.job;
  const input = backupInput(form);
  if (!job) return input;
  const changes: { -readonly [K in keyof JobChanges]: JobChanges[K] } = {};
  if (input.name !== job.name) changes.name = input.name;
  if (input.connection !== job.connectionId) changes.connection = input.connection;
  if (input.storage !== job.storageId) changes.storage = input.storage;
  if (job.kind === 'backup' && input.sources && !sameSources(input.sources, job.sources ?? 'all')) changes.sources = input.sources;
  if (job.kind === 'backup' && input.continuous !== job.continuous) changes.continuous = input.continuous;
  if (input.idleTime !== undefined && input.idleTime !== (job.idleTime ?? DEFAULT_IDLE_TIME)) changes.idleTime = input.idleTime;
  if (input.activity !== undefined && input.activity !== job.activity) changes.activity = input.activity;
  return changes;
}

export function restoreInput(form: FormState): RestoreJobInput {
  const what = form.what;
  const to = form.choice.target === 'other' ? form.picked.targetSource : undefined;
  return {
    name: form.text.name.trim(),
    connection: form.picked.connection ?? '',
    storage: what?.storageId ?? '',
    from: what?.from ?? '',
    ...(what?.items?.length ? { items: what.items } : {}),
    ...(to ? { to } : {}),
  };
}

/** What the summary lists, label and value, in the order of the steps. */
export function summaryPairs(form: FormState, data: FormData): Array<readonly [string, string]> {
  const label = (field: FormPickId) => pickOptions(form, field, data).find((o) => o.id === form.picked[field])?.label ?? form.picked[field] ?? '(none)';
  switch (form.kind) {
    case 'backup-job': {
      const input = backupInput(form);
      const sources = input.sources === 'all' || input.sources === undefined ? 'all mailboxes or sites of the connection' : input.sources.join(', ');
      return [
        ['Job name', input.name],
        ['Continuity', input.continuous ? `continuous, idle time ${input.idleTime ?? DEFAULT_IDLE_TIME}` : 'one-time'],
        ['Server connection', label('connection')],
        ['Sources', sources],
        ['Target storage', label('storage')],
        ['Activity period', input.activity ?? 'any time'],
      ];
    }
    case 'restore-job': {
      const what = form.what;
      return [
        ['Storage', what?.storageName ?? ''],
        ['Restore', what ? `${what.label} of ${what.source}` : ''],
        ['Server connection', label('connection')],
        ['Into', form.choice.target === 'other' ? `${form.picked.targetSource ?? ''}, folder "Restored <date>"` : `${what?.source ?? ''}, folder "Restored <date>"`],
      ];
    }
    case 'storage':
      return [
        ['Folder', form.text.path.trim()],
        ['Display name', form.text.storageName.trim() || folderName(form.text.path)],
        ['Keep deleted items', `${form.text.retention.trim()} days`],
        ['Encryption', 'AES-256-GCM with a key of its own; a recovery key is shown once after Finish'],
      ];
    case 'export':
      return [];
  }
}
