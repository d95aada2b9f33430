import type { Connection } from '../domain/index.js';
import { connectionNameProblem, displayText } from '../domain/index.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { findConnection } from './lookup.js';
import { assertUnchanged } from './stale-guard.js';

/**
 * Gives a connection another name (issue 16 item 2). The id, the credential and every job stay;
 * a name another connection has is allowed (the front ends warn), an invalid one refused.
 */
export async function renameConnection(ctx: ServiceContext, ref: string, name: string, guard: { readonly basedOn?: Connection } = {}): Promise<{ id: string; from: string; to: string }> {
  const problem = connectionNameProblem(name);
  if (problem) throw new ServiceError('bad-input', problem);
  const target = findConnection(ctx.store.current(), ref);
  const to = name.trim();
  return ctx.store.update((draft) => {
    const connection = draft.connections.find((c) => c.id === target.id);
    if (!connection) throw new ServiceError('bad-input', `Server connection '${displayText(target.displayName)}' no longer exists (another session deleted it).`);
    assertUnchanged(connection, guard.basedOn, `Server connection '${displayText(target.displayName)}'`);
    const from = connection.displayName;
    connection.displayName = to;
    return {
      change: { action: 'connection.rename', entity: { type: 'connection', id: connection.id }, details: { from, to } },
      result: { id: connection.id, from, to },
    };
  });
}
