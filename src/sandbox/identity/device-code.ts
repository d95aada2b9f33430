/**
 * The device authorization grant: /devicecode hands out codes, someone approves or declines them
 * (the test, the demo's timer, /devicelogin or the control API), and /token polling sees the result.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Directory, TenantState, UserRef } from '../directory.js';
import { jsonReply, type Reply, type RequestContext } from '../http.js';
import { AZURE_CLI_APP_ID, GRAPH_CLI_TOOLS_APP_ID, type CloudName } from '../well-known.js';
import type { World } from '../world.js';
import { AADSTS } from './errors.js';
import { isReply, resolveDelegatedScopes } from './scopes.js';

export const VERIFICATION_URI = 'https://microsoft.com/devicelogin';
export const PUBLIC_FIRST_PARTY_CLIENTS: readonly string[] = [GRAPH_CLI_TOOLS_APP_ID, AZURE_CLI_APP_ID];

export type DeviceCodeState = 'pending' | 'approved' | 'declined' | 'expired' | 'redeemed';

export interface DeviceCodeGrant {
  readonly userCode: string;
  readonly deviceCode: string;
  readonly clientId: string;
  /** The tenant segment of the request path, as given (GUID, domain, organizations, common). */
  readonly tenantSegment: string;
  /** Undefined for /organizations and /common until someone signs in. */
  readonly tenant: TenantState | undefined;
  /** The cloud whose sign-in host issued the code: only its tenants' users can approve it. */
  readonly cloud: CloudName;
  readonly scopes: readonly string[];
  readonly scopeParam: string;
  readonly expiresAt: number;
  state: DeviceCodeState;
  user?: UserRef;
  timer?: NodeJS.Timeout;
}

/** A control-API misuse (unknown code, wrong user); carries the HTTP status for /_sandbox. */
export class SandboxControlError extends Error {
  override readonly name = 'SandboxControlError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

// No 0/O or 1/I, which people mistype when reading a code off a terminal.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const normaliseUserCode = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();

export class DeviceCodeStore {
  private readonly grants = new Map<string, DeviceCodeGrant>();

  constructor(
    private readonly directory: Directory,
    private readonly autoApproveAfterMs: number | undefined,
  ) {}

  create(input: Omit<DeviceCodeGrant, 'userCode' | 'deviceCode' | 'state' | 'user' | 'timer'>): DeviceCodeGrant {
    let userCode: string;
    do {
      userCode = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    } while (this.grants.has(userCode));
    const grant: DeviceCodeGrant = {
      ...input,
      userCode,
      deviceCode: `DAQABIQEAAAD${randomBytes(180).toString('base64url')}`,
      state: 'pending',
    };
    this.grants.set(userCode, grant);
    if (this.autoApproveAfterMs !== undefined) {
      grant.timer = setTimeout(() => {
        grant.timer = undefined;
        if (grant.state === 'pending') this.approve(grant.userCode);
      }, this.autoApproveAfterMs);
      grant.timer.unref();
    }
    return grant;
  }

  byDeviceCode(deviceCode: string): DeviceCodeGrant | undefined {
    return [...this.grants.values()].find((g) => g.deviceCode === deviceCode);
  }

  get(userCode: string): DeviceCodeGrant {
    const grant = this.grants.get(normaliseUserCode(userCode));
    if (!grant) throw new SandboxControlError(`No device code '${userCode}' was issued by this sandbox.`, 404);
    return grant;
  }

  /** Approves as `upn`, or as the Global Administrator of the code's tenant (contoso for /organizations). */
  approve(userCode: string, upn?: string): DeviceCodeGrant {
    const grant = this.pendingGrant(userCode);
    const fallbackTenant = grant.tenant ?? this.directory.tenants.find((t) => t.cloud === grant.cloud) ?? this.directory.tenant('contoso');
    const ref = this.directory.findUserAnywhere(upn ?? `admin@${fallbackTenant.initialDomain}`);
    if (!ref) throw new SandboxControlError(`No user '${upn}' in any sandbox tenant.`, 404);
    if (ref.tenant.cloud !== grant.cloud) {
      throw new SandboxControlError(`User '${ref.user.userPrincipalName}' belongs to the ${ref.tenant.cloud} cloud; this code was issued by the ${grant.cloud} cloud's sign-in host.`, 409);
    }
    if (grant.tenant && ref.tenant !== grant.tenant) {
      throw new SandboxControlError(
        `User '${ref.user.userPrincipalName}' does not exist in tenant '${grant.tenant.initialDomain}' (AADSTS50020).`,
        409,
      );
    }
    grant.user = ref;
    grant.state = 'approved';
    this.clearTimer(grant);
    return grant;
  }

