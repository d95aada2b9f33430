import type { Progress, ServiceContext } from '../../services/index.js';
import { checkStorage, deleteConnection, deleteJob, dismissAlert, exportFromStorage, renameConnection, saveNotificationOptions, stopJob, testConnection } from '../../services/index.js';
import type { Operation, OperationResult } from '../../model/state/types.js';

/** Runs one operation the reducer started, through the services; the reducer words the result. */
export async function runOperation(ctx: ServiceContext, op: Operation, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<OperationResult> {
  switch (op.kind) {
    case 'delete-connection': {
      const removed = await deleteConnection(ctx, op.connectionId, { basedOn: op.basedOn });
      return { kind: op.kind, name: removed.name };
    }
    case 'dismiss-alert':
      await dismissAlert(ctx, op.alertId);
      return { kind: op.kind };
    case 'save-notifications':
      await saveNotificationOptions(ctx, op.muted, { basedOn: op.basedOn });
      return { kind: op.kind };
    case 'test-connection': {
      const outcome = await testConnection(ctx, op.connectionId, { signal, onProgress });
      return { kind: op.kind, checks: outcome.checks, recorded: outcome.recorded };
    }
    case 'rename-connection': {
      // The panel warned about a name another connection has; saving it anyway is the admin's choice.
      const renamed = await renameConnection(ctx, op.connectionId, op.to, { basedOn: op.basedOn, allowDuplicate: true });
      return { kind: op.kind, from: renamed.from, to: renamed.to };
    }
    case 'delete-job': {
      const removed = await deleteJob(ctx, op.jobId);
      return { kind: op.kind, name: removed.name };
    }
    case 'stop-job':
      await stopJob(ctx, op.jobId);
      return { kind: op.kind };
    case 'check-storage': {
      const report = await checkStorage(ctx, op.storageId, (done, total) => onProgress({ running: `read ${done} of ${total} files`, results: [] }));
      const results = report.problems.slice(0, 50).map((p) => ({ name: p.object ? `${p.file} (${p.object})` : p.file, status: 'fail' as const, message: p.problem }));
      onProgress({ results });
      return { kind: op.kind, report };
    }
    case 'export': {
      let exported = 0;
      const result = await exportFromStorage(ctx, {
        storage: op.storageId,
        from: op.from,
        ...(op.items ? { items: op.items } : {}),
        out: op.out,
        stopRequested: () => signal.aborted,
        onEvent: (event) => {
          if (event.type === 'item') onProgress({ running: `${++exported} items written`, results: [] });
        },
      });
      const results = result.errors.slice(0, 50).map((e) => ({ name: e.item ?? e.source, status: 'fail' as const, message: e.message }));
      if (results.length) onProgress({ results });
      return { kind: op.kind, exported: result.exported, bytes: result.bytes, errors: result.errors.length, out: op.out };
    }
  }
}
