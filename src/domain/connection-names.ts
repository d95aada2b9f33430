import type { Connection } from './connection.js';
import { displayText, hasUnsafeCharacters } from './display-text.js';

/**
 * The name the program assigns a new connection from the admin's UPN or a domain name, as the
 * reference product does; the admin may change it (below).
 */
export type NameSource =
  | { readonly service: 'exchange'; readonly location: 'online'; readonly upn: string }
  | { readonly service: 'sharepoint'; readonly location: 'online'; readonly url: string }
  | { readonly service: 'exchange'; readonly location: 'onpremises'; readonly server: string | null; readonly autodiscoverDomain?: string }
  | { readonly service: 'sharepoint'; readonly location: 'onpremises'; readonly url: string };

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

export function assignedConnectionName(source: NameSource): string {
  switch (source.service) {
    case 'exchange':
      if (source.location === 'online') return source.upn.toLowerCase();
      if (source.server) return source.server.toLowerCase();
      return `Autodiscover (${source.autodiscoverDomain ?? 'this domain'})`;
    case 'sharepoint':
      return hostOf(source.url);
  }
}

/**
 * The connection name as the admin may give or change it (issue 16, item 2): one rule for the
 * wizard's name field, `connections create --name`, `connections rename` and the panel's Rename.
 */
export const MAX_CONNECTION_NAME_LENGTH = 100;

/** Names compare as people read them: trimmed, case and Unicode form ignored. */
function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** What is wrong with a name in itself (undefined: acceptable). Duplicates are judged apart: `sameNamed`. */
export function connectionNameProblem(value: string, connections: ReadonlyArray<Pick<Connection, 'id'>> = [], selfId?: string): string | undefined {
  const name = value.trim();
  if (name === '') return 'Give the connection a name (it tells it apart in lists, jobs and alerts).';
  if (name.length > MAX_CONNECTION_NAME_LENGTH) return `Keep the name to ${MAX_CONNECTION_NAME_LENGTH} characters or fewer (it has ${name.length}).`;
  if (hasUnsafeCharacters(name)) return 'The name may not hold control or invisible formatting characters; type it as plain text.';
  // Commands accept an id or a name, the id first: a name that is another connection's id could never be used.
  const clash = connections.find((c) => c.id === name && c.id !== selfId);
  if (clash) return `'${displayText(name, { maxLength: 80 })}' is the id of another connection; choose another name.`;
  return undefined;
}

/** The other connections with the same name (as people read it). */
export function sameNamed<T extends Pick<Connection, 'id' | 'displayName'>>(value: string, connections: readonly T[], selfId?: string): T[] {
  const key = nameKey(value);
  return connections.filter((c) => c.id !== selfId && nameKey(c.displayName) === key);
}

/** The words for a duplicate name: a warning in the panel, the refusal of `connections rename` / `create --name` (contracts §7: names are unique). */
export function duplicateNameText(value: string, others: ReadonlyArray<Pick<Connection, 'id'>>): string {
  const ids = others.map((c) => c.id).join(', ');
  return `Another server connection is already named '${displayText(value.trim(), { maxLength: 80 })}' (${ids}); two connections with one name can only be told apart by their ids. Choose another name.`;
}

/** A name no other connection has: `base`, else `base (2)`, `base (3)`… (defaults never collide). */
export function uniqueConnectionName(base: string, connections: ReadonlyArray<Pick<Connection, 'id' | 'displayName'>>, selfId?: string): string {
  const trimmed = base.trim().slice(0, MAX_CONNECTION_NAME_LENGTH - 5);
  if (sameNamed(trimmed, connections, selfId).length === 0) return trimmed;
  for (let n = 2; ; n++) {
    const candidate = `${trimmed} (${n})`;
    if (sameNamed(candidate, connections, selfId).length === 0) return candidate;
  }
}

/** The name a new connection gets when the admin gives none: the assigned one, made unique. */
export function defaultConnectionName(source: NameSource, connections: ReadonlyArray<Pick<Connection, 'id' | 'displayName'>>): string {
  return uniqueConnectionName(assignedConnectionName(source), connections);
}
