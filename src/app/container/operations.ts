import type { Progress, ServiceContext } from '../../services/index.js';
import { deleteConnection, dismissAlert, renameConnection, runJob, saveNotificationOptions, testConnection } from '../../services/index.js';
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
      const renamed = await renameConnection(ctx, op.connectionId, op.to, { basedOn: op.basedOn });
      return { kind: op.kind, from: renamed.from, to: renamed.to };
    }
    case 'run-job': {
      const { outcome } = await runJob(ctx, op.jobId, { signal, onProgress });
      return { kind: op.kind, result: outcome.result, message: outcome.message, checks: outcome.checks };
    }
  }
}
