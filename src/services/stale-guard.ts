import { StoreError } from '../store/api.js';

/**
 * Entity-level optimistic concurrency: an edit made on what the user saw is refused when that
 * thing has changed since, even if other parts of the store changed too (those are rebased).
 */
export function assertUnchanged(current: unknown, basedOn: unknown, what: string): void {
  if (basedOn === undefined) return;
  if (JSON.stringify(current) !== JSON.stringify(basedOn)) {
    throw new StoreError('conflict', `${what} was changed by another session after you opened it; your change was not saved. Review the refreshed data and try again.`);
  }
}
