import type { AuditRow } from '../../services/audit.js';
import type { ListModel } from '../list/list.js';

/** The Audit view's state (types only; model/state/audit.ts changes it). */
export interface AuditPane {
  readonly list: ListModel;
  /** The newest changes, newest first; undefined until first read. */
  readonly rows: readonly AuditRow[] | undefined;
  /** Older changes were left out of `rows` (the view reads a window of the newest). */
  readonly capped: boolean;
  /** Lines of the log read that could not be read. */
  readonly unreadable: number;
  /** The read under way (its id: a later one replaces it). */
  readonly loading: number | undefined;
  readonly failure: string | undefined;
}
