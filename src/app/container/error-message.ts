import { safeText } from '../../components/text/safe-text.js';
import { ServiceError } from '../../services/index.js';
import { StoreError } from '../../store/api.js';
import type { Modal } from '../state/types.js';

/** Any failure of a use case, as a dialog the admin can read and close (never a crash). */
export function errorDialog(error: unknown, what: string): Extract<Modal, { kind: 'message' }> {
  if (error instanceof StoreError) {
    const title =
      error.code === 'conflict' ? 'Changed by another session' : error.code === 'read-only' ? 'The store is read-only' : error.code === 'key' ? `${what}: the store's key cannot be used` : `${what}: the store could not be saved`;
    return { kind: 'message', tone: 'error', title, text: safeText(error.message) };
  }
  if (error instanceof ServiceError) {
    const title = error.kind === 'refused' ? `${what}: not allowed` : error.kind === 'verification-failed' ? `${what}: verification failed` : `${what} failed`;
    return { kind: 'message', tone: 'error', title, text: safeText(error.message) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'message', tone: 'error', title: `${what} failed`, text: safeText(message) };
}

export function isConflict(error: unknown): boolean {
  return error instanceof StoreError && error.code === 'conflict';
}

export function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError') || (error instanceof ServiceError && error.kind === 'cancelled');
}
