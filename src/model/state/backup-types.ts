import type { LiveRun } from '../../services/live-runs.js';
import type { BrowseEntry, StorageRow } from '../../services/storages.js';
import type { ListModel } from '../list/list.js';

/** The state of the Jobs and Storages tabs and of Browse (types only; the reducer is beside them). */

export interface JobsPane {
  readonly list: ListModel;
  /** The job whose details are open (view 'job'). */
  readonly detail: string | undefined;
}

export interface StoragesPane {
  readonly list: ListModel;
  /** Size and items of each storage (read from its folder), by storage id. */
  readonly figures: Readonly<Record<string, StorageRow>>;
  readonly loading: boolean;
}

/** An entry marked for restore or export, with the level it was marked on. */
export interface BrowseMark {
  /** The names from the storage down to the entry's folder (the source first). */
  readonly trail: readonly string[];
  readonly entry: BrowseEntry;
}

/** One storage's tree, one level at a time. */
export interface BrowseState {
  readonly storageId: string;
  readonly storageName: string;
  /** The names from the top down to the level shown: [] = the sources, [source, folder, …]. */
  readonly trail: readonly string[];
  readonly entries: readonly BrowseEntry[] | undefined;
  /** The listing being read (its id: a later one replaces it). */
  readonly loading: number | undefined;
  readonly failure: string | undefined;
  readonly list: ListModel;
  /** The lists of the levels above, to come back to the same place. */
  readonly above: readonly ListModel[];
  /** Marks across the levels of one source, keyed by `markKey`. */
  readonly marks: readonly BrowseMark[];
}

/**
 * The backup service as the Dashboard shows it (read from beside the store every few seconds):
 * whether it runs and since when, and the soonest cycle due.
 */
export interface ServiceView {
  readonly running: boolean;
  readonly since?: string | undefined;
  readonly pid?: number | undefined;
  /** Not running: its last heartbeat or stop; absent when none ever ran for this store. */
  readonly lastSeen?: string | undefined;
  readonly nextDue?: { readonly jobId: string; readonly at: string; readonly waitingFor?: 'idle' | 'activity-period' | undefined } | undefined;
}

/** The cycles running now, wherever started, by job id. */
export interface LiveState {
  readonly runs: Readonly<Record<string, LiveRun>>;
}

/** A cycle this panel started (it ends at the next item if the panel quits). */
export interface PanelCycle {
  readonly jobId: string;
  readonly name: string;
}
