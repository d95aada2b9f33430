import * as z from 'zod';
import { CycleRecord } from './cycle.js';
import { IsoInstant, NonEmpty } from './primitives.js';
import { DEFAULT_IDLE_TIME, parseActivityPeriod, parseIdleTime } from './schedule.js';

export const JOB_KINDS = ['backup', 'restore'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const RUN_RESULTS = ['succeeded', 'warning', 'failed', 'stopped'] as const;
export type RunResult = (typeof RUN_RESULTS)[number];

export const LastRun = z.looseObject({
  at: IsoInstant,
  result: z.enum(RUN_RESULTS),
  /** What the run found, in words an admin can act on (never a secret). */
  message: z.string().optional(),
});
export type LastRun = z.infer<typeof LastRun>;

/** Which mailboxes or sites a backup job reads: all of the connection's, or the listed ones. */
export const JobSources = z.union([z.literal('all'), z.array(NonEmpty).min(1)]);
export type JobSources = z.infer<typeof JobSources>;

export const IdleTime = z.string().refine((v) => parseIdleTime(v) !== undefined, 'expected an idle time as hh:mm:ss, such as 00:01:00');
export const ActivityText = z.string().refine((v) => !('error' in parseActivityPeriod(v)), 'expected an activity period such as "Mon-Fri 20:00-06:00"');

/** What a restore job puts back (contracts §8.2 `jobs create --restore`). */
export const RestoreSpec = z.looseObject({
  /** A browse path in the storage: `<source>/<folder>/…`. */
  from: NonEmpty,
  /** Item ids under `from`; absent = everything under it. */
  items: z.array(NonEmpty).optional(),
  /** Another mailbox or site of the same tenant; absent = where the items came from. */
  to: NonEmpty.optional(),
  /** The folder the items go into; absent = `Restored <date>`. */
  folder: NonEmpty.optional(),
});
export type RestoreSpec = z.infer<typeof RestoreSpec>;

export const Job = z.looseObject({
  id: NonEmpty,
  name: NonEmpty,
  kind: z.enum(JOB_KINDS),
  connectionId: NonEmpty,
  /** Version-1 jobs have none until one is chosen (contracts §8.2). */
  storageId: NonEmpty.optional(),
  /** Absent (version-1 jobs) = 'all'; read it through `sourcesOf`. */
  sources: JobSources.optional(),
  continuous: z.boolean().default(false),
  /** Continuous jobs: the pause after each cycle. */
  idleTime: IdleTime.optional(),
  /** When cycles may start; absent = any time. */
  activity: ActivityText.optional(),
  restore: RestoreSpec.optional(),
  lastRun: LastRun.optional(),
  /** Newest first, at most CYCLE_HISTORY_LIMIT (domain/cycle.ts). */
  cycles: z.array(CycleRecord).optional(),
});
export type Job = z.infer<typeof Job>;

export function sourcesOf(job: Job): JobSources {
  return job.sources ?? 'all';
}

export function idleTimeOf(job: Job): string {
  return job.idleTime ?? DEFAULT_IDLE_TIME;
}

/** Jobs that use a connection, in store order. */
export function jobsUsing(jobs: readonly Job[], connectionId: string): Job[] {
  return jobs.filter((job) => job.connectionId === connectionId);
}

/** Jobs that write to or read from a storage. */
export function jobsOnStorage(jobs: readonly Job[], storageId: string): Job[] {
  return jobs.filter((job) => job.storageId === storageId);
}

/** Job names are unique (case-insensitive, as the reference product's wizard refuses duplicates). */
export function jobNameTaken(jobs: readonly Job[], name: string, exceptId?: string): boolean {
  const wanted = name.trim().toLowerCase();
  return jobs.some((j) => j.id !== exceptId && j.name.trim().toLowerCase() === wanted);
}
