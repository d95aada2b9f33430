import type { Permission, VerifyTarget } from '../api.js';
import { M365Error } from '../api.js';
import type { AppToken } from '../client-credentials.js';
import { acquireAppToken } from '../client-credentials.js';
import { GRAPH_SCOPE, permissionsFor, RESOURCES } from '../permissions.js';
import { sleep } from '../../m365/transport.js';
import type { CheckRunner, Outcome, VerifyContext } from './context.js';
import { fail, formatDate, pass, warn } from './context.js';

/** The "Sign-in (token)" and "Permissions" checks shared by Exchange Online and SharePoint Online. */

export type OnlineAppTarget = Extract<VerifyTarget, { kind: 'online-app' }>;

const DAY_MS = 86_400_000;

/** Tokens of one verification, per scope; retried while Entra catches up with a new app. */
export class AppTokens {
  readonly #cache = new Map<string, Promise<AppToken>>();

  constructor(
    readonly ctx: VerifyContext,
    readonly target: OnlineAppTarget,
  ) {
    ctx.sensitive.push(...(target.credential.kind === 'secret' ? [target.credential.clientSecret.reveal()] : [target.credential.certificate.privateKeyPem.reveal()]));
  }

  /** A token for `scope`; with `recentlyRegistered`, waits (up to the propagation timeout) for the roles too. */
  get(scope: string, expectedRoles: readonly string[] = []): Promise<AppToken> {
    let pending = this.#cache.get(scope);
    if (!pending) {
      pending = this.#acquire(scope, expectedRoles);
      this.#cache.set(scope, pending);
      pending.catch(() => undefined);
    }
    return pending;
  }

  async #acquire(scope: string, expectedRoles: readonly string[]): Promise<AppToken> {
    const { ctx, target } = this;
    const retrying = target.recentlyRegistered === true;
    const deadline = Date.now() + (retrying ? ctx.propagationTimeoutMs : 0);
    let delay = ctx.propagationBaseDelayMs ?? 1000;
    for (;;) {
      const lastChance = !retrying || Date.now() + delay > deadline;
      try {
        const token = await acquireAppToken(ctx.transport, {
          tenantId: target.tenantId,
          clientId: target.clientId,
          credential: target.credential,
          scope,
          ...(lastChance ? {} : { recentlyRegistered: true }),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        ctx.sensitive.push(token.accessToken);
        if (lastChance || expectedRoles.every((r) => token.claims.roles.includes(r))) return token;
      } catch (error) {
        if (lastChance || !(error instanceof M365Error) || error.category !== 'PropagationPending') throw error;
      }
      await sleep(delay / 2 + Math.random() * (delay / 2), ctx.signal);
      delay = Math.min(delay * 2, 15_000);
    }
  }
}

function credentialLabel(target: OnlineAppTarget): string {
  return target.credential.kind === 'certificate' ? 'a certificate' : 'a client secret';
}

export function graphRoles(service: OnlineAppTarget['service']): string[] {
  return permissionsFor(service).filter((p) => p.resourceAppId === RESOURCES.graph.appId).map((p) => p.name);
}

/** "Sign-in (token)": a client-credential token for Microsoft Graph. */
export async function signInCheck(runner: CheckRunner, tokens: AppTokens): Promise<AppToken | undefined> {
  let token: AppToken | undefined;
  const target = tokens.target;
  const result = await runner.run('Sign-in (token)', async (): Promise<Outcome> => {
    token = await tokens.get(GRAPH_SCOPE, graphRoles(target.service));
    const tid = token.claims.tid;
    if (tid && /^[0-9a-f-]{36}$/i.test(target.tenantId) && tid.toLowerCase() !== target.tenantId.toLowerCase()) {
      return fail(`Microsoft Entra ID issued the token for tenant ${tid}, not ${target.tenantId}. Check the tenant ID.`, 'Configuration');
    }
    const base = `Signed in to tenant ${tid ?? target.tenantId} as app ${target.clientId} with ${credentialLabel(target)}.`;
    if (target.credential.kind === 'certificate') {
      const notAfter = Date.parse(target.credential.certificate.notAfter);
      if (!Number.isNaN(notAfter) && notAfter - tokens.ctx.now.getTime() < 30 * DAY_MS) {
        return warn(`${base} The certificate expires on ${formatDate(new Date(notAfter))}: add a new one to the app registration and update the connection before then.`);
      }
    }
    return pass(base);
  });
  return result.status === 'fail' ? undefined : token;
}

export interface ResourceRoles {
  readonly resourceName: string;
  readonly scope: string;
  readonly permissions: readonly Permission[];
  /** Missing roles only warn (EWS after the start of its retirement). */
  readonly legacy?: boolean;
}

/** "Permissions": the roles in each resource's token against the permission set. */
export async function permissionsCheck(runner: CheckRunner, tokens: AppTokens, graphToken: AppToken, others: readonly ResourceRoles[]): Promise<void> {
  await runner.run('Permissions', async (): Promise<Outcome> => {
    const required: string[] = [];
    const legacyMissing: string[] = [];
    const unchecked: string[] = [];
    const expectedGraph = graphRoles(tokens.target.service);
    for (const role of expectedGraph) if (!graphToken.claims.roles.includes(role)) required.push(`${role} (Microsoft Graph)`);
    for (const other of others) {
      let roles: readonly string[];
      try {
        roles = (await tokens.get(other.scope, other.permissions.map((p) => p.name))).claims.roles;
      } catch (error) {
        if (error instanceof M365Error && (error.category === 'Cancelled' || error.category === 'DeviceCodeCancelled')) throw error;
        unchecked.push(other.resourceName);
        continue;
      }
      for (const p of other.permissions) {
        if (!roles.includes(p.name)) (other.legacy ? legacyMissing : required).push(`${p.name} (${other.resourceName})`);
      }
    }
    const grant = 'Grant admin consent for these application permissions in the Microsoft Entra admin center (App registrations → API permissions → Grant admin consent).';
    if (required.length > 0) {
      return fail(`The app's tokens lack ${[...required, ...legacyMissing].join(', ')}. ${grant}`, 'ConsentMissing');
    }
    if (legacyMissing.length > 0) {
      return warn(`The app lacks the legacy EWS permission ${legacyMissing.join(', ')}; Microsoft Graph access is complete. ${grant}`, 'ConsentMissing');
    }
    const all = [
      ...expectedGraph.map((role) => `${role} (Microsoft Graph)`),
      ...others.filter((o) => !unchecked.includes(o.resourceName)).flatMap((o) => o.permissions.map((p) => `${p.name} (${o.resourceName})`)),
    ];
    if (unchecked.length > 0) {
      return warn(`Granted: ${all.join(', ')}. The roles for ${unchecked.join(', ')} could not be checked (no token; see below).`);
    }
    return pass(`Every permission is granted: ${all.join(', ')}.`);
  });
}
