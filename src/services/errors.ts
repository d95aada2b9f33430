import type { NextStep } from '../domain/index.js';
import { withNextStep } from '../domain/next-steps.js';

/**
 * A use case could not be done. `message` is one line for the admin: what is wrong and how to fix it.
 * `kind` lets each front end choose its reaction (exit code, dialog) without parsing text.
 */
export type ServiceErrorKind =
  | 'bad-input' // unknown connection, malformed GUID, unreadable certificate file…
  | 'refused' // a rule forbids it (delete while jobs use it, dismiss a permanent alert)
  | 'verification-failed' // a check failed; nothing was saved
  | 'cancelled';

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  /** What is wrong, without the next step (describeError adds it in the words of the front end). */
  readonly detail: string;
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    /** What to do, when it depends on the front end (a panel key or a command). */
    readonly next?: NextStep,
  ) {
    // The panel's words in `message`, for code that shows it as it is.
    super(withNextStep(message, next, 'tui'));
    this.detail = message;
  }
}
