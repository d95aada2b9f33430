import type { Connection, Job, JobSources, RestoreSpec, StoreDocument } from '../domain/index.js';
import { ActivityText, displayText, IdleTime, jobNameProblem } from '../domain/index.js';
import { runHolder } from '../runs/index.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { newJobId } from './ids.js';
import { findConnection, findJob } from './lookup.js';
import { findStorage } from './storages.js';

/** Creating, editing and deleting jobs (contracts §8.2); one set of rules for every front end. */

export const ONPREM_SHAREPOINT_REFUSAL = 'This version does not back up on-premises SharePoint; choose an Exchange or SharePoint Online connection.';

export interface BackupJobInput {
  readonly name: string;
  readonly connection: string;
  readonly storage: string;
  readonly sources?: JobSources;
  readonly continuous?: boolean;
  readonly idleTime?: string;
  readonly activity?: string;
}

export interface RestoreJobInput {
  readonly name: string;
  readonly connection: string;
  readonly storage: string;
  readonly from: string;
  readonly items?: readonly string[];
  readonly to?: string;
}

export type JobChanges = Partial<Omit<BackupJobInput, 'name'>> & { readonly name?: string; readonly from?: string; readonly items?: readonly string[]; readonly to?: string };

function checkConnection(doc: StoreDocument, ref: string): Connection {
  const connection = findConnection(doc, ref);
  if (connection.service === 'sharepoint' && connection.location === 'onpremises') throw new ServiceError('bad-input', ONPREM_SHAREPOINT_REFUSAL);
  return connection;
}

function checkName(doc: StoreDocument, name: string, exceptId?: string): string {
  const problem = jobNameProblem(doc.jobs, name, exceptId);
  if (problem) throw new ServiceError('bad-input', problem);
  return name.trim();
}

function checkSchedule(input: { continuous?: boolean; idleTime?: string; activity?: string }): void {
  if (input.idleTime !== undefined) {
    if (!input.continuous) throw new ServiceError('bad-input', '--idle applies to continuous jobs only; add --continuous.');
    if (!IdleTime.safeParse(input.idleTime).success) throw new ServiceError('bad-input', `--idle: '${displayText(input.idleTime, { maxLength: 40 })}' is not hh:mm:ss, such as 00:01:00.`);
  }
  if (input.activity !== undefined && !ActivityText.safeParse(input.activity).success) {
    throw new ServiceError('bad-input', `--activity: '${displayText(input.activity, { maxLength: 60 })}' is not an activity period; write days and hours such as "Mon-Fri 20:00-06:00".`);
  }
}

function checkSources(sources: JobSources | undefined): JobSources | undefined {
  if (sources === undefined || sources === 'all') return sources;
  const cleaned = sources.map((s) => s.trim()).filter(Boolean);
  if (!cleaned.length) throw new ServiceError('bad-input', '--sources needs "all" or a comma-separated list of mailboxes or sites.');
  return cleaned;
}

function refuseReadOnly(ctx: Pick<ServiceContext, 'store'>): void {
  if (ctx.store.readOnly) throw new ServiceError('refused', `The store is open read-only (${ctx.store.readOnlyReason ?? 'by request'}); nothing was saved.`);
}

export async function createBackupJob(ctx: ServiceContext, input: BackupJobInput): Promise<Job> {
  refuseReadOnly(ctx);
  const doc = ctx.store.current();
  const name = checkName(doc, input.name);
  const connection = checkConnection(doc, input.connection);
  const storage = findStorage(doc, input.storage);
  checkSchedule(input);
  const sources = checkSources(input.sources) ?? 'all';
  const id = newJobId();
  return ctx.store.update((draft) => {
    checkName(draft, name);
    const job: Job = {
      id,
      name,
      kind: 'backup',
      connectionId: connection.id,
      storageId: storage.id,
      sources,
      continuous: input.continuous === true,
      ...(input.continuous && input.idleTime ? { idleTime: input.idleTime } : {}),
      ...(input.activity ? { activity: input.activity } : {}),
    };
    draft.jobs.push(job);
    return { change: { action: 'job.create', entity: { type: 'job', id }, fields: ['name', 'connectionId', 'storageId', 'sources', 'continuous'] }, result: job };
  });
}

