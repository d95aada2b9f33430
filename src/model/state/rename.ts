import { connectionNameProblem, duplicateNameText, sameNamed } from '../../domain/index.js';
import type { ConnectionRow } from '../../services/connection-rows.js';
import { safeText } from '../../text/safe-text.js';
import type { Transition } from './actions.js';
import { same } from './actions.js';
import { selected } from './lists.js';
import { refusal, start } from './operations.js';
import { GONE_NOTICE } from './texts.js';
import type { AppState, ViewData } from './types.js';

/** Renaming a connection from Manage (r), and what tells same-named connections apart. */

/** What the wizard needs to warn about a name another connection has. */
export function namedConnections(data: ViewData): Array<{ id: string; displayName: string; tenant: string | undefined }> {
  return data.connections.map((r) => ({ id: r.id, displayName: r.name, tenant: r.tenant }));
}

/** What tells a connection apart from one with the same name: its id and tenant. */
export function connectionIdentity(row: Pick<ConnectionRow, 'id' | 'tenant' | 'cloud'>): string {
  return `id ${row.id}${row.tenant ? `, tenant ${row.tenant}${row.cloud && row.cloud !== 'global' ? ` (${row.cloud})` : ''}` : ', on-premises'}`;
}

export function renameSelected(state: AppState, data: ViewData): Transition {
  const row = selected(state, 'connections', data.visibleConnections);
  if (!row) return same(state);
  const refused = refusal(state, 'rename-connection');
  if (refused) return same(refused);
  const connection = data.doc.connections.find((c) => c.id === row.id);
  if (!connection) return same({ ...state, notice: GONE_NOTICE });
  const about = safeText(`'${connection.displayName}' (${connectionIdentity(row)}). Its id, credential and jobs stay.`);
  return same({ ...state, modal: { kind: 'rename', connectionId: row.id, name: connection.displayName, basedOn: connection, about, value: connection.displayName, error: undefined, warning: undefined } });
}

/** A key typed into the rename dialog's field; a name another connection has is warned about at once. */
export function editRename(state: AppState, value: string, data: ViewData): AppState {
  const modal = state.modal;
  if (modal?.kind !== 'rename') return state;
  const twins = sameNamed(value, data.doc.connections, modal.connectionId);
  return { ...state, modal: { ...modal, value, error: undefined, warning: twins.length ? safeText(duplicateNameText(value, twins)) : undefined } };
}

export function saveRename(state: AppState, data: ViewData): Transition {
  const modal = state.modal;
  if (modal?.kind !== 'rename') return same(state);
  const problem = connectionNameProblem(modal.value, data.doc.connections, modal.connectionId);
  if (problem) return same({ ...state, modal: { ...modal, error: safeText(problem) } });
  if (modal.value.trim() === modal.name) return same({ ...state, modal: undefined });
  return start({ ...state, modal: undefined }, { kind: 'rename-connection', connectionId: modal.connectionId, name: modal.name, to: modal.value.trim(), basedOn: modal.basedOn });
}
