import type { AuthApi, CheckResult, Progress, VerifyTarget } from '../auth/api.js';
import type { RunResult } from '../domain/index.js';

export interface RunOutcome {
  readonly result: RunResult;
  /** One sentence for the job's last run and, on failure, the Bad news alert. */
  readonly message: string;
  readonly checks: readonly CheckResult[];
}

/**
 * Before a job touches any data it proves that the connection still works with the credentials
 * the job will use: the same checks as Test, run with the stored secrets. The first failed check
 * is the job's failure reason.
 */
export async function preflight(
  auth: Pick<AuthApi, 'verify'>,
  target: VerifyTarget,
  options: { now: Date; signal?: AbortSignal; onProgress?: (p: Progress) => void },
): Promise<RunOutcome> {
  const checks = await auth.verify(target, options);
  const failure = checks.find((c) => c.status === 'fail');
  // Recorded in the job's history and alert, read in every front end: without a next step in one front end's words.
  if (failure) return { result: 'failed', message: `${failure.name}: ${failure.detail ?? failure.message}`, checks };
  const warnings = checks.filter((c) => c.status === 'warn');
  if (warnings.length) {
    return { result: 'succeeded', message: `Connection verified (${checks.length} checks, ${warnings.length} with a warning: ${warnings.map((w) => w.name).join(', ')}).`, checks };
  }
  return { result: 'succeeded', message: `Connection verified (${checks.length} checks passed).`, checks };
}
