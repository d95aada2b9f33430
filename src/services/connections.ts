import type { Connection } from '../domain/index.js';
import { canDeleteConnection, connectionNameProblem, displayText, duplicateNameText, sameNamed } from '../domain/index.js';
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
      if (!verdict.allowed) throw new ServiceError('refused', verdict.detail, verdict.next);
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

export interface RenameOutcome {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** False when the connection already had that name. */
  readonly changed: boolean;
  /** Other connections with the same name (only when the caller allowed a duplicate). */
  readonly duplicates: readonly string[];
}

/**
 * Renames a connection (the rule: domain/connection-names.ts). A duplicate name is refused unless
 * `allowDuplicate` (the panel warns and lets the admin confirm; the CLI refuses, contracts §7).
 */
export async function renameConnection(
  ctx: ServiceContext,
  ref: string,
  newName: string,
  guard: RevisionGuard & { readonly basedOn?: Connection; readonly allowDuplicate?: boolean } = {},
): Promise<RenameOutcome> {
  const target = findConnection(ctx.store.current(), ref);
  const name = newName.trim();
  return ctx.store.update(
    (draft, tools) => {
      const current = draft.connections.find((c) => c.id === target.id);
      if (!current) throw new ServiceError('bad-input', `Server connection '${displayText(target.displayName)}' no longer exists (another session deleted it); nothing was renamed.`);
      assertUnchanged(current, guard.basedOn, `Server connection '${displayText(target.displayName)}'`);
      const problem = connectionNameProblem(name, draft.connections, current.id);
      if (problem) throw new ServiceError('bad-input', problem);
      const others = sameNamed(name, draft.connections, current.id);
      if (others.length > 0 && !guard.allowDuplicate) throw new ServiceError('bad-input', duplicateNameText(name, others));
      const from = current.displayName;
      const outcome = { id: current.id, from, to: name, duplicates: others.map((c) => c.id) };
      if (from === name) return 'unchanged';
      current.displayName = name;
      current.modified = tools.now.toISOString();
      return {
        change: { action: 'connection.rename', entity: { type: 'connection', id: current.id }, fields: ['displayName'], details: { from, to: name } },
        result: { ...outcome, changed: true },
      };
    },
    guard.expectRevision === undefined ? {} : { expectRevision: guard.expectRevision },
  ).then((result) => result ?? { id: target.id, from: target.displayName, to: name, changed: false, duplicates: [] });
}
