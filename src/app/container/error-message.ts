import { describeError } from '../../services/index.js';
import type { Modal } from '../../model/state/types.js';
import { safeText } from '../../text/safe-text.js';

/** Any failure of a use case, as a dialog the admin can read and close (never a crash). */
export function errorDialog(error: unknown, what: string): Extract<Modal, { kind: 'message' }> {
  const d = describeError(error);
  const title =
    d.kind === 'conflict'
      ? 'Changed by another session'
      : d.kind === 'read-only'
        ? 'The store is read-only'
        : d.kind === 'store'
          ? d.storeCode === 'key'
            ? `${what}: the store's key cannot be used`
            : `${what}: the store could not be saved`
          : d.kind === 'refused'
            ? `${what}: not allowed`
            : d.kind === 'verification-failed'
              ? `${what}: verification failed`
              : `${what} failed`;
  return { kind: 'message', tone: 'error', title, text: safeText(d.hint ? `${d.message} ${d.hint}` : d.message) };
}

export function isConflict(error: unknown): boolean {
  return describeError(error).kind === 'conflict';
}

export function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || describeError(error).kind === 'cancelled';
}
