import type { CycleRecord, Job } from '../domain/index.js';
import { cycleResult, displayText, jobFailedMessage, withCycle } from '../domain/index.js';
import type { EngineContext } from '../engine/context.js';
import type { CycleEvent, CycleProgress } from '../engine/events.js';
import { ProgressTracker } from '../engine/events.js';
import type { RunLock } from '../runs/index.js';
import { acquireRunLock, RunLockHeld, requestStop, runHolder } from '../runs/index.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { newAlertId } from './ids.js';
import { findJob } from './lookup.js';
import { ONPREM_SHAREPOINT_REFUSAL } from './job-admin.js';
import { findStorage, openStorageRecord } from './storages.js';
import { verifyTargetFor } from './verify-target.js';

/**
 * Running a job's cycle (contracts §8.2), for the CLI, the panel and the backup service alike: the
 * per-job run lock, the live-status file (about once a second), `jobs stop` from another process
 * (ends at the next item boundary), and the result in the job's history (the store is written
 * once, at the end). A failure raises a `job-failed` alert.
 */

export interface CycleRunOptions {
  /** Stop at the next item boundary (Ctrl-C of `jobs run`, Stop in the panel): recorded as stopped by the user. */
  readonly signal?: AbortSignal;
  /** The backup service is ending: stop at the next item boundary, recorded so that the service resumes the cycle. */
  readonly shutdown?: AbortSignal;
  /** Abort the requests under way too (a stop that cannot wait for the item in flight). */
  readonly cancel?: AbortSignal;
  /** Who runs it, as the run lock tells other processes (default `jobs run <name>`). */
  readonly what?: string;
  readonly onEvent?: (event: CycleEvent) => void;
  /** About once a second, and at the end. */
  readonly onProgress?: (progress: CycleProgress) => void;
  readonly statusIntervalMs?: number;
  /** Counts data requests (bench, tests). */
  readonly onRequest?: () => void;
  /** Items fetched at once per source (default 4, Exchange's per-mailbox limit). */
  readonly itemConcurrency?: number;
}

export interface CycleRun {
  readonly job: Job;
  readonly record: CycleRecord;
}

/** The JSON of `jobs run --json` and `jobs history --json` (contracts §8.2). */
export function cycleJson(job: Pick<Job, 'id' | 'name'>, record: CycleRecord): Record<string, unknown> {
  return {
    job: job.name,
    jobId: job.id,
    result: record.result,
    scanned: record.scanned,
    backedUp: record.backedUp,
    removed: record.removed,
    restored: record.restored,
    bytes: record.bytes,
    errors: record.errors.map((e) => ({ source: e.source, ...(e.item ? { item: e.item } : {}), message: e.message })),
    ...(record.errorCount !== undefined ? { errorCount: record.errorCount } : {}),
    startedAt: record.startedAt,
    endedAt: record.endedAt,
  };
}

