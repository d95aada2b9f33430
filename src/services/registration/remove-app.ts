import type { AdminSession, DeviceCodePrompt } from '../../auth/api.js';
import { appCredential, canDeleteConnection, displayText } from '../../domain/index.js';
import type { ServiceContext } from '../context.js';
import { deleteConnection } from '../connections.js';
import { ServiceError } from '../errors.js';
import { findConnection } from '../lookup.js';
import { signInTenant } from './automatic.js';

/**
 * Deleting the last connection that uses the tenant's app registration may remove the
 * registration too (issue 12 item 2; CLI `connections delete <conn> --remove-app`, TUI: a choice in
 * the Delete dialog). The registration goes first, after an admin sign-in; the connection is
 * deleted only when that worked, so a refusal leaves everything as it was.
 */

export type AppRemoval =
  /** The registration was deleted (with its service principal). */
  | { readonly kind: 'removed'; readonly clientId: string }
  /** Microsoft Entra ID no longer had it. */
  | { readonly kind: 'not-found'; readonly clientId: string }
  /** Other connections still use it: kept. */
  | { readonly kind: 'in-use'; readonly clientId: string; readonly usedBy: readonly string[] }
  /** The connection has no automatically registered app (manual registration or Basic): nothing to remove. */
  | { readonly kind: 'none' };

/** What removing the app of this connection would do, without doing it (for the Delete dialog). */
export function appRemovalPlan(ctx: Pick<ServiceContext, 'store'>, ref: string): AppRemoval {
  const doc = ctx.store.current();
  const connection = findConnection(doc, ref);
  const app = appCredential(connection);
  if (!app || app.registration?.method !== 'automatic') return { kind: 'none' };
  const usedBy = doc.connections.filter((c) => c.id !== connection.id && appCredential(c)?.clientId.toLowerCase() === app.clientId.toLowerCase()).map((c) => c.displayName);
  return usedBy.length ? { kind: 'in-use', clientId: app.clientId, usedBy } : { kind: 'removed', clientId: app.clientId };
}

export async function deleteConnectionAndApp(
  ctx: ServiceContext,
  ref: string,
  options: { readonly signal?: AbortSignal; readonly onPrompt: (prompt: DeviceCodePrompt) => void; readonly onSignedIn?: (session: AdminSession) => void },
): Promise<{ deleted: { id: string; name: string }; app: AppRemoval }> {
  const doc = ctx.store.current();
  const connection = findConnection(doc, ref);
  // Refused for the same reason as a plain delete, before anyone signs in.
  const verdict = canDeleteConnection(doc, connection.id);
  if (!verdict.allowed) throw new ServiceError('refused', verdict.detail, verdict.next);
  const plan = appRemovalPlan(ctx, connection.id);
  if (plan.kind !== 'removed') return { deleted: await deleteConnection(ctx, connection.id, { basedOn: connection }), app: plan };

  const auth = await ctx.auth();
  const tenant = signInTenant(connection);
  const session = await auth.signInAdmin({ ...(tenant ? { tenant } : {}), onPrompt: options.onPrompt, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    options.onSignedIn?.(session);
    const outcome = await auth.removeApp(session, { clientId: plan.clientId, ...(options.signal ? { signal: options.signal } : {}) });
    const deleted = await deleteConnection(ctx, connection.id, { basedOn: connection });
    return { deleted, app: { kind: outcome, clientId: plan.clientId } };
  } finally {
    auth.signOutAdmin(session);
  }
}

/** One line about what happened to the app registration. */
export function describeAppRemoval(app: AppRemoval): string | undefined {
  switch (app.kind) {
    case 'removed':
      return `Removed the app registration (client ID ${app.clientId}) and its enterprise application from Microsoft Entra ID.`;
    case 'not-found':
      return `The app registration (client ID ${app.clientId}) was already gone from Microsoft Entra ID.`;
    case 'in-use':
      return `Kept the app registration (client ID ${app.clientId}): ${app.usedBy.map((n) => `'${displayText(n, { maxLength: 80 })}'`).join(', ')} still use${app.usedBy.length === 1 ? 's' : ''} it.`;
    case 'none':
      return 'The connection has no app registration made by the panel; nothing to remove in Microsoft Entra ID.';
  }
}
