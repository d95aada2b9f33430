import type { CycleProgress } from '../engine/events.js';
import { readRunStatus, runHolder, runningJobs } from '../runs/index.js';
import type { ServiceContext } from './context.js';

/**
 * The cycles running now, wherever they were started (the backup service, `jobs run`, a panel),
 * read from the live-status files beside the store: the panel shows their progress without the
 * store being written during a cycle.
 */
export interface LiveRun {
  readonly jobId: string;
  readonly pid: number;
  readonly host: string;
  /** What started it (`jobs run <name>`, the service…). */
  readonly what: string;
  readonly since: string;
  /** When the status file was last written (about once a second while the cycle runs). */
  readonly updatedAt: string | undefined;
  /** The cycle has seen a stop request and ends at the next item boundary. */
  readonly stopping: boolean;
  readonly progress: CycleProgress | undefined;
}

export async function liveRuns(ctx: Pick<ServiceContext, 'store'>): Promise<LiveRun[]> {
  const out: LiveRun[] = [];
  for (const jobId of await runningJobs(ctx.store.path)) {
    const holder = await runHolder(ctx.store.path, jobId);
    if (!holder) continue;
    const status = await readRunStatus<CycleProgress>(ctx.store.path, jobId);
    out.push({
      jobId,
      pid: holder.pid,
      host: holder.host,
      what: holder.what,
      since: holder.since,
      updatedAt: status?.updatedAt,
      stopping: status?.stopping === true,
      progress: status?.progress,
    });
  }
  return out;
}
