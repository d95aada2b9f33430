import type { Connection } from '../domain/index.js';
import { canDeleteConnection, displayText } from '../domain/index.js';
import type { RevisionGuard } from './alerts.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { findConnection } from './lookup.js';
import { assertUnchanged } from './stale-guard.js';

/** Deletes a connection and its secrets; refused while a job uses it (the reason names the jobs). */
export async function deleteConnection(
  ctx: ServiceContext,
  ref: string,
  guard: RevisionGuard & { readonly basedOn?: Connection } = {},
): Promise<{ id: string; name: string }> {
  const target = findConnection(ctx.store.current(), ref);
  return ctx.store.update(
    (draft) => {
      const index = draft.connections.findIndex((c) => c.id === target.id);
      if (index < 0) throw new ServiceError('bad-input', `Server connection '${displayText(target.displayName)}' no longer exists (another session deleted it).`);
      assertUnchanged(draft.connections[index], guard.basedOn, `Server connection '${displayText(target.displayName)}'`);
      const verdict = canDeleteConnection(draft, target.id);
      if (!verdict.allowed) throw new ServiceError('refused', verdict.reason);
      const [removed] = draft.connections.splice(index, 1);
      // Events about a connection that no longer exists cannot be acted on.
      draft.alerts = draft.alerts.filter((a) => a.connectionId !== target.id);
      return {
        change: { action: 'connection.delete', entity: { type: 'connection', id: target.id }, details: { name: removed?.displayName ?? '' } },
        result: { id: target.id, name: removed?.displayName ?? target.displayName },
      };
    },
    guard.expectRevision === undefined ? {} : { expectRevision: guard.expectRevision },
  );
}
