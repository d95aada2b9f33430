import type { Action } from '../../model/state/actions.js';
import type { Intent } from '../../model/state/types.js';
import type { FormEffect } from '../../model/forms/types.js';
import type { ServiceContext } from '../../services/index.js';
// Single modules, not the services barrel: the live-run reader starts with the first frame.
import { describeError } from '../../services/describe-error.js';
import { liveRuns } from '../../services/live-runs.js';
import { serviceStatus } from '../../services/service-status.js';
import type { ServiceView } from '../../model/state/backup-types.js';

type BackupIntent = Extract<Intent, { type: 'run-cycle' | 'load-storage-figures' | 'browse' | 'form' }>;

/** How often the running cycles' status files are read: their writers replace them about once a second. */
export const LIVE_POLL_MS = 400;
/** The service's state is read every this many live reads (about every 2 s): its heartbeat is slower still. */
const SERVICE_EVERY = 5;

/** What the Dashboard needs of the service's status: the soonest due cycle, not all of them. */
async function serviceView(ctx: ServiceContext): Promise<ServiceView> {
  const status = await serviceStatus(ctx);
  const due = status.nextDue[0];
  return {
    running: status.running,
    since: status.since,
    pid: status.pid,
    lastSeen: status.lastSeen,
    nextDue: due ? { jobId: due.jobId, at: due.at, waitingFor: due.waitingFor } : undefined,
  };
}

/**
 * The effects of the Jobs and Storages tabs for the app container: cycles run in the background
 * (one per job, stopped cleanly when the panel quits), the running cycles' live status read from
 * beside the store, storage figures, Browse levels and the wizards' work. Results go back as actions.
 */
export class BackupWork {
  readonly #ctx: ServiceContext;
  readonly #dispatch: (action: Action) => void;
  readonly #cycles = new Map<string, { abort: AbortController; done: Promise<void> }>();
  #form: AbortController | undefined;
  #poll: ReturnType<typeof setTimeout> | undefined;
  #polling = false;
  #ticks = 0;
  #disposed = false;

  constructor(ctx: ServiceContext, dispatch: (action: Action) => void) {
    this.#ctx = ctx;
    this.#dispatch = dispatch;
  }

  /** Starts reading the live status of running cycles, wherever they were started. */
  start(): void {
    if (this.#poll || this.#disposed) return;
    const tick = async () => {
      if (this.#polling || this.#disposed) return;
      this.#polling = true;
      try {
        this.#dispatch({ type: 'live', runs: await liveRuns(this.#ctx) });
        if (this.#ticks++ % SERVICE_EVERY === 0 && !this.#disposed) this.#dispatch({ type: 'service', status: await serviceView(this.#ctx) });
      } catch {
        // The runs folder is unreadable for a moment (being created): the next read tells.
      } finally {
        this.#polling = false;
        if (!this.#disposed) this.#poll = setTimeout(() => void tick(), LIVE_POLL_MS);
      }
    };
    this.#poll = setTimeout(() => void tick(), 0);
  }

  /** Reads the service's status now (its liveness changed), besides the regular reads. */
  refreshService(): void {
    if (this.#disposed) return;
    void serviceView(this.#ctx)
      .then((status) => {
        if (!this.#disposed) this.#dispatch({ type: 'service', status });
      })
      .catch(() => undefined);
  }

  get runningCycles(): number {
    return this.#cycles.size;
  }

  perform(intent: BackupIntent): void {
    switch (intent.type) {
      case 'run-cycle':
        this.#runCycle(intent.jobId);
        return;
      case 'load-storage-figures':
        void this.#load(async () => {
          const { storageRows } = await import('../../services/storages.js');
          return { type: 'storage-figures', rows: await storageRows(this.#ctx) };
        });
        return;
      case 'browse':
        void this.#load(
          async () => {
            const { browseStorage } = await import('../../services/storages.js');
            return { type: 'browse.loaded', opId: intent.opId, listing: await browseStorage(this.#ctx, intent.storageId, intent.path) };
          },
          (error) => ({ type: 'browse.failed', opId: intent.opId, error: describeError(error) }),
        );
        return;
      case 'form':
        void this.#runForm(intent.effect);
        return;
    }
  }

  async #load(work: () => Promise<Action>, failed?: (error: unknown) => Action): Promise<void> {
    try {
      const action = await work();
      if (!this.#disposed) this.#dispatch(action);
    } catch (error) {
      if (failed && !this.#disposed) this.#dispatch(failed(error));
    }
  }

  #runCycle(jobId: string): void {
    if (this.#cycles.has(jobId)) return;
    const abort = new AbortController();
    const done = (async () => {
      try {
        const { runCycle } = await import('../../services/cycles.js');
        const { record } = await runCycle(this.#ctx, jobId, { signal: abort.signal });
        this.#dispatch({ type: 'cycle.ended', jobId, record });
      } catch (error) {
        this.#dispatch({ type: 'cycle.ended', jobId, error: describeError(error) });
      } finally {
        this.#cycles.delete(jobId);
      }
    })();
    this.#cycles.set(jobId, { abort, done });
  }

  async #runForm(effect: FormEffect): Promise<void> {
    if (effect.kind === 'cancel') {
      this.#form?.abort();
      this.#form = undefined;
      return;
    }
    const { runFormEffect } = await import('./form-effects.js');
    let signal: AbortSignal | undefined;
    if (effect.kind === 'load-sources') {
      this.#form?.abort();
      this.#form = new AbortController();
      signal = this.#form.signal;
    }
    try {
      const action = await runFormEffect(this.#ctx, effect, signal);
      if (!this.#disposed && !signal?.aborted) this.#dispatch({ type: 'form', action });
    } catch (error) {
      if (!this.#disposed && !signal?.aborted) this.#dispatch({ type: 'form', action: { type: 'op.failed', opId: effect.opId, error: describeError(error) } });
    }
  }

  /** Asks every cycle started here to stop at the next item, and waits until each is recorded. */
  async stopCycles(): Promise<void> {
    const running = [...this.#cycles.values()];
    for (const cycle of running) cycle.abort.abort();
    await Promise.allSettled(running.map((c) => c.done));
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#poll) clearTimeout(this.#poll);
    this.#poll = undefined;
    this.#form?.abort();
    for (const cycle of this.#cycles.values()) cycle.abort.abort();
  }
}
