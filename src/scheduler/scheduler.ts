import type { CycleRecord, Job } from '../domain/index.js';
import { idleTimeOf, parseIdleTime, scheduleState } from '../domain/index.js';
import type { ServiceContext } from '../services/index.js';
import { describeError, jobRunning, runCycle, SERVICE_RUN_WHAT, ServiceError } from '../services/index.js';
import type { ServiceLog } from './log.js';
import { jobLabel } from './log.js';

/**
 * Which cycles start when: each job's cycles as the schedule rules say (domain/schedule-rules.ts),
 * one per job (the run lock: a cycle started from the CLI or the panel is respected), one per
 * storage (a storage takes one writer at a time: a second cycle would fail on its lock), at most
 * `maxCycles` at once, the longest-waiting first. It re-decides when the store changes (a job
 * created, edited or deleted anywhere), when a cycle ends, and when the next job falls due.
 */

export interface SchedulerOptions {
  readonly ctx: ServiceContext;
  readonly log: ServiceLog;
  readonly maxCycles: number;
  /** Run every cycle due now once, then stop deciding (`service --once`). */
  readonly once?: boolean;
  /** After a cycle ends (the metrics file, the heartbeat). */
  readonly onChange?: () => void;
}

interface Running {
  readonly job: Job;
  readonly startedAt: Date;
  readonly shutdown: AbortController;
  readonly cancel: AbortController;
  readonly done: Promise<void>;
}

/** A cycle started by another process is checked again this soon (its end also changes the store). */
const ELSEWHERE_RECHECK_MS = 10_000;
/** A job that could not start is tried again after its idle time, at least this long (or when the store changes). */
const NOT_STARTED_RETRY_MS = 60_000;
/** Re-decide at least this often (a clock step, a period opening). */
const MAX_SLEEP_MS = 60_000;

