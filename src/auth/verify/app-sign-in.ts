import type { Permission, VerifyTarget } from '../api.js';
import { M365Error } from '../api.js';
import type { AppToken } from '../client-credentials.js';
import { acquireAppToken } from '../client-credentials.js';
import { graphScope } from '../../m365/clouds.js';
import { holds, permissionsFor, RESOURCES } from '../permissions.js';
import { sleep } from '../../m365/transport.js';
import type { CheckRunner, Outcome, VerifyContext } from './context.js';
import { fail, formatDate, pass, warn } from './context.js';

/** The "Sign-in (token)" check and the tokens shared by Exchange Online and SharePoint Online (permissions: permissions-check.ts). */

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
  get(scope: string, expected: readonly Permission[] = []): Promise<AppToken> {
    let pending = this.#cache.get(scope);
    if (!pending) {
      pending = this.#acquire(scope, expected);
      this.#cache.set(scope, pending);
      pending.catch(() => undefined);
    }
    return pending;
  }

  async #acquire(scope: string, expected: readonly Permission[]): Promise<AppToken> {
    const { ctx, target } = this;
    const retrying = target.recentlyRegistered === true;
    const deadline = Date.now() + (retrying ? ctx.propagationTimeoutMs : 0);
    let delay = ctx.propagationBaseDelayMs ?? 1000;
    for (;;) {
      const lastChance = !retrying || Date.now() + delay > deadline;
      try {
        const token = await acquireAppToken(ctx.transport, {
          tenantId: target.tenantId,
          ...(target.cloud ? { cloud: target.cloud } : {}),
          clientId: target.clientId,
          credential: target.credential,
          scope,
          ...(lastChance ? {} : { recentlyRegistered: true }),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        ctx.sensitive.push(token.accessToken);
        // Roles missing from the token may be fine (RBAC for Applications): only wait for them right after a registration.
        if (lastChance || expected.every((p) => holds(token.claims.roles, p))) return token;
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

/** The Graph permissions a connection of this service needs. */
export function graphPermissions(target: OnlineAppTarget) {
  return permissionsFor(target.service, { legacyEws: target.legacyEws === true }).filter((p) => p.resourceAppId === RESOURCES.graph.appId);
}



/** "Sign-in (token)": a client-credential token for Microsoft Graph. */
export async function signInCheck(runner: CheckRunner, tokens: AppTokens): Promise<AppToken | undefined> {
  let token: AppToken | undefined;
  const target = tokens.target;
  const result = await runner.run('Sign-in (token)', async (): Promise<Outcome> => {
    token = await tokens.get(graphScope(target.cloud), graphPermissions(target));
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
