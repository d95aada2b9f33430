import * as z from 'zod';
import { IsoInstant } from './primitives.js';

/** How a cycle ended (contracts §8.2). */
export const CYCLE_RESULTS = ['succeeded', 'warning', 'failed', 'stopped'] as const;
export type CycleResult = (typeof CYCLE_RESULTS)[number];

/**
 * Cycles kept per job in the store. The store is read whole at start-up and 20,000 jobs are
 * benchmarked: a cycle record is about 250 bytes as the store writes it, so 5 per job keep 20,000
 * jobs' history near 25 MB (under the store's 64 MB limit); each record lists at most 3 errors
 * (with the count of all).
 */
export const CYCLE_HISTORY_LIMIT = 5;
export const CYCLE_ERRORS_KEPT = 3;

export const CycleError = z.looseObject({
  /** Mailbox UPN or site (host/sites/name); '' for the job as a whole. */
  source: z.string(),
  item: z.string().optional(),
  message: z.string(),
});
export type CycleError = z.infer<typeof CycleError>;

export const CycleRecord = z.looseObject({
  result: z.enum(CYCLE_RESULTS),
  startedAt: IsoInstant,
  endedAt: IsoInstant,
  scanned: z.number().int().nonnegative().default(0),
  backedUp: z.number().int().nonnegative().default(0),
  removed: z.number().int().nonnegative().default(0),
  restored: z.number().int().nonnegative().default(0),
  bytes: z.number().int().nonnegative().default(0),
  errors: z.array(CycleError).default([]),
  /** All errors of the cycle, when more happened than `errors` keeps. */
  errorCount: z.number().int().nonnegative().optional(),
  /**
   * Who ended a `stopped` cycle: an admin (`jobs stop`, Stop, Ctrl-C) or the backup service's own
   * shutdown (SIGTERM at a reboot), which the service resumes when it is back.
   */
  stoppedBy: z.enum(['user', 'shutdown']).optional(),
});
export type CycleRecord = z.infer<typeof CycleRecord>;

/** The job's history with a new cycle in front, bounded. */
export function withCycle(history: readonly CycleRecord[], cycle: CycleRecord): CycleRecord[] {
  const kept: CycleRecord =
    cycle.errors.length > CYCLE_ERRORS_KEPT ? { ...cycle, errors: cycle.errors.slice(0, CYCLE_ERRORS_KEPT), errorCount: cycle.errors.length } : cycle;
  return [kept, ...history].slice(0, CYCLE_HISTORY_LIMIT);
}

/** The result a finished cycle gets from what happened. */
export function cycleResult(outcome: { stopped: boolean; fatal: boolean; errors: number }): CycleResult {
  if (outcome.fatal) return 'failed';
  if (outcome.stopped) return 'stopped';
  return outcome.errors > 0 ? 'warning' : 'succeeded';
}