function describe(error: unknown): string {
  if (error instanceof ServiceError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const hint = (error as { hint?: unknown }).hint;
  return displayText(typeof hint === 'string' && hint ? `${message} ${hint}` : message, { maxLength: 400 });
}

export async function runCycle(ctx: ServiceContext, ref: string, options: CycleRunOptions = {}): Promise<CycleRun> {
  if (ctx.store.readOnly) throw new ServiceError('refused', `The store is open read-only (${ctx.store.readOnlyReason ?? 'by request'}); a job run could not be recorded.`);
  findJob(ctx.store.current(), ref);
  // Identity first: in the demo, starting the sandbox tenant registers the demo app in the store.
  const auth = await ctx.auth();
  const doc = ctx.store.current();
  const job = findJob(doc, ref);
  const connection = doc.connections.find((c) => c.id === job.connectionId);
  if (!connection) throw new ServiceError('bad-input', `Job '${displayText(job.name)}' refers to a server connection that does not exist.`);
  if (connection.service === 'sharepoint' && connection.location === 'onpremises') throw new ServiceError('refused', ONPREM_SHAREPOINT_REFUSAL);
  // Secrets first: a key file problem is named before anything else.
  const target = verifyTargetFor(ctx.store, connection);
  if (!job.storageId) {
    throw new ServiceError('refused', `Job '${displayText(job.name)}' has no storage yet (jobs of the previous version have none); choose one: backup-panel jobs edit ${job.id} --storage <storage>`);
  }
  const storageRecord = findStorage(doc, job.storageId);
  if (job.kind === 'restore' && !job.restore) throw new ServiceError('bad-input', `Restore job '${displayText(job.name)}' says nothing to restore; set it: backup-panel jobs edit ${job.id} --from <path>`);

  let lock: RunLock;
  try {
    lock = await acquireRunLock(ctx.store.path, job.id, options.what ?? `jobs run ${job.name}`, ctx.now());
  } catch (error) {
    if (error instanceof RunLockHeld) {
      const h = error.holder;
      throw new ServiceError('refused', `Job '${displayText(job.name)}' is already running (pid ${h.pid} on ${h.host}, user ${h.user}, since ${h.since}).`);
    }
    throw error;
  }

  const startedAt = ctx.now();
  const tracker = new ProgressTracker(startedAt);
  let stop = false;
  let stoppedBy: 'user' | 'shutdown' = 'user';
  const abort = new AbortController();
  const onAbort = () => {
    stop = true;
  };
  const onShutdown = () => {
    if (!stop) stoppedBy = 'shutdown';
    stop = true;
  };
  const onCancel = () => {
    onShutdown();
    abort.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop = true;
  options.shutdown?.addEventListener('abort', onShutdown, { once: true });
  if (options.shutdown?.aborted) onShutdown();
  options.cancel?.addEventListener('abort', onCancel, { once: true });
  if (options.cancel?.aborted) onCancel();
  const emit = (event: CycleEvent) => {
    tracker.apply(event, ctx.now());
    options.onEvent?.(event);
  };
  const writeStatus = async () => {
    if (!stop && (await lock.stopRequested())) stop = true;
    const progress = tracker.progress;
    options.onProgress?.(progress);
    await lock
      .writeStatus({ jobId: job.id, pid: process.pid, startedAt: startedAt.toISOString(), updatedAt: ctx.now().toISOString(), ...(stop ? { stopping: true } : {}), progress })
      .catch(() => undefined);
  };
  const timer = setInterval(() => void writeStatus(), options.statusIntervalMs ?? 1000);
  timer.unref();
  await writeStatus();

  const engine: EngineContext = { stopRequested: () => stop, signal: abort.signal, emit, now: ctx.now, itemConcurrency: options.itemConcurrency ?? 4 };
  let summary: { scanned: number; backedUp: number; removed: number; restored: number; bytes: number; errors: CycleRecord['errors']; fatal?: string; stopped: boolean };
  try {
    if (!auth.dataAccess) throw new ServiceError('refused', 'This build cannot reach Microsoft 365 data.');
    const access = await auth.dataAccess(target);
    const storage = await openStorageRecord(ctx, storageRecord);
    try {
      if (job.kind === 'backup') {
        const { backupFor } = await import('./data-plane.js');
        const { runBackupCycle } = await import('../engine/cycle.js');
        const backup = await backupFor(connection, access, { signal: abort.signal, onThrottled: (waitMs) => emit({ type: 'throttled', waitMs }), ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
        const result = await runBackupCycle({ storage, backup, selection: job.sources ?? 'all', what: `jobs run ${job.name}`, ctx: engine });
        summary = { ...result, restored: 0 };
      } else {
        const { runRestore } = await import('./restores.js');
        const result = await runRestore({ connection, access, storage, spec: job.restore ?? { from: '' }, ctx: engine, now: startedAt, ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
        summary = { scanned: 0, backedUp: 0, removed: 0, restored: result.restored, bytes: result.bytes, errors: result.errors, stopped: stop };
      }
    } finally {
      await storage.close().catch(() => undefined);
    }
  } catch (error) {
    summary = { scanned: 0, backedUp: 0, removed: 0, restored: 0, bytes: 0, errors: [], fatal: describe(error), stopped: false };
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
    options.shutdown?.removeEventListener('abort', onShutdown);
    options.cancel?.removeEventListener('abort', onCancel);
  }
  await writeStatus();
  // Requests this cycle aborted itself (a stop that could not wait) fail with 'aborted': that is the stop, not a failure.
  const fatal = abort.signal.aborted ? undefined : summary.fatal;
  const result = cycleResult({ stopped: summary.stopped || stop, fatal: fatal !== undefined, errors: summary.errors.length });
  const record: CycleRecord = {
    result,
    startedAt: startedAt.toISOString(),
    endedAt: ctx.now().toISOString(),
    scanned: summary.scanned,
    backedUp: summary.backedUp,
    removed: summary.removed,
    restored: summary.restored,
    bytes: summary.bytes,
    errors: fatal !== undefined ? [{ source: '', message: fatal }, ...summary.errors] : summary.errors,
    ...(result === 'stopped' ? { stoppedBy } : {}),
  };
  try {
    const saved = await ctx.store.update((draft, tools) => {
      const current = draft.jobs.find((j) => j.id === job.id);
      if (!current) throw new ServiceError('bad-input', `Job '${displayText(job.name)}' was deleted by another session while it ran; the outcome was not recorded.`);
      const message = fatal ?? `${record.backedUp + record.restored} items, ${record.errors.length} errors`;
      current.lastRun = { at: record.endedAt, result: record.result, message };
      current.cycles = withCycle(current.cycles ?? [], record);
      if (record.result === 'failed') {
        const alert = { category: 'job-failed' as const, created: tools.now.toISOString(), jobId: job.id, connectionId: job.connectionId, message: jobFailedMessage(job.name, fatal ?? 'see the job history') };
        // One open alert per failing job, renewed: a continuous job failing every idle time must not fill the store with alerts.
        const open = draft.alerts.findIndex((a) => a.category === 'job-failed' && a.jobId === job.id);
        const [previous] = open >= 0 ? draft.alerts.splice(open, 1) : [];
        draft.alerts.push({ id: previous?.id ?? newAlertId(), ...alert });
      }
      return { change: { action: 'job.run', entity: { type: 'job', id: job.id }, fields: ['lastRun', 'cycles'], details: { result: record.result } }, result: { ...current } };
    });
    return { job: saved, record };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** `jobs stop`: asks the running cycle (in any process on this server) to end at the next item boundary. */
export async function stopJob(ctx: Pick<ServiceContext, 'store'>, ref: string): Promise<Job> {
  const job = findJob(ctx.store.current(), ref);
  if (!(await requestStop(ctx.store.path, job.id))) throw new ServiceError('refused', `Job '${displayText(job.name)}' is not running.`);
  return job;
}

export async function jobRunning(ctx: Pick<ServiceContext, 'store'>, jobId: string): Promise<boolean> {
  return (await runHolder(ctx.store.path, jobId)) !== undefined;
}

/** The job's cycles, newest first. */
export function jobHistory(ctx: Pick<ServiceContext, 'store'>, ref: string): { job: Job; cycles: readonly CycleRecord[] } {
  const job = findJob(ctx.store.current(), ref);
  return { job, cycles: job.cycles ?? [] };
}

export { progressLine, type CycleEvent, type CycleProgress } from '../engine/events.js';
