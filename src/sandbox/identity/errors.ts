/**
 * Entra's error envelope (microsoft365.md §8). Texts are the real ones where they are known; the
 * panel must never match on them (Entra: "Never use this field to react to an error in your code"),
 * but people read them, so they should look like what Microsoft sends.
 */
import { randomUUID } from 'node:crypto';
import { clientRequestId, entraTimestamp, jsonReply, type Reply, type RequestContext } from '../http.js';

export function aadError(
  ctx: RequestContext,
  status: number,
  error: string,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): Reply {
  const traceId = randomUUID();
  const correlationId = clientRequestId(ctx);
  const timestamp = entraTimestamp(ctx.now);
  return jsonReply(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      ...extra,
    },
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache', 'x-ms-request-id': traceId },
  );
}

const CERT_DOCS =
  'Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .';

/** Dates inside AADSTS700024/700027 texts look like .NET's round-trip format with 7 fraction digits. */
const dotnet = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
/** "Start=03/17/2023 12:32:17, End=…" as in the real 700027 text. */
const usDate = (d: Date): string => {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
};

export const AADSTS = {
  tenantNotFound: (ctx: RequestContext, tenant: string) =>
    aadError(ctx, 400, 'invalid_request', 90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`),
  missingParameter: (ctx: RequestContext, name: string) =>
    aadError(ctx, 400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrantType: (ctx: RequestContext, grantType: string) =>
    aadError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`),
  grantNotOnCommon: (ctx: RequestContext) =>
    aadError(ctx, 400, 'invalid_request', 9001023,
      'The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.'),
  appNotFound: (ctx: RequestContext, appId: string, directory: string) =>
    aadError(ctx, 400, 'unauthorized_client', 700016,
      `Application with identifier '${appId}' was not found in the directory '${directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  missingServicePrincipal: (ctx: RequestContext, appId: string, tenantId: string) =>
    aadError(ctx, 400, 'invalid_client', 7000229,
      `The client application ${appId} is missing service principal in the tenant ${tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`),
  consentRequired: (ctx: RequestContext, clientId: string, clientName: string) =>
    aadError(ctx, 400, 'invalid_grant', 65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${clientName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' }),
  publicClientRequired: (ctx: RequestContext) =>
    aadError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidSecret: (ctx: RequestContext, appId: string) =>
    aadError(ctx, 401, 'invalid_client', 7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`),
  expiredSecret: (ctx: RequestContext, appId: string) =>
    aadError(ctx, 401, 'invalid_client', 7000222,
      `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`),
  malformedAssertion: (ctx: RequestContext) =>
    aadError(ctx, 401, 'invalid_client', 50027, 'JWT token is invalid or malformed.'),
  unsupportedAssertionType: (ctx: RequestContext, type: string) =>
    aadError(ctx, 400, 'invalid_request', 50027,
      `Invalid client_assertion_type '${type}'. Expected 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.`),
  unsupportedAlgorithm: (ctx: RequestContext, alg: string) =>
    aadError(ctx, 401, 'invalid_client', 5002738,
      `Invalid JWT token. '${alg}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256, PS256'`),
  keyNotFound: (ctx: RequestContext, thumbprint: string, appId: string) =>
    aadError(ctx, 401, 'invalid_client', 700027,
      `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/<objectid>'.]`),
  keyExpired: (ctx: RequestContext, thumbprint: string, start: Date, end: Date) =>
    aadError(ctx, 401, 'invalid_client', 700027,
      `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${thumbprint}', Found key 'Start=${usDate(start)}, End=${usDate(end)}']`),
  badSignature: (ctx: RequestContext, thumbprint: string, start: Date, end: Date) =>
    aadError(ctx, 401, 'invalid_client', 700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}', Found key 'Start=${usDate(start)}, End=${usDate(end)}']`),
  assertionSubject: (ctx: RequestContext) =>
    aadError(ctx, 401, 'invalid_client', 700021,
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials."),
  assertionAudience: (ctx: RequestContext) =>
    aadError(ctx, 401, 'invalid_client', 700023,
      'Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials.'),
  assertionTime: (ctx: RequestContext, from: Date, to: Date) =>
    aadError(ctx, 401, 'invalid_client', 700024,
      `Client assertion is not within its valid time range. Current time: ${dotnet(ctx.now)}, assertion valid from ${dotnet(from)}, expiry time of assertion ${dotnet(to)}. ${CERT_DOCS}`),
  resourceNotFound: (ctx: RequestContext, resource: string, tenantName: string) =>
    aadError(ctx, 400, 'invalid_resource', 500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  scopeWithoutDefault: (ctx: RequestContext, scope: string) =>
    aadError(ctx, 400, 'invalid_scope', 1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  invalidScope: (ctx: RequestContext, scope: string) =>
    aadError(ctx, 400, 'invalid_scope', 70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`),
  multipleResources: (ctx: RequestContext, scope: string) =>
    aadError(ctx, 400, 'invalid_scope', 700022,
      `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`),
  preauthorizationRequired: (ctx: RequestContext, clientId: string, resourceAppId: string) =>
    aadError(ctx, 400, 'invalid_request', 65002,
      `Consent between first party application '${clientId}' and first party resource '${resourceAppId}' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API.`),
  conditionalAccess: (ctx: RequestContext) =>
    aadError(ctx, 400, 'invalid_grant', 53003,
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance. Your sign-in was successful but does not meet the criteria to access this resource. For example, you might be signing in from a browser, app, or location that is restricted by your admin.',
      { suberror: 'message_only' }),
  authorizationPending: (ctx: RequestContext) =>
    aadError(ctx, 400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.'),
  authorizationDeclined: (ctx: RequestContext) =>
    aadError(ctx, 400, 'authorization_declined', 65004, 'User declined to consent to access the app.'),
  deviceCodeExpired: (ctx: RequestContext) =>
    aadError(ctx, 400, 'expired_token', 70020,
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired."),
  badVerificationCode: (ctx: RequestContext) =>
    aadError(ctx, 400, 'bad_verification_code', 70018,
      "The provided value for the input parameter 'device_code' is not valid. The device code was not recognized."),
  deviceCodeRedeemed: (ctx: RequestContext) =>
    aadError(ctx, 400, 'invalid_grant', 90120, 'The request was already authorized or declined. The device code has already been redeemed.'),
  invalidRefreshToken: (ctx: RequestContext) =>
    aadError(ctx, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  methodNotAllowed: (ctx: RequestContext) =>
    aadError(ctx, 405, 'invalid_request', 900561, `The endpoint only accepts POST requests. Received a ${ctx.method} request.`),
};
