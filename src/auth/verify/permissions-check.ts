import type { Permission } from '../api.js';
import { GraphCallError } from '../../m365/graph-client.js';
import { holds } from '../permissions.js';
import type { AppToken } from '../client-credentials.js';
import type { AppTokens } from './app-sign-in.js';
import { graphPermissions } from './app-sign-in.js';
import type { CheckRunner, Outcome } from './context.js';
import { fail, isCancelled, pass, warn } from './context.js';

/**
 * "Permissions": the roles in the app's tokens against what backup needs — but the real calls
 * decide. Exchange RBAC for Applications (which replaced Application Access Policies) keeps its
 * grants in Exchange: an app scoped that way has no Mail role in its token and still reads the
 * mailboxes in its scope (backup-data.md §5.1). So for each role missing from the token, the call
 * it guards is tried: when it works the role is reported as a warning (scoped, or granted another
 * way), when it is refused the check fails and names both causes.
 */

/** A call a permission guards; resolves when it works, rejects (GraphCallError 401/403) when refused. */
export interface Probe {
  /** "reading the Inbox of backup@contoso.com" */
  readonly what: string;
  run(): Promise<void>;
}

export interface OtherResource {
  readonly resourceName: string;
  readonly scope: string;
  readonly permissions: readonly Permission[];
  /** Missing roles only warn (EWS after the start of its retirement). */
  readonly legacy?: boolean;
}

const GRANT = 'Grant admin consent for them in the Microsoft Entra admin center (App registrations → API permissions).';
const SCOPED = 'If the app is scoped with Exchange RBAC for Applications (or an Application Access Policy), add the mailbox to its scope instead.';

export async function permissionsCheck(
  runner: CheckRunner,
  tokens: AppTokens,
  graphToken: AppToken,
  others: readonly OtherResource[],
  probes: Readonly<Record<string, Probe | undefined>>,
): Promise<void> {
  await runner.run('Permissions', async (): Promise<Outcome> => {
    const denied: string[] = [];
    const worked: { name: string; what: string }[] = [];
    const unprobed: string[] = [];
    const legacyMissing: string[] = [];
    const unchecked: string[] = [];
    const graph = graphPermissions(tokens.target);
    for (const permission of graph) {
      if (holds(graphToken.claims.roles, permission)) continue;
      const label = `${permission.name} (Microsoft Graph)`;
      const probe = probes[permission.name];
      if (!probe) {
        unprobed.push(label);
        continue;
      }
      try {
        await probe.run();
        worked.push({ name: label, what: probe.what });
      } catch (error) {
        if (isCancelled(error)) throw error;
        if (error instanceof GraphCallError && (error.status === 401 || error.status === 403)) denied.push(`${label} (${probe.what}: HTTP ${error.status})`);
        else unprobed.push(label);
      }
    }
    for (const other of others) {
      let roles: readonly string[];
      try {
        roles = (await tokens.get(other.scope, other.permissions)).claims.roles;
      } catch (error) {
        if (isCancelled(error)) throw error;
        unchecked.push(other.resourceName);
        continue;
      }
      for (const p of other.permissions) {
        if (!holds(roles, p)) (other.legacy ? legacyMissing : denied).push(`${p.name} (${other.resourceName})`);
      }
    }
    const missing = [...denied, ...unprobed];
    if (missing.length > 0) {
      return fail(`The app's tokens lack ${[...missing, ...legacyMissing].join(', ')}. ${GRANT} ${denied.some((d) => d.includes('Mail')) ? SCOPED : ''}`.trim(), 'ConsentMissing');
    }
    if (worked.length > 0) {
      const list = worked.map((w) => `${w.name} (${w.what} worked)`).join('; ');
      return warn(
        `The token carries no ${worked.map((w) => w.name).join(', ')}, yet the calls they guard work: ${list}. The app is probably scoped with Exchange RBAC for Applications, whose grants live in Exchange and never appear in the token; backup works for the mailboxes in its scope.`,
      );
    }
    if (legacyMissing.length > 0) {
      return warn(`The app lacks the legacy EWS permission ${legacyMissing.join(', ')}; Microsoft Graph access is complete. ${GRANT}`, 'ConsentMissing');
    }
    const all = [...graph.map((p) => `${p.name} (Microsoft Graph)`), ...others.filter((o) => !unchecked.includes(o.resourceName)).flatMap((o) => o.permissions.map((p) => `${p.name} (${o.resourceName})`))];
    if (unchecked.length > 0) return warn(`Granted: ${all.join(', ')}. The roles for ${unchecked.join(', ')} could not be checked (no token; see below).`);
    return pass(`Every permission is granted: ${all.join(', ')}.`);
  });
}
