import * as z from 'zod';
import { IsoInstant, NonEmpty } from './primitives.js';

export const JOB_KINDS = ['backup', 'restore'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const RUN_RESULTS = ['succeeded', 'warning', 'failed'] as const;
export type RunResult = (typeof RUN_RESULTS)[number];

export const LastRun = z.looseObject({
  at: IsoInstant,
  result: z.enum(RUN_RESULTS),
  /** What the run found, in words an admin can act on (never a secret). */
  message: z.string().optional(),
});
export type LastRun = z.infer<typeof LastRun>;

export const Job = z.looseObject({
  id: NonEmpty,
  name: NonEmpty,
  kind: z.enum(JOB_KINDS),
  connectionId: NonEmpty,
  continuous: z.boolean().default(false),
  lastRun: LastRun.optional(),
});
export type Job = z.infer<typeof Job>;

/** Jobs that use a connection, in store order. */
export function jobsUsing(jobs: readonly Job[], connectionId: string): Job[] {
  return jobs.filter((job) => job.connectionId === connectionId);
}
