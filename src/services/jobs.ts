import type { Progress } from '../auth/api.js';
import type { Audience, Job, StoreDocument } from '../domain/index.js';
import { isObsolete, jobFailedMessage, obsoleteJobWarning } from '../domain/index.js';
import type { RunOutcome } from '../jobs/preflight.js';
import { preflight } from '../jobs/preflight.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { newAlertId } from './ids.js';
import { findJob } from './lookup.js';
import { verifyTargetFor } from './verify-target.js';

/** The warning to show before running a job whose connection is obsolete (undefined when it is not). */
export function jobRunWarning(ctx: Pick<ServiceContext, 'store'>, ref: string, audience: Audience = 'tui'): string | undefined {
  return runWarningFor(ctx.store.current(), ref, audience);
}

/** The same, for a document the caller already holds (the panel's view). */
export function runWarningFor(doc: StoreDocument, ref: string, audience: Audience = 'tui'): string | undefined {
  const job = findJob(doc, ref);
  const connection = doc.connections.find((c) => c.id === job.connectionId);
  return connection && isObsolete(connection) ? obsoleteJobWarning(job.name, connection.displayName, audience, connection.id) : undefined;
}

export interface JobRun {
  readonly job: Job;
  readonly outcome: RunOutcome;
}

/**
 * Runs a job: preflights its connection with the stored credentials, then records the outcome as
 * the job's last run; a failure also adds a "Job failed" alert to Bad news.
 */
export async function runJob(ctx: ServiceContext, ref: string, options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<JobRun> {
  if (ctx.store.readOnly) throw new ServiceError('refused', `The store is open read-only (${ctx.store.readOnlyReason ?? 'by request'}); a job run could not be recorded.`);
  const doc = ctx.store.current();
  const job = findJob(doc, ref);
  const connection = doc.connections.find((c) => c.id === job.connectionId);
  if (!connection) throw new ServiceError('bad-input', `Job '${job.name}' refers to a server connection that does not exist.`);
  const auth = await ctx.auth();
  const outcome = await preflight(auth, verifyTargetFor(ctx.store, connection), {
    now: ctx.now(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const recorded = await ctx.store.update((draft, tools) => {
    const target = draft.jobs.find((j) => j.id === job.id);
    if (!target) throw new ServiceError('bad-input', `Job '${job.name}' was deleted by another session while it ran; the outcome was not recorded.`);
    target.lastRun = { at: tools.now.toISOString(), result: outcome.result, message: outcome.message };
    if (outcome.result === 'failed') {
      draft.alerts.push({ id: newAlertId(), category: 'job-failed', created: tools.now.toISOString(), jobId: job.id, connectionId: connection.id, message: jobFailedMessage(job.name, outcome.message) });
    }
    return { change: { action: 'job.run', entity: { type: 'job', id: job.id }, fields: ['lastRun'], details: { result: outcome.result } }, result: { ...target } };
  });
  return { job: recorded, outcome };
}
