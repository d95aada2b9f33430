import type { CycleError } from '../domain/index.js';
import { classifyFailure, failsCycle } from '../m365/data/classify.js';
import { forEachBounded } from '../m365/data/limiter.js';
import { serverText } from '../m365/errors.js';
import type { SourceInfo, Storage, WriteEvent } from '../repository/api.js';
import { StorageError } from '../repository/api.js';
import type { EngineContext, ServiceBackup } from './context.js';
import { emptyOutcome } from './context.js';

/**
 * A backup cycle of one job: resolve its sources, then for each (a few at a time) build the next
 * snapshot from the source's changes and commit it. A source that fails keeps its last snapshot
 * (never a partial one); a failure that would hit every source (credentials refused, throttled
 * beyond the limits, storage I/O) ends the cycle.
 */

export interface BackupCycleOptions {
  readonly storage: Storage;
  readonly backup: ServiceBackup;
  readonly selection: 'all' | readonly string[];
  /** Shown to another process that finds the storage locked. */
  readonly what: string;
  readonly ctx: EngineContext;
  /** Sources backed up at once (bounded concurrency across sources). */
  readonly sourceConcurrency?: number;
  readonly onStorageEvent?: (event: WriteEvent) => void;
}

export interface CycleSummary {
  scanned: number;
  backedUp: number;
  removed: number;
  bytes: number;
  readonly errors: CycleError[];
  /** The reason the whole cycle failed, if it did. */
  fatal?: string;
  stopped: boolean;
}

export function describeFailure(error: unknown): string {
  if (error instanceof StorageError) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  const hint = (error as { hint?: unknown }).hint;
  return serverText(typeof hint === 'string' && hint ? `${text} ${hint}` : text, 400);
}

export async function runBackupCycle(options: BackupCycleOptions): Promise<CycleSummary> {
  const { ctx } = options;
  const summary: CycleSummary = { scanned: 0, backedUp: 0, removed: 0, bytes: 0, errors: [], stopped: false };
  let sources: SourceInfo[];
  try {
    sources = await options.backup.sources(options.selection);
  } catch (error) {
    summary.fatal = `Could not list the sources: ${describeFailure(error)}`;
    return summary;
  }
  ctx.emit({ type: 'sources', total: sources.length });
  let session;
  try {
    session = await options.storage.beginWrite({
      what: options.what,
      onEvent: (event) => {
        options.onStorageEvent?.(event);
        if (event.type === 'pack' || event.type === 'index' || event.type === 'snapshot') ctx.emit({ type: 'durable', what: event.type });
      },
    });
  } catch (error) {
    summary.fatal = describeFailure(error);
    return summary;
  }
  try {
    await forEachBounded(
      sources,
      options.sourceConcurrency ?? 2,
      async (source) => {
        ctx.emit({ type: 'source-start', source: source.name });
        const outcome = emptyOutcome();
        const builder = await session.snapshot(source);
        let ok = false;
        try {
          await options.backup.backup(source, builder, session, ctx, outcome, () => options.storage.latest(source.key));
          const meta = await builder.commit({ time: ctx.now() });
          ctx.emit({ type: 'committed', source: source.name, items: meta.items });
          ok = true;
        } catch (error) {
          const kind = classifyFailure(error);
          if (error instanceof StorageError || failsCycle(kind)) throw error;
          const message = describeFailure(error);
          outcome.errors.push({ source: source.name, message });
          ctx.emit({ type: 'error', source: source.name, message });
        } finally {
          summary.scanned += outcome.scanned;
          summary.backedUp += outcome.backedUp;
          summary.removed += outcome.removed;
          summary.bytes += outcome.bytes;
          summary.errors.push(...outcome.errors);
          ctx.emit({ type: 'source-end', source: source.name, ok });
        }
      },
      () => ctx.stopRequested(),
    );
  } catch (error) {
    if (classifyFailure(error) !== 'cancelled') summary.fatal = describeFailure(error);
  } finally {
    await session.close().catch((error: unknown) => {
      summary.fatal ??= describeFailure(error);
    });
  }
  summary.stopped = ctx.stopRequested();
  return summary;
}
