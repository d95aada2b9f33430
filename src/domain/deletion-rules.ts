import type { Job } from './job.js';
import { jobsUsing } from './job.js';
import type { StoreDocument } from './document.js';
import type { NextStep } from './next-steps.js';
import { withNextStep } from './next-steps.js';

export type DeletionVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly jobs: readonly Job[];
      /** In the panel's words, with what to do. */
      readonly reason: string;
      /** Without what to do; `next` says it per front end. */
      readonly detail: string;
      readonly next: NextStep;
    };

/** A connection used by any job cannot be deleted (reference product, newer rule). */
export function canDeleteConnection(doc: Pick<StoreDocument, 'connections' | 'jobs'>, connectionId: string): DeletionVerdict {
  const connection = doc.connections.find((c) => c.id === connectionId);
  const jobs = jobsUsing(doc.jobs, connectionId);
  if (jobs.length === 0) return { allowed: true };
  const names = jobs.map((j) => `'${j.name}'`).join(', ');
  const subject = connection ? `Server connection '${connection.displayName}'` : `Server connection '${connectionId}'`;
  const noun = jobs.length === 1 ? 'job' : 'jobs';
  const detail = `${subject} is used by ${noun} ${names}.`;
  const next: NextStep = { kind: 'delete-jobs', jobs: jobs.map((j) => j.name) };
  return { allowed: false, jobs, reason: withNextStep(detail, next, 'tui'), detail, next };
}
