import type { CheckResult, Progress, VerifyTarget } from '../auth/api.js';
import type { Connection, OnPremisesConnection } from '../domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef, displayText, Secret } from '../domain/index.js';
import type { Store } from '../store/api.js';
import type { RevisionGuard } from './alerts.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { findConnection } from './lookup.js';
import { validateNewConnection } from './new-connection.js';
import { assertUnchanged } from './stale-guard.js';
import { firstFailure } from './verification.js';

/**
 * Edit of an on-premises connection (Exchange Server or SharePoint Server): it keeps Basic
 * Authentication, its id, name and jobs; the server (or Autodiscover address), the site URL and the
 * account may change. An empty password keeps the stored one.
 */
export interface OnPremisesEditInput {
  /** Exchange: host name or IP; null = Autodiscover from `autodiscoverEmail`. */
  readonly server?: string | null;
  readonly autodiscoverEmail?: string;
  /** SharePoint: the site URL. */
  readonly url?: string;
  readonly userName: string;
  /** Absent or empty: keep the stored password. */
  readonly password?: Secret;
}

function onPremises(connection: Connection): OnPremisesConnection {
  if (connection.location !== 'onpremises') throw new ServiceError('bad-input', 'Only on-premises connections keep a user name and password; Microsoft 365 connections use an app registration (Edit → Application registration).');
  return connection;
}

function keepsPassword(input: OnPremisesEditInput): boolean {
  return input.password === undefined || input.password.isEmpty;
}

/** The password verification uses: the new one, or the stored one revealed for the call. */
function passwordFor(store: Pick<Store, 'reveal'>, connection: OnPremisesConnection, input: OnPremisesEditInput): Secret {
  if (!keepsPassword(input) && input.password) return input.password;
  return store.reveal(connection.credential.password, connectionSecretRef(connection.id, CONNECTION_SECRET_FIELDS.password));
}

/** Field checks without network: the same rules as a new on-premises connection. */
export function validateOnPremisesEdit(connection: Connection, input: OnPremisesEditInput, now: Date): void {
  const c = onPremises(connection);
  // A kept password was checked when it was first saved; only its presence matters here.
  const password = keepsPassword(input) ? new Secret('(kept)') : (input.password as Secret);
  if (c.service === 'exchange') {
    validateNewConnection(
      {
        service: 'exchange',
        location: 'onpremises',
        displayName: c.displayName,
        server: input.server === undefined ? c.server : input.server,
        ...(input.autodiscoverEmail ? { autodiscoverEmail: input.autodiscoverEmail } : {}),
        userName: input.userName,
        password,
      },
      now,
    );
  } else {
    validateNewConnection({ service: 'sharepoint', location: 'onpremises', displayName: c.displayName, url: input.url ?? c.url, userName: input.userName, password }, now);
  }
}

export function onPremisesEditTarget(store: Pick<Store, 'reveal'>, connection: Connection, input: OnPremisesEditInput): VerifyTarget {
  const c = onPremises(connection);
  const password = passwordFor(store, c, input);
  if (c.service === 'exchange') {
    const server = input.server === undefined ? c.server : input.server;
    const email = server === null ? (input.autodiscoverEmail ?? c.autodiscoverEmail) : undefined;
    return { kind: 'onprem-exchange', server, ...(email ? { autodiscoverEmail: email } : {}), userName: input.userName, password };
  }
  return { kind: 'onprem-sharepoint', url: input.url ?? c.url, userName: input.userName, password };
}

export async function verifyOnPremisesEdit(
  ctx: ServiceContext,
  ref: string,
  input: OnPremisesEditInput,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<readonly CheckResult[]> {
  const connection = findConnection(ctx.store.current(), ref);
  validateOnPremisesEdit(connection, input, ctx.now());
  const auth = await ctx.auth();
  return auth.verify(onPremisesEditTarget(ctx.store, connection, input), {
    now: ctx.now(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/**
 * Saves a verified edit of an on-premises connection (Finish). Refused when the connection changed
 * since the wizard opened (`basedOn`), or when no check ran or one failed.
 */
export async function saveOnPremisesEdit(
  ctx: ServiceContext,
  connectionId: string,
  input: OnPremisesEditInput,
  checks: readonly CheckResult[],
  guard: RevisionGuard & { readonly basedOn?: Connection } = {},
): Promise<Connection> {
  if (checks.length === 0 || firstFailure(checks)) {
    throw new ServiceError('verification-failed', 'The settings were not verified (a check failed or none ran); nothing was saved.');
  }
  return ctx.store.update(
    (draft, tools) => {
      const index = draft.connections.findIndex((c) => c.id === connectionId);
      const current = draft.connections[index];
      if (!current) throw new ServiceError('bad-input', `Server connection '${displayText(connectionId)}' no longer exists (another session deleted it); nothing was saved.`);
      assertUnchanged(current, guard.basedOn, `Server connection '${displayText(current.displayName)}'`);
      const c = onPremises(current);
      validateOnPremisesEdit(c, input, tools.now);
      const fields: string[] = [];
      const password = keepsPassword(input)
        ? c.credential.password
        : tools.seal((input.password as Secret).reveal(), connectionSecretRef(c.id, CONNECTION_SECRET_FIELDS.password));
      if (!keepsPassword(input)) fields.push(CONNECTION_SECRET_FIELDS.password);
      if (input.userName !== c.credential.userName) fields.push('credential.userName');
      const credential = { kind: 'basic' as const, userName: input.userName, password };
      let next: Connection;
      if (c.service === 'exchange') {
        const server = input.server === undefined ? c.server : input.server;
        const { autodiscoverEmail: _old, ...rest } = c;
        const email = server === null ? (input.autodiscoverEmail ?? c.autodiscoverEmail) : undefined;
        if (server !== c.server) fields.push('server');
        if (email !== c.autodiscoverEmail) fields.push('autodiscoverEmail');
        next = { ...rest, server, ...(email ? { autodiscoverEmail: email } : {}), credential, modified: tools.now.toISOString() };
      } else {
        const url = input.url ?? c.url;
        if (url !== c.url) fields.push('url');
        next = { ...c, url, credential, modified: tools.now.toISOString() };
      }
      draft.connections[index] = next;
      return {
        change: { action: 'connection.edit', entity: { type: 'connection', id: c.id }, fields, details: { service: c.service, location: 'onpremises', passwordKept: keepsPassword(input) } },
        result: next,
      };
    },
    guard.expectRevision === undefined ? {} : { expectRevision: guard.expectRevision },
  );
}