export async function createRestoreJob(ctx: ServiceContext, input: RestoreJobInput): Promise<Job> {
  refuseReadOnly(ctx);
  const doc = ctx.store.current();
  const name = checkName(doc, input.name);
  const connection = checkConnection(doc, input.connection);
  const storage = findStorage(doc, input.storage);
  if (!input.from.trim()) throw new ServiceError('bad-input', 'A restore job needs --from <path> (see storages browse).');
  const id = newJobId();
  const restore: RestoreSpec = { from: input.from.trim(), ...(input.items?.length ? { items: [...input.items] } : {}), ...(input.to ? { to: input.to } : {}) };
  return ctx.store.update((draft) => {
    checkName(draft, name);
    const job: Job = { id, name, kind: 'restore', connectionId: connection.id, storageId: storage.id, continuous: false, restore };
    draft.jobs.push(job);
    return { change: { action: 'job.create', entity: { type: 'job', id }, fields: ['name', 'connectionId', 'storageId', 'restore'] }, result: job };
  });
}

export async function editJob(ctx: ServiceContext, ref: string, changes: JobChanges): Promise<Job> {
  refuseReadOnly(ctx);
  const doc = ctx.store.current();
  const job = findJob(doc, ref);
  const name = changes.name !== undefined ? checkName(doc, changes.name, job.id) : undefined;
  const connection = changes.connection !== undefined ? checkConnection(doc, changes.connection) : undefined;
  const storage = changes.storage !== undefined ? findStorage(doc, changes.storage) : undefined;
  const continuous = changes.continuous ?? job.continuous;
  checkSchedule({ continuous, ...(changes.idleTime !== undefined ? { idleTime: changes.idleTime } : {}), ...(changes.activity !== undefined ? { activity: changes.activity } : {}) });
  const sources = checkSources(changes.sources);
  if (job.kind === 'restore' && (changes.continuous || sources)) throw new ServiceError('bad-input', 'A restore job runs once, manually; --continuous and --sources apply to backup jobs.');
  return ctx.store.update((draft) => {
    const target = draft.jobs.find((j) => j.id === job.id);
    if (!target) throw new ServiceError('bad-input', `Job '${displayText(job.name)}' was deleted by another session.`);
    const fields: string[] = [];
    if (name !== undefined) {
      target.name = name;
      fields.push('name');
    }
    if (connection) {
      target.connectionId = connection.id;
      fields.push('connectionId');
    }
    if (storage) {
      target.storageId = storage.id;
      fields.push('storageId');
    }
    if (sources) {
      target.sources = sources;
      fields.push('sources');
    }
    if (changes.continuous !== undefined) {
      target.continuous = changes.continuous;
      fields.push('continuous');
    }
    if (!target.continuous) delete target.idleTime;
    if (changes.idleTime !== undefined) {
      target.idleTime = changes.idleTime;
      fields.push('idleTime');
    }
    if (changes.activity !== undefined) {
      target.activity = changes.activity;
      fields.push('activity');
    }
    if (target.kind === 'restore' && target.restore) {
      if (changes.from !== undefined) {
      target.restore.from = changes.from;
      fields.push('restore.from');
    }
      if (changes.items !== undefined) {
      target.restore.items = [...changes.items];
      fields.push('restore.items');
    }
      if (changes.to !== undefined) {
      target.restore.to = changes.to;
      fields.push('restore.to');
    }
    }
    if (!fields.length) return 'unchanged';
    return { change: { action: 'job.edit', entity: { type: 'job', id: job.id }, fields }, result: { ...target } };
  });
}

/** Removes a job (never the data in its storage); refused while one of its cycles runs. */
export async function deleteJob(ctx: ServiceContext, ref: string): Promise<Job> {
  refuseReadOnly(ctx);
  const job = findJob(ctx.store.current(), ref);
  const holder = await runHolder(ctx.store.path, job.id);
  if (holder) throw new ServiceError('refused', `Job '${displayText(job.name)}' is running (pid ${holder.pid} on ${holder.host}, since ${holder.since}); stop it first: backup-panel jobs stop ${job.id}`);
  return ctx.store.update((draft) => {
    const index = draft.jobs.findIndex((j) => j.id === job.id);
    if (index < 0) return 'unchanged';
    const [removed] = draft.jobs.splice(index, 1);
    return { change: { action: 'job.delete', entity: { type: 'job', id: job.id }, fields: ['jobs'] }, result: removed as Job };
  });
}
