import type { CheckResult, Progress } from '../auth/api.js';
import { connectionFailedMessage } from '../domain/index.js';
import { newAlertId } from './ids.js';
import type { ServiceContext } from './context.js';
import { findConnection } from './lookup.js';
import { verifyTargetFor } from './verify-target.js';

export interface TestOutcome {
  readonly connectionId: string;
  readonly connectionName: string;
  readonly checks: readonly CheckResult[];
  readonly failed: boolean;
  /** Whether the outcome could be recorded (false in read-only mode). */
  readonly recorded: boolean;
}

export function firstFailure(checks: readonly CheckResult[]): CheckResult | undefined {
  return checks.find((c) => c.status === 'fail');
}

/**
 * Runs the verification checks of a stored connection with its stored credentials. A failure is
 * recorded as a "Connection test failed" event; a clean pass clears earlier ones for the connection
 * (the condition they reported is gone).
 */
export async function testConnection(
  ctx: ServiceContext,
  ref: string,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<TestOutcome> {
  const connection = findConnection(ctx.store.current(), ref);
  const auth = await ctx.auth();
  const checks = await auth.verify(verifyTargetFor(ctx.store, connection), {
    now: ctx.now(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const failure = firstFailure(checks);
  let recorded = false;
  if (!ctx.store.readOnly) {
    await ctx.store.update((draft, tools) => {
      if (!draft.connections.some((c) => c.id === connection.id)) return 'unchanged';
      const before = draft.alerts.length;
      draft.alerts = draft.alerts.filter((a) => !(a.category === 'connection-failed' && a.connectionId === connection.id));
      if (failure) {
        draft.alerts.push({
          id: newAlertId(),
          category: 'connection-failed',
          created: tools.now.toISOString(),
          connectionId: connection.id,
          // Stored and shown by every front end: without a next step in one front end's words.
          message: connectionFailedMessage(connection.displayName, `${failure.name}: ${failure.detail ?? failure.message}`),
        });
      } else if (draft.alerts.length === before) {
        return 'unchanged';
      }
      return {
        change: { action: failure ? 'connection.test-failed' : 'connection.test-passed', entity: { type: 'connection', id: connection.id } },
        result: undefined,
      };
    });
    recorded = true;
  }
  return { connectionId: connection.id, connectionName: connection.displayName, checks, failed: failure !== undefined, recorded };
}
