import type { Job } from './job.js';
import { idleTimeOf } from './job.js';
import type { ActivityPeriod } from './schedule.js';
import { parseActivityPeriod, parseIdleTime, withinActivityPeriod } from './schedule.js';

/**
 * When the backup service starts a job's cycles (product.md §7, contracts §8.3), as pure rules of
 * the job and `now`:
 * - a restore job runs manually only; a backup job without a storage (a version-1 job) cannot run;
 * - continuous: the first cycle at once, then each one the idle time after the previous one ended
 *   (whoever ran it: the service, `jobs run`, Run in the panel);
 * - one-time: one cycle; a later manual run is the admin's call;
 * - either starts only inside its activity period (a cycle already under way is not cut short);
 * - a cycle cut short by the service's own shutdown is resumed as soon as the service is back.
 */

export type ScheduleState =
  /** May start now; `since` is when it became due (the longest-waiting job goes first). */
  | { readonly kind: 'due'; readonly since: Date }
  /** Starts at `at`: after the idle time, or when the activity period opens. */
  | { readonly kind: 'waiting'; readonly at: Date; readonly until: 'idle' | 'activity-period' }
  /** The service does not start it; `reason` in words. */
  | { readonly kind: 'not-scheduled'; readonly reason: 'manual' | 'no-storage' | 'done' };

/** Backup jobs with a storage: the ones the backup service runs. */
export function isServiceJob(job: Job): boolean {
  return job.kind === 'backup' && job.storageId !== undefined;
}

/** When the job's last cycle ended (a version-1 job's last run counts too). */
export function lastCycleEnd(job: Job): Date | undefined {
  const at = job.cycles?.[0]?.endedAt ?? job.lastRun?.at;
  if (at === undefined) return undefined;
  const time = Date.parse(at);
  return Number.isFinite(time) ? new Date(time) : undefined;
}

function resumesAfterShutdown(job: Job): boolean {
  const last = job.cycles?.[0];
  return last?.result === 'stopped' && last.stoppedBy === 'shutdown';
}

/** The job's activity period, or undefined for "any time" (and for text that no longer parses: never silently "never"). */
export function activityPeriodOf(job: Job): ActivityPeriod | undefined {
  if (!job.activity) return undefined;
  const period = parseActivityPeriod(job.activity);
  return 'error' in period ? undefined : period;
}

/** The first moment at or after `from` inside the period (local time of the server). */
export function nextInActivityPeriod(period: ActivityPeriod, from: Date): Date | undefined {
  if (withinActivityPeriod(period, from)) return from;
  // Outside the period the next moment inside is always a start: the first start day from `from` on.
  // Calendar days, not 24-hour steps: a day is 23 or 25 hours long when the clocks change.
  for (let d = 0; d <= 7; d++) {
    const start = new Date(from.getFullYear(), from.getMonth(), from.getDate() + d, Math.floor(period.startMinute / 60), period.startMinute % 60);
    if (period.days.has(start.getDay()) && start.getTime() >= from.getTime()) return start;
  }
  return undefined;
}

/** Whether and when the backup service starts the job's next cycle. */
export function scheduleState(job: Job, now: Date): ScheduleState {
  if (job.kind !== 'backup') return { kind: 'not-scheduled', reason: 'manual' };
  if (job.storageId === undefined) return { kind: 'not-scheduled', reason: 'no-storage' };
  const resume = resumesAfterShutdown(job);
  let earliest: Date;
  if (!job.continuous) {
    // Only cycles of this engine count: a version-1 job's last run went elsewhere.
    if ((job.cycles?.length ?? 0) > 0 && !resume) return { kind: 'not-scheduled', reason: 'done' };
    earliest = resume ? (lastCycleEnd(job) ?? now) : now;
  } else {
    const end = lastCycleEnd(job);
    earliest = end === undefined ? now : resume ? end : new Date(end.getTime() + (parseIdleTime(idleTimeOf(job)) ?? 60) * 1000);
  }
  const period = activityPeriodOf(job);
  const from = earliest.getTime() > now.getTime() ? earliest : now;
  const opens = period ? nextInActivityPeriod(period, from) : from;
  if (opens === undefined) return { kind: 'not-scheduled', reason: 'done' };
  if (opens.getTime() <= now.getTime()) return { kind: 'due', since: earliest.getTime() < now.getTime() ? earliest : now };
  return { kind: 'waiting', at: opens, until: opens.getTime() > from.getTime() ? 'activity-period' : 'idle' };
}

/** When the job's next cycle starts (now when due); undefined when the service does not start it. */
export function nextDueAt(job: Job, now: Date): Date | undefined {
  const state = scheduleState(job, now);
  return state.kind === 'due' ? now : state.kind === 'waiting' ? state.at : undefined;
}
