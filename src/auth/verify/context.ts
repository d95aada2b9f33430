import type { CheckResult, CheckStatus, ErrorCategory, Progress } from '../api.js';
import { M365Error } from '../api.js';
import type { NextStep } from '../../domain/next-steps.js';
import { withNextStep } from '../../domain/next-steps.js';
import { redact, serverText } from '../../m365/errors.js';
import type { Transport } from '../../m365/transport.js';

/** What every check needs. */
export interface VerifyContext {
  readonly transport: Transport;
  /** The date the dated checks (EWS, legacy SharePoint sign-in) are judged at. */
  readonly now: Date;
  readonly signal?: AbortSignal;
  /** How long to retry while Entra catches up with a recent registration. */
  readonly propagationTimeoutMs: number;
  /** First wait between propagation retries. */
  readonly propagationBaseDelayMs?: number;
  /** Values that must never appear in a result: passwords, secrets, keys, tokens (grows as tokens are acquired). */
  readonly sensitive: string[];
}

export type Outcome = Omit<CheckResult, 'name'>;

export function pass(message: string): Outcome {
  return { status: 'pass', message };
}

export function warn(message: string, category?: ErrorCategory, aadsts?: number): Outcome {
  return { status: 'warn', message, ...(category ? { category } : {}), ...(aadsts !== undefined ? { aadsts } : {}) };
}

export function fail(message: string, category?: ErrorCategory, aadsts?: number): Outcome {
  return { status: 'fail', message, ...(category ? { category } : {}), ...(aadsts !== undefined ? { aadsts } : {}) };
}

/** An outcome whose last sentence is what to do, said per front end (domain/next-steps.ts). */
export function withStep(outcome: Outcome, next: NextStep): Outcome {
  return { ...outcome, message: withNextStep(outcome.message, next, 'tui'), detail: outcome.message, next };
}

/** An M365Error as a check outcome: its message and what to do. */
export function fromError(error: unknown, status: CheckStatus = 'fail'): Outcome {
  if (error instanceof M365Error) {
    const message = error.hint ? `${error.message} ${error.hint}` : error.message;
    return { status, message, category: error.category, ...(error.aadsts !== undefined ? { aadsts: error.aadsts } : {}) };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { status, message: `Unexpected error: ${serverText(text, 200)}.`, category: 'Unknown' };
}

export function isCancelled(error: unknown): boolean {
  return error instanceof M365Error && (error.category === 'Cancelled' || error.category === 'DeviceCodeCancelled');
}

/**
 * Runs checks in order, reports progress before (running) and after each, and makes every result
 * safe: known secrets and tokens removed, terminal escapes neutralised. A cancelled check rejects
 * the whole verification with Cancelled.
 */
export class CheckRunner {
  readonly results: CheckResult[] = [];

  constructor(
    private readonly ctx: VerifyContext,
    private readonly onProgress?: (p: Progress) => void,
  ) {}

  async run(name: string, check: () => Promise<Outcome>): Promise<CheckResult> {
    if (this.ctx.signal?.aborted) throw new M365Error('Cancelled', 'Cancelled.');
    this.onProgress?.({ running: name, results: [...this.results] });
    let outcome: Outcome;
    try {
      outcome = await check();
    } catch (error) {
      if (isCancelled(error) || this.ctx.signal?.aborted) throw new M365Error('Cancelled', 'Cancelled.');
      outcome = fromError(error);
    }
    const result: CheckResult = { name, ...outcome, message: this.safe(outcome.message) };
    this.results.push(result);
    this.onProgress?.({ results: [...this.results] });
    return result;
  }

  private safe(message: string): string {
    return serverText(redact(message, this.ctx.sensitive), 600);
  }
}

/** `Authorization: Basic …` for a user name and password. */
export function basicAuthorization(userName: string, password: string): string {
  return `Basic ${Buffer.from(`${userName}:${password}`, 'utf8').toString('base64')}`;
}

export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