  decline(userCode: string): DeviceCodeGrant {
    const grant = this.pendingGrant(userCode);
    grant.state = 'declined';
    this.clearTimer(grant);
    return grant;
  }

  expire(userCode: string): DeviceCodeGrant {
    const grant = this.get(userCode);
    if (grant.state === 'pending' || grant.state === 'approved') grant.state = 'expired';
    this.clearTimer(grant);
    return grant;
  }

  /** Codes still waiting for someone to sign in (not approved, declined or expired). */
  pending(now: number): DeviceCodeGrant[] {
    return [...this.grants.values()].filter((g) => g.state === 'pending' && g.expiresAt > now);
  }

  close(): void {
    for (const grant of this.grants.values()) this.clearTimer(grant);
  }

  private pendingGrant(userCode: string): DeviceCodeGrant {
    const grant = this.get(userCode);
    if (grant.state === 'pending' && grant.expiresAt <= this.directory.now()) grant.state = 'expired';
    if (grant.state !== 'pending') {
      throw new SandboxControlError(`Device code '${grant.userCode}' is ${grant.state}, not pending.`, 409);
    }
    return grant;
  }

  private clearTimer(grant: DeviceCodeGrant): void {
    if (grant.timer) clearTimeout(grant.timer);
    grant.timer = undefined;
  }
}

export type ClientCheck =
  | { kind: 'public' }
  | { kind: 'confidential' }
  | { kind: 'unknown' };

/** Whether a client may use a public-client grant in this tenant (or any tenant for /organizations). */
export function checkPublicClient(world: World, tenant: TenantState | undefined, clientId: string): ClientCheck {
  if (PUBLIC_FIRST_PARTY_CLIENTS.includes(clientId)) return { kind: 'public' };
  const app = world.directory.application(clientId);
  if (!app || (tenant && app.tenant !== tenant.name) || !world.directory.stsVisible(app)) return { kind: 'unknown' };
  if (!world.directory.servicePrincipalByAppId(app.tenant, app.appId)) return { kind: 'unknown' };
  return app.isFallbackPublicClient ? { kind: 'public' } : { kind: 'confidential' };
}

/** POST /{tenant}/oauth2/v2.0/devicecode */
export function deviceCodeEndpoint(ctx: RequestContext, world: World, tenantSegment: string, tenant: TenantState | undefined, cloud: CloudName): Reply {
  const form = ctx.form();
  const clientId = form.get('client_id')?.toLowerCase();
  if (!clientId) return AADSTS.missingParameter(ctx, 'client_id');
  // Confidential apps get their code here and fail on the first poll with AADSTS7000218, as in Entra.
  if (checkPublicClient(world, tenant, clientId).kind === 'unknown') {
    return AADSTS.appNotFound(ctx, clientId, tenant?.displayName ?? tenantSegment);
  }
  const scopeParam = form.get('scope');
  if (!scopeParam) return AADSTS.missingParameter(ctx, 'scope');
  const grant = resolveDelegatedScopes(ctx, world.directory, tenant, clientId, scopeParam, cloud);
  if (isReply(grant)) return grant;
  if (tenant?.settings.deviceCode === 'conditional-access-blocked') return AADSTS.conditionalAccess(ctx);

  const code = world.deviceCodes.create({
    clientId,
    tenantSegment,
    tenant,
    cloud,
    scopes: scopeParam.split(/\s+/).filter(Boolean),
    scopeParam,
    expiresAt: world.now().getTime() + world.deviceCodeExpiresInSec * 1000,
  });
  return jsonReply(200, {
    user_code: code.userCode,
    device_code: code.deviceCode,
    verification_uri: VERIFICATION_URI,
    expires_in: world.deviceCodeExpiresInSec,
    interval: world.deviceCodeIntervalSec,
    message: `To sign in, use a web browser to open the page ${VERIFICATION_URI} and enter the code ${code.userCode} to authenticate.`,
  });
}
