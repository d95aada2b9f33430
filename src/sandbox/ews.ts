/**
 * Exchange Online EWS (outlook.office365.com/EWS/Exchange.asmx): OAuth only unless the tenant has
 * Basic re-enabled; `full_access_as_app` + ExchangeImpersonation for app-only tokens; a per-tenant
 * switch for the EWS retirement (403).
 */
import { checkAccessToken, holdsAny } from './access-token.js';
import type { TenantState } from './directory.js';
import { ewsOperation, EXCHANGE_ONLINE_VERSION, parseEwsRequest, soapFault, type Mailbox } from './ews-soap.js';
import { authScheme, basicCredentials, bearerToken, emptyReply, type Reply, type RequestContext } from './http.js';
import type { SeedUser } from './tenants.js';
import { EXCHANGE_APP_ID, EXCHANGE_RESOURCE, ROLE } from './well-known.js';
import type { World } from './world.js';

/** The challenge Exchange Online sends since Basic Authentication was switched off (microsoft365.md §11). */
export const EXCHANGE_BEARER_CHALLENGE =
  `Bearer client_id="${EXCHANGE_APP_ID}", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token",Basic Realm=""`;

function unauthorized(diagnostics?: string): Reply {
  return emptyReply(401, {
    'www-authenticate': EXCHANGE_BEARER_CHALLENGE,
    ...(diagnostics ? { 'x-ms-diagnostics': diagnostics } : {}),
  });
}

/** EWS switched off for the tenant: Exchange answers 403 without a SOAP body. */
const ewsBlocked = (): Reply => emptyReply(403, { 'x-ms-diagnostics': '2000004;reason="EWS is disabled for this organization.";error_category="ews_disabled"' });

function mailboxOf(ctx: RequestContext, world: World, tenant: TenantState, user: SeedUser): Mailbox {
  const mailbox = world.data.mailboxOf(tenant, user);
  return { smtp: user.userPrincipalName, displayName: user.displayName, itemCount: mailbox.totalCount(mailbox.folder('inbox') ?? mailbox.root), store: { mailbox, tokens: world.data.tokens, now: ctx.now } };
}

function findMailbox(world: World, tenant: TenantState, smtp: string): SeedUser | undefined {
  const user = world.data.findUser(tenant, smtp);
  return user?.hasMailbox ? user : undefined;
}

const NO_MAILBOX = (): Reply => soapFault('ErrorNonExistentMailbox', 'The SMTP address has no mailbox associated with it.');

export function ewsHandler(ctx: RequestContext, world: World): Reply {
  if (ctx.path.toLowerCase() !== '/ews/exchange.asmx') return emptyReply(404);
  const request = parseEwsRequest(ctx.body.toString('utf8'));

  switch (authScheme(ctx)) {
    case 'basic': {
      const creds = basicCredentials(ctx);
      const ref = creds && world.directory.findUserAnywhere(creds.user);
      if (!creds || !ref || !ref.tenant.settings.basicAuth || ref.user.password !== creds.password) return unauthorized();
      if (ref.tenant.settings.ewsDisabled) return ewsBlocked();
      if (ctx.method !== 'POST') return emptyReply(405);
      const target = request.impersonated ?? ref.user.userPrincipalName;
      const mailbox = findMailbox(world, ref.tenant, target);
      if (!mailbox) return NO_MAILBOX();
      if (mailbox !== ref.user && !ref.user.roles.includes(ROLE.globalAdministrator)) {
        return soapFault('ErrorImpersonateUserDenied', 'The account does not have permission to impersonate the requested user.');
      }
      return ewsOperation(request, mailboxOf(ctx, world, ref.tenant, mailbox), EXCHANGE_ONLINE_VERSION);
    }
    case 'bearer':
      break;
    default:
      return unauthorized();
  }

  const token = bearerToken(ctx) ?? '';
  const claims = checkAccessToken(world, token);
  switch (claims) {
    case 'malformed':
      return unauthorized('2000001;reason="The token is malformed.";error_category="invalid_token"');
    case 'signature':
    case 'issuer':
      return unauthorized('2000001;reason="The token has an invalid signature.";error_category="invalid_signature"');
    case 'expired':
    case 'not-yet-valid':
      return unauthorized('2000008;reason="The token has expired.";error_category="invalid_token"');
  }
  const aud = claims.aud.toLowerCase().replace(/\/+$/, '');
  if (aud !== EXCHANGE_RESOURCE && aud !== EXCHANGE_APP_ID && aud !== 'https://outlook.office.com') {
    return unauthorized(`2000003;reason="The audience claim value is invalid '${claims.aud}'.";error_category="invalid_resource"`);
  }
  if (claims.tenant.settings.ewsDisabled) return ewsBlocked();
  const notEnoughScope = '2000008;reason="The token contains not enough scope to make this call.";error_category="invalid_grant"';
  if (ctx.method !== 'POST') return emptyReply(405);

  if (claims.idtyp === 'app') {
    if (!holdsAny(claims.roles, ['full_access_as_app'])) return unauthorized(notEnoughScope);
    if (!request.impersonated) {
      return soapFault('ErrorInvalidExchangeImpersonationHeaderData', 'ExchangeImpersonation SOAP header must be present for this type of OAuth token.');
    }
    const mailbox = findMailbox(world, claims.tenant, request.impersonated);
    if (!mailbox) return NO_MAILBOX();
    return ewsOperation(request, mailboxOf(ctx, world, claims.tenant, mailbox), EXCHANGE_ONLINE_VERSION);
  }
  if (!holdsAny(claims.scopes, ['EWS.AccessAsUser.All'])) return unauthorized(notEnoughScope);
  const user = world.directory.userById(claims.tenant, claims.oid);
  const mailbox = user && findMailbox(world, claims.tenant, request.impersonated ?? user.userPrincipalName);
  if (!user || !mailbox) return NO_MAILBOX();
  return ewsOperation(request, mailboxOf(ctx, world, claims.tenant, mailbox), EXCHANGE_ONLINE_VERSION);
}
