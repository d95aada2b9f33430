import type { Job } from './job.js';
import { jobsUsing } from './job.js';
import type { StoreDocument } from './document.js';

export type DeletionVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly jobs: readonly Job[]; readonly reason: string };

/** A connection used by any job cannot be deleted (reference product, newer rule). */
export function canDeleteConnection(doc: Pick<StoreDocument, 'connections' | 'jobs'>, connectionId: string): DeletionVerdict {
  const connection = doc.connections.find((c) => c.id === connectionId);
  const jobs = jobsUsing(doc.jobs, connectionId);
  if (jobs.length === 0) return { allowed: true };
  const names = jobs.map((j) => `'${j.name}'`).join(', ');
  const subject = connection ? `Server connection '${connection.displayName}'` : `Server connection '${connectionId}'`;
  const noun = jobs.length === 1 ? 'job' : 'jobs';
  return {
    allowed: false,
    jobs,
    reason: `${subject} is used by ${noun} ${names}. Delete ${jobs.length === 1 ? 'that job' : 'those jobs'} on the Jobs tab first.`,
  };
}
