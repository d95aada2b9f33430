import type { ServiceLiveness, StoreDocument } from '../domain/index.js';
import { displayText, scheduleState } from '../domain/index.js';
import type { CycleProgress } from '../engine/events.js';
import type { ServiceFile, ServiceRecord } from '../runs/index.js';
import { claimServiceFile, HEARTBEAT_MS, readRunStatus, readServiceRecord, runHolder, runningJobs, serviceRecordAlive, ServiceRunning } from '../runs/index.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';

/**
 * Whether the backup service runs for this store, since when, the cycles running now (whoever
 * started them) and when each job's next cycle is due: for the Dashboard, `alerts list`, `check`,
 * `metrics`, and the service itself. Reads small files beside the store; never the store file.
 */

/** What started a running cycle, from its run lock: the backup service, or a person (`jobs run`, the panel). */
export const SERVICE_RUN_WHAT = 'backup service';

export interface RunningCycle {
  readonly jobId: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly startedBy: 'service' | 'other';
  /** Set once it was asked to stop (it ends at the next item boundary). */
  readonly stopping: boolean;
  /** The live figures (updated about once a second by the running process). */
  readonly progress?: CycleProgress;
}

export interface NextDue {
  readonly jobId: string;
  /** When the job's next cycle starts; now (or earlier) when it is due. */
  readonly at: string;
  readonly waitingFor?: 'idle' | 'activity-period';
}

export interface ServiceStatus {
  readonly running: boolean;
  /** When the running service started. */
  readonly since?: string;
  readonly pid?: number;
  readonly host?: string;
  readonly user?: string;
  readonly version?: string;
  /** At most this many cycles at once. */
  readonly maxCycles?: number;
  /** When not running: the last heartbeat or stop of the last service; absent when none ever ran for this store. */
  readonly lastSeen?: string;
  /** Every running cycle of this store's jobs, newest first. */
  readonly runningCycles: readonly RunningCycle[];
  /** The next cycle of every job the service starts (not running now), soonest first. */
  readonly nextDue: readonly NextDue[];
}

function livenessOf(record: ServiceRecord | undefined, now: Date): ServiceLiveness {
  if (!record) return { running: false };
  if (serviceRecordAlive(record, now)) return { running: true };
  return { running: false, lastSeen: record.stoppedAt ?? record.heartbeatAt };
}

/** Whether the service runs (one small file read): what the derived alerts need. */
export async function serviceLiveness(ctx: Pick<ServiceContext, 'store' | 'now'>): Promise<ServiceLiveness> {
  return livenessOf(await readServiceRecord(ctx.store.path), ctx.now());
}

/** The next cycle of each job the service starts, soonest first (pure: `now` is passed in). */
export function nextDueCycles(doc: Pick<StoreDocument, 'jobs'>, now: Date, running: ReadonlySet<string> = new Set()): NextDue[] {
  const out: NextDue[] = [];
  for (const job of doc.jobs) {
    if (running.has(job.id)) continue;
    const state = scheduleState(job, now);
    if (state.kind === 'due') out.push({ jobId: job.id, at: now.toISOString() });
    else if (state.kind === 'waiting') out.push({ jobId: job.id, at: state.at.toISOString(), waitingFor: state.until });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The cycles running now for this store's jobs, read from their run locks and live-status files. */
export async function runningCycles(ctx: Pick<ServiceContext, 'store'>): Promise<RunningCycle[]> {
  const ids = new Set(ctx.store.current().jobs.map((j) => j.id));
  const out: RunningCycle[] = [];
  for (const jobId of await runningJobs(ctx.store.path)) {
    if (!ids.has(jobId)) continue;
    const holder = await runHolder(ctx.store.path, jobId);
    if (!holder) continue;
    const status = await readRunStatus<CycleProgress>(ctx.store.path, jobId);
    out.push({
      jobId,
      pid: holder.pid,
      host: holder.host,
      startedAt: status?.startedAt ?? holder.since,
      startedBy: holder.what === SERVICE_RUN_WHAT ? 'service' : 'other',
      stopping: status?.stopping === true,
      ...(status?.progress ? { progress: status.progress } : {}),
    });
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** Everything the panel shows of the service. */
export async function serviceStatus(ctx: Pick<ServiceContext, 'store' | 'now'>): Promise<ServiceStatus> {
  const now = ctx.now();
  const record = await readServiceRecord(ctx.store.path);
  const liveness = livenessOf(record, now);
  const cycles = await runningCycles(ctx);
  const nextDue = nextDueCycles(ctx.store.current(), now, new Set(cycles.map((c) => c.jobId)));
  if (!liveness.running || !record) return { running: false, ...(liveness.lastSeen ? { lastSeen: liveness.lastSeen } : {}), runningCycles: cycles, nextDue };
  return { running: true, since: record.since, pid: record.pid, host: record.host, user: record.user, version: record.version, maxCycles: record.maxCycles, runningCycles: cycles, nextDue };
}

/** The running service's own handle on its file (the scheduler's heartbeat). */
export interface ServiceRegistration {
  readonly since: string;
  heartbeat(running: ReadonlyArray<{ jobId: string; startedAt: string }>): Promise<void>;
  stopping(): Promise<void>;
  stopped(): Promise<void>;
}

export { HEARTBEAT_MS };

/** Claims the store for this service; refused while another service runs for it. */
export async function registerService(ctx: Pick<ServiceContext, 'store' | 'now'>, info: { version: string; maxCycles: number }): Promise<ServiceRegistration> {
  let file: ServiceFile;
  try {
    file = await claimServiceFile(ctx.store.path, info, ctx.now());
  } catch (error) {
    if (error instanceof ServiceRunning) {
      const r = error.record;
      throw new ServiceError('refused', `The backup service already runs for this store (pid ${r.pid} on ${displayText(r.host)}, user ${displayText(r.user)}, since ${r.since}).`);
    }
    throw error;
  }
  let running: ReadonlyArray<{ jobId: string; startedAt: string }> = [];
  // One write at a time, in order: a heartbeat and a cycle's end may ask at once, and the last word (stopped) must win.
  let queue: Promise<unknown> = Promise.resolve();
  const write = (changes: Parameters<ServiceFile['update']>[0]): Promise<void> => {
    const next = queue.then(() => {
      const now = ctx.now();
      return file.update(changes.state === 'stopped' ? { ...changes, stoppedAt: now.toISOString() } : changes, now);
    });
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    since: file.record.since,
    heartbeat(cycles) {
      running = cycles;
      return write({ runningCycles: running });
    },
    stopping() {
      return write({ state: 'stopping', runningCycles: running });
    },
    stopped() {
      return write({ state: 'stopped', runningCycles: [] });
    },
  };
}
