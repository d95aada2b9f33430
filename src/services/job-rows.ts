import type { Job, JobKind, LastRun, StoreDocument } from '../domain/index.js';
import { isObsolete } from '../domain/index.js';

/** One row of the Jobs view and of `jobs list`. */
export interface JobRow {
  readonly id: string;
  readonly name: string;
  readonly kind: JobKind;
  readonly continuous: boolean;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly connectionObsolete: boolean;
  readonly lastRun?: LastRun;
  readonly job: Job;
}

export function jobRows(doc: Pick<StoreDocument, 'connections' | 'jobs'>): JobRow[] {
  const connections = new Map(doc.connections.map((c) => [c.id, c]));
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
    lastRun: row.lastRun ? { at: row.lastRun.at, result: row.lastRun.result, ...(row.lastRun.message ? { message: row.lastRun.message } : {}) } : null,
  };
}
