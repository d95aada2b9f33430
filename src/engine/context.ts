import type { CycleError } from '../domain/index.js';
import type { SnapshotBuilder, SnapshotReader, SourceInfo, WriteSession } from '../repository/api.js';
import type { CycleEvent } from './events.js';

/** What every service's backup, restore and export gets from the cycle. */
export interface EngineContext {
  /** Checked at item boundaries: true once the cycle was asked to stop. */
  readonly stopRequested: () => boolean;
  /** Aborts requests under way (the process is ending). */
  readonly signal?: AbortSignal;
  readonly emit: (event: CycleEvent) => void;
  readonly now: () => Date;
  /** Items fetched at once per source (Exchange allows 4 concurrent requests per mailbox). */
  readonly itemConcurrency: number;
}

/** What one source's backup did. */
export interface SourceOutcome {
  scanned: number;
  backedUp: number;
  removed: number;
  bytes: number;
  readonly errors: CycleError[];
}

export function emptyOutcome(): SourceOutcome {
  return { scanned: 0, backedUp: 0, removed: 0, bytes: 0, errors: [] };
}

/** A service's backup (exchange-online, sharepoint-online, exchange-onprem). */
export interface ServiceBackup {
  /** The job's sources ('all' or names such as UPNs and `host/sites/name`), resolved. */
  sources(selection: 'all' | readonly string[]): Promise<SourceInfo[]>;
  /** Reads the source's changes into the builder; throws only what must end the source (or the cycle). */
  backup(source: SourceInfo, builder: SnapshotBuilder, session: WriteSession, ctx: EngineContext, outcome: SourceOutcome, previous: () => Promise<SnapshotReader | undefined>): Promise<void>;
}

/** Thrown when a source was stopped at an item boundary (its finished work is still committed). */
export class StopRequested extends Error {
  constructor() {
    super('stopped');
  }
}
