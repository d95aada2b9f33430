/**
 * What a running cycle tells its front end (CLI stderr, the live-status file, the service log):
 * events as they happen, and a progress summary derived from them (sources, items, bytes, rate).
 */

export type CycleEvent =
  | { readonly type: 'sources'; readonly total: number }
  | { readonly type: 'source-start'; readonly source: string }
  | { readonly type: 'source-end'; readonly source: string; readonly ok: boolean }
  /** One item is durable in the builder (backed up, restored or exported). */
  | { readonly type: 'item'; readonly source: string; readonly bytes: number; readonly action: 'backed-up' | 'removed' | 'restored' | 'exported' | 'scanned' }
  | { readonly type: 'throttled'; readonly waitMs: number }
  | { readonly type: 'error'; readonly source: string; readonly item?: string; readonly message: string }
  /** Something reached the disk for good in the storage (content pack, index, snapshot). */
  | { readonly type: 'durable'; readonly what: 'pack' | 'index' | 'snapshot' }
  /** A source's snapshot is committed (its delta links advanced). */
  | { readonly type: 'committed'; readonly source: string; readonly items: number };

export interface CycleProgress {
  readonly sourcesTotal: number;
  readonly sourcesDone: number;
  readonly current?: string;
  readonly scanned: number;
  readonly items: number;
  readonly removed: number;
  readonly bytes: number;
  readonly errors: number;
  /** Items per second since the cycle started. */
  readonly rate: number;
  readonly startedAt: string;
}

/** Folds events into progress; `now` is passed in so the figures are testable. */
export class ProgressTracker {
  #p: { -readonly [K in keyof CycleProgress]: CycleProgress[K] };
  readonly #start: number;

  constructor(now: Date) {
    this.#start = now.getTime();
    this.#p = { sourcesTotal: 0, sourcesDone: 0, scanned: 0, items: 0, removed: 0, bytes: 0, errors: 0, rate: 0, startedAt: now.toISOString() };
  }

  apply(event: CycleEvent, now: Date): void {
    const p = this.#p;
    switch (event.type) {
      case 'sources':
        p.sourcesTotal = event.total;
        break;
      case 'source-start':
        p.current = event.source;
        break;
      case 'source-end':
        p.sourcesDone++;
        break;
      case 'item':
        if (event.action === 'scanned') p.scanned++;
        else if (event.action === 'removed') p.removed++;
        else {
          p.items++;
          p.bytes += event.bytes;
        }
        break;
      case 'error':
        p.errors++;
        break;
      default:
        break;
    }
    const seconds = Math.max(0.001, (now.getTime() - this.#start) / 1000);
    p.rate = Math.round((p.items / seconds) * 10) / 10;
  }

  get progress(): CycleProgress {
    return { ...this.#p };
  }
}

/** One line of progress for stderr (no colours, no bars): the service logs the same. */
export function progressLine(p: CycleProgress): string {
  const mb = (p.bytes / 1_048_576).toFixed(1);
  const where = p.current ? ` · ${p.current}` : '';
  return `${p.sourcesDone}/${p.sourcesTotal} sources · ${p.items} items · ${mb} MB · ${p.rate}/s${p.errors ? ` · ${p.errors} errors` : ''}${where}`;
}
