import type { CheckResult, ErrorCategory } from '../auth/api.js';
import type { Audience } from '../domain/next-steps.js';
import { withNextStep } from '../domain/next-steps.js';
import { M365Error } from '../auth/api.js';
import { StoreError } from '../store/api.js';
import { ServiceError } from './errors.js';

/**
 * The one place that turns a failure into words, for every front end: the CLI prints `errorLine`,
 * the panel shows the same message in a dialog or under a wizard step. What to do next is said in
 * the audience's words (the panel's keys and tabs, or the command to run: domain/next-steps.ts).
 * Text is returned raw; each front end makes it safe where it draws or prints it.
 */

/** What kind of failure it is, so that each front end reacts (exit code, dialog title) without parsing text. */
export type ErrorKind =
  | 'bad-input'
  | 'refused'
  | 'verification-failed'
  | 'cancelled'
  /** The store changed since it was read: nothing was saved; re-read and try again. */
  | 'conflict'
  | 'read-only'
  /** The store could not be read or written (disk, lock, key, format). */
  | 'store'
  /** Microsoft 365 or an on-premises server refused or did not answer. */
  | 'microsoft'
  | 'unexpected';

export interface ErrorDescription {
  readonly kind: ErrorKind;
  /** What is wrong and, where known, what to do. */
  readonly message: string;
  /** What to do, when Microsoft's answer says it apart from the message. */
  readonly hint?: string;
  /** Microsoft 365 failures: the normalised category in words, e.g. "Sign-in declined". */
  readonly category?: string;
  readonly aadsts?: number;
  /** Store failures: the store's own code (kept for exit codes). */
  readonly storeCode?: StoreError['code'];
}

/** The normalised error categories (microsoft365.md §12) in words an admin reads. */
export const CATEGORY_WORDS: Readonly<Record<ErrorCategory, string>> = {
  ConsentMissing: 'Permissions not granted (admin consent missing)',
  AppNotFound: 'Application not found',
  BadCredential: 'Wrong or expired credential',
  CertNotRegistered: 'Certificate not accepted',
  ConditionalAccessBlocked: 'Blocked by Conditional Access',
  DeviceCodeDeclined: 'Sign-in declined',
  DeviceCodeExpired: 'Sign-in code expired',
  DeviceCodeCancelled: 'Sign-in cancelled',
  Network: 'Network problem',
  Timeout: 'No answer in time',
  Throttled: 'Throttled by Microsoft',
  PropagationPending: 'Microsoft Entra ID is still catching up',
  Configuration: 'Configuration problem',
  BasicAuthDisabled: 'Basic Authentication switched off',
  ServiceBlocked: 'Blocked by Microsoft',
  NotFound: 'Not found',
  ServerError: 'Fault on the server side',
  Cancelled: 'Cancelled',
  Unknown: 'Unexpected error',
};

export function describeError(error: unknown, audience: Audience = 'tui'): ErrorDescription {
  if (error instanceof ServiceError) return { kind: error.kind, message: withNextStep(error.detail, error.next, audience) };
  if (error instanceof StoreError) {
    const kind: ErrorKind = error.code === 'conflict' ? 'conflict' : error.code === 'read-only' ? 'read-only' : 'store';
    return { kind, message: error.message, storeCode: error.code };
  }
  if (error instanceof M365Error) {
    const cancelled = error.category === 'Cancelled' || error.category === 'DeviceCodeCancelled';
    return {
      kind: cancelled ? 'cancelled' : 'microsoft',
      message: error.message,
      category: CATEGORY_WORDS[error.category],
      ...(error.aadsts !== undefined ? { aadsts: error.aadsts } : {}),
      ...(error.hint && !error.message.includes(error.hint) ? { hint: error.hint } : {}),
    };
  }
  if (error instanceof Error && error.name === 'AbortError') return { kind: 'cancelled', message: 'Cancelled.' };
  return { kind: 'unexpected', message: error instanceof Error ? error.message : String(error) };
}

/** The description as one line: what the CLI prints after "backup-panel: ". */
export function errorLine(description: ErrorDescription): string {
  const text = description.hint ? `${description.message} ${description.hint}` : description.message;
  return description.kind === 'unexpected' ? `unexpected error: ${text}` : text;
}

/** A verification check's message in the audience's words (the check carries its next step as data). */
export function checkMessage(check: Pick<CheckResult, 'message' | 'detail' | 'next'>, audience: Audience, about: { readonly connection?: string } = {}): string {
  if (!check.next || check.detail === undefined) return check.message;
  const next = check.next.kind !== 'delete-jobs' && check.next.connection === undefined && about.connection !== undefined ? { ...check.next, connection: about.connection } : check.next;
  return withNextStep(check.detail, next, audience);
}
