import type { Job, JobKind, LastRun, StoreDocument } from '../domain/index.js';
import { idleTimeOf, isObsolete, sourcesOf, storagesOf } from '../domain/index.js';

/** One row of the Jobs view and of `jobs list`. */
export interface JobRow {
  readonly id: string;
  readonly name: string;
  readonly kind: JobKind;
  readonly continuous: boolean;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly connectionObsolete: boolean;
  readonly storageId: string | null;
  readonly storageName: string | null;
  readonly sources: 'all' | readonly string[];
  /** `continuous, idle 00:01:00, Mon-Fri 20:00-06:00` / `one-time` / `manual` (restore). */
  readonly schedule: string;
  readonly lastRun?: LastRun;
  readonly job: Job;
}

export function jobSchedule(job: Job): string {
  if (job.kind === 'restore') return 'manual';
  const base = job.continuous ? `continuous, idle ${idleTimeOf(job)}` : 'one-time';
  return job.activity ? `${base}, ${job.activity}` : base;
}

export function jobRows(doc: Pick<StoreDocument, 'connections' | 'jobs' | 'storages'>): JobRow[] {
  const connections = new Map(doc.connections.map((c) => [c.id, c]));
  const storages = new Map(storagesOf(doc).map((s) => [s.id, s]));
  return doc.jobs.map((job) => {
    const connection = connections.get(job.connectionId);
    return {
      id: job.id,
      name: job.name,
      kind: job.kind,
      continuous: job.continuous,
      connectionId: job.connectionId,
      connectionName: connection?.displayName ?? job.connectionId,
      connectionObsolete: connection ? isObsolete(connection) : false,
      storageId: job.storageId ?? null,
      storageName: job.storageId ? (storages.get(job.storageId)?.name ?? job.storageId) : null,
      sources: job.kind === 'restore' && job.restore ? [job.restore.from] : sourcesOf(job),
      schedule: jobSchedule(job),
      ...(job.lastRun ? { lastRun: job.lastRun } : {}),
      job,
    };
  });
}

export function jobRowJson(row: JobRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    continuous: row.continuous,
    connectionId: row.connectionId,
    connectionName: row.connectionName,
    connectionObsolete: row.connectionObsolete,
    storageId: row.storageId,
    storage: row.storageName,
    sources: row.sources,
    schedule: row.schedule,
    lastRun: row.lastRun ? { at: row.lastRun.at, result: row.lastRun.result, ...(row.lastRun.message ? { message: row.lastRun.message } : {}) } : null,
  };
}