export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #running = new Map<string, Running>();
  /** Jobs not to try before `until` (running elsewhere, or could not start). */
  readonly #held = new Map<string, number>();
  /** The last reason a job could not start, so that it is logged once, not at every retry. */
  readonly #problems = new Map<string, string>();
  readonly #ranOnce = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #deciding = false;
  #again = false;
  #stopped = false;
  #failed = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: SchedulerOptions) {
    this.#o = options;
  }

  /** The cycles this service runs now. */
  get running(): ReadonlyArray<{ jobId: string; startedAt: string }> {
    return [...this.#running.values()].map((r) => ({ jobId: r.job.id, startedAt: r.startedAt.toISOString() }));
  }

  /** Cycles of this run that ended `failed` or could not start (the exit code of `--once`). */
  get failedCycles(): number {
    return this.#failed;
  }

  /** The store changed: another session's edit makes every job worth trying again at once. */
  storeChanged(external: boolean): void {
    if (external) this.#held.clear();
    this.kick();
  }

  /** Decide now (coalesced: one decision at a time, another one right after if asked meanwhile). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#deciding) {
      this.#again = true;
      return;
    }
    this.#deciding = true;
    void this.#decide()
      .catch((error: unknown) => this.#o.log.error(`could not decide which cycles are due: ${describeError(error, 'cli').message}`))
      .finally(() => {
        this.#deciding = false;
        if (this.#again) {
          this.#again = false;
          this.kick();
        } else if (this.#running.size === 0 && this.#o.once) this.#settle();
      });
  }

  /** `--once`: resolves when every cycle due at the start has run. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      if (!this.#deciding && this.#running.size === 0) this.kick();
    });
  }

  #settle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  async #decide(): Promise<void> {
    const { ctx } = this.#o;
    const now = ctx.now();
    let wake = now.getTime() + MAX_SLEEP_MS;
    const due: Array<{ job: Job; since: number }> = [];
    for (const job of ctx.store.current().jobs) {
      if (this.#running.has(job.id) || (this.#o.once && this.#ranOnce.has(job.id))) continue;
      const state = scheduleState(job, now);
      if (state.kind === 'waiting') wake = Math.min(wake, state.at.getTime());
      if (state.kind !== 'due') continue;
      const held = this.#held.get(job.id);
      if (held !== undefined && held > now.getTime()) {
        wake = Math.min(wake, held);
        continue;
      }
      due.push({ job, since: state.since.getTime() });
    }
    due.sort((a, b) => a.since - b.since);
    // A job whose storage is being written waits for that cycle's end (which decides again).
    const writing = new Set([...this.#running.values()].map((r) => r.job.storageId));
    for (const { job } of due) {
      if (this.#stopped || this.#running.size >= this.#o.maxCycles) break;
      if (writing.has(job.storageId)) continue;
      if (this.#o.once) this.#ranOnce.add(job.id);
      if (await jobRunning(ctx, job.id)) {
        this.#hold(job, ELSEWHERE_RECHECK_MS, 'it runs in another process (jobs run, or the panel); skipped until that cycle ends');
        wake = Math.min(wake, now.getTime() + ELSEWHERE_RECHECK_MS);
        continue;
      }
      if (this.#stopped) break;
      writing.add(job.storageId);
      this.#start(job);
    }
    if (this.#stopped || this.#o.once) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.kick(), Math.max(0, Math.min(wake - ctx.now().getTime(), MAX_SLEEP_MS)) + 50);
  }

  #hold(job: Job, forMs: number, reason: string): void {
    this.#held.set(job.id, this.#o.ctx.now().getTime() + forMs);
    if (this.#problems.get(job.id) === reason) return;
    this.#problems.set(job.id, reason);
    this.#o.log.warning(`${jobLabel(job)} not started: ${reason}`);
  }

  #start(job: Job): void {
    const { ctx, log } = this.#o;
    const shutdown = new AbortController();
    const cancel = new AbortController();
    const startedAt = ctx.now();
    let started = false;
    // The first progress report comes once the run lock is taken and the live status written.
    const onProgress = () => {
      if (started) return;
      started = true;
      log.info(`${jobLabel(job)}: cycle started`);
    };
    const done = runCycle(ctx, job.id, { shutdown: shutdown.signal, cancel: cancel.signal, what: SERVICE_RUN_WHAT, onProgress })
      .then(({ job: saved, record }) => {
        this.#problems.delete(job.id);
        this.#logEnd(saved, record);
      })
      .catch(async (error: unknown) => {
        const message = describeError(error, 'cli').message;
        // Another process took the run lock between our look and our start.
        if (error instanceof ServiceError && error.kind === 'refused' && (await jobRunning(ctx, job.id).catch(() => false))) {
          this.#hold(job, ELSEWHERE_RECHECK_MS, message);
          return;
        }
        this.#failed += 1;
        this.#hold(job, Math.max(NOT_STARTED_RETRY_MS, (parseIdleTime(idleTimeOf(job)) ?? 0) * 1000), message);
      })
      .finally(() => {
        this.#running.delete(job.id);
        this.#o.onChange?.();
        this.kick();
      });
    this.#running.set(job.id, { job, startedAt, shutdown, cancel, done });
    this.#o.onChange?.();
  }

  #logEnd(job: Job, record: CycleRecord): void {
    const seconds = Math.max(0, Math.round((Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 1000));
    const errors = record.errorCount ?? record.errors.length;
    const figures = `in ${seconds}s: scanned ${record.scanned}, backed up ${record.backedUp}, removed ${record.removed}, ${(record.bytes / 1_048_576).toFixed(1)} MB, ${errors} errors`;
    const line = `${jobLabel(job)}: cycle ${record.result}${record.stoppedBy ? ` (by ${record.stoppedBy === 'shutdown' ? 'the service stopping' : 'a user'})` : ''} ${figures}`;
    if (record.result === 'failed') {
      this.#failed += 1;
      this.#o.log.error(`${line}; ${record.errors[0]?.message ?? 'see the job history'}`);
    } else if (record.result === 'warning') this.#o.log.warning(`${line}; first: ${record.errors[0]?.message ?? ''}`);
    else this.#o.log.info(line);
  }

  /**
   * Stops deciding and asks every running cycle to end at the next item boundary (recorded
   * `stopped`, resumed when the service is back); after `graceMs`, requests still under way are
   * aborted. Resolves when every cycle is recorded, or after `deadlineMs` with the ones that were not.
   */
  async stop(options: { graceMs: number; deadlineMs: number }): Promise<Job[]> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const running = [...this.#running.values()];
    for (const r of running) r.shutdown.abort();
    const grace = setTimeout(() => this.cancelRequests(), options.graceMs);
    let deadline: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (deadline = setTimeout(() => resolve('late'), options.deadlineMs)));
    await Promise.race([Promise.all(running.map((r) => r.done)), late]);
    clearTimeout(grace);
    clearTimeout(deadline);
    this.#settle();
    return [...this.#running.values()].map((r) => r.job);
  }

  /** Aborts the requests of every running cycle (a second signal, or the grace period over). */
  cancelRequests(): void {
    const running = [...this.#running.values()].filter((r) => !r.cancel.signal.aborted);
    if (!running.length) return;
    this.#o.log.warning(`aborting the requests under way of ${running.length} cycle${running.length === 1 ? '' : 's'} still running`);
    for (const r of running) r.cancel.abort();
  }
}
