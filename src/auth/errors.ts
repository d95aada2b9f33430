import { ROLES_THAT_REGISTER } from '../domain/admin-role-words.js';
import { displayText } from '../domain/display-text.js';
import type { ErrorCategory } from '../m365/errors.js';
import { M365Error, serverText } from '../m365/errors.js';

/**
 * Error normalisation (microsoft365.md §12): msal-node errors, the raw Entra error bodies captured
 * by the network module, Graph error bodies and HTTP statuses become an `M365Error` with a category,
 * a message of one or two sentences (what happened, with the AADSTS code, and what to do) and a hint.
 * Decisions use `errorCode`, `errorNo`, `subError`, the HTTP status and the captured body — never
 * `instanceof` across msal packages and never the description text.
 */

/** The first sentence of an Entra error_description, without trace/correlation ids and timestamps. */
export function entraSummary(description: string | undefined): string {
  if (!description) return '';
  const first = description.split(/\r?\n|\s+Trace ID:|\s+Correlation ID:|\s+Timestamp:/)[0] ?? '';
  return serverText(first.replace(/^AADSTS\d+:\s*/, ''), 240);
}

// ---------------------------------------------------------------------------------------------
// Entra (identity platform) errors.

/** The raw Entra error body, as the network module captured it. */
export interface EntraErrorBody {
  readonly error?: string;
  readonly error_description?: string;
  readonly error_codes?: readonly number[];
  readonly suberror?: string;
  readonly status?: number;
}

/** What the network module saw during one msal call. */
export interface Capture {
  /** The last Entra error body (authorization_pending excluded). */
  entraError?: EntraErrorBody;
  /** A transport failure (network, timeout, throttled, cancelled, unparseable JSON). */
  transportError?: M365Error;
}

export type Flow = 'device-code' | 'client-credentials';

export interface FlowContext {
  readonly flow: Flow;
  readonly tenant: string;
  readonly clientId: string;
  /** Resource of a client-credential token, e.g. https://graph.microsoft.com. */
  readonly resource?: string;
  /** Within minutes of creating the app: "not found" / "bad key" mean Entra has not caught up yet. */
  readonly recentlyRegistered?: boolean;
}

export const MANUAL_REGISTRATION_HINT =
  'Choose Manual registration instead: register the app in the Microsoft Entra admin center and enter its tenant ID, client ID and certificate.';

/** Every device-code failure ends with the way out (product.md §5: always offer the manual path). */
export function withManualHint(error: M365Error): M365Error {
  if (error.message.endsWith(MANUAL_REGISTRATION_HINT)) return error;
  // The way out goes into the message itself (its last sentence), after any specific advice.
  const advice = error.hint ? ` ${error.hint}` : '';
  return new M365Error(error.category, `${error.message}${advice} ${MANUAL_REGISTRATION_HINT}`, error.aadsts);
}

function make(category: ErrorCategory, message: string, aadsts?: number, hint?: string): M365Error {
  return new M365Error(category, message, aadsts, hint);
}

export function aadstsOf(body: EntraErrorBody | undefined): number | undefined {
  const code = body?.error_codes?.[0];
  if (typeof code === 'number' && Number.isFinite(code)) return code;
  const match = /AADSTS(\d+)/.exec(body?.error_description ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * Propagation delays right after an automatic registration (microsoft365.md §9.1 step 6), plus
 * AADSTS7000229 ("missing service principal"), which Entra answers while a new service principal
 * has not reached the token service (omitted from microsoft365.md; backup-data.md §9).
 */
export const PROPAGATION_CODES = new Set([700016, 7000229, 7000215, 700027]);

/** Maps an Entra error body to an M365Error (§12). */
export function fromEntra(body: EntraErrorBody, ctx: FlowContext): M365Error {
  const error = fromEntraInner(body, ctx);
  return ctx.flow === 'device-code' ? withManualHint(error) : error;
}

function fromEntraInner(body: EntraErrorBody, ctx: FlowContext): M365Error {
  const code = aadstsOf(body);
  const tag = code !== undefined ? ` (AADSTS${code})` : '';
  const app = `'${displayText(ctx.clientId, { maxLength: 60 })}'`;
  const tenant = `'${displayText(ctx.tenant, { maxLength: 80 })}'`;
  const deviceCode = ctx.flow === 'device-code';

  if (ctx.recentlyRegistered && code !== undefined && PROPAGATION_CODES.has(code)) {
    return make('PropagationPending', `Microsoft Entra ID has not caught up with the new app registration yet${tag}; it usually does within a few minutes.`, code, 'Wait a few minutes and test the connection again.');
  }

  switch (body.error) {
    case 'authorization_declined':
      return make('DeviceCodeDeclined', `The sign-in was declined in the browser${tag}.`, code);
    case 'expired_token':
      return make('DeviceCodeExpired', `The sign-in code expired before it was used${tag}; start the sign-in again and enter the new code within 15 minutes.`, code);
    case 'bad_verification_code':
      return make('DeviceCodeExpired', `Microsoft Entra ID did not recognise the sign-in code${tag}; start the sign-in again.`, code);
    default:
      break;
  }

  switch (code) {
    case 70020:
      return make('DeviceCodeExpired', `The sign-in code expired before it was used${tag}; start the sign-in again and enter the new code within 15 minutes.`, code);
    case 700016:
      if (deviceCode) {
        return make('AppNotFound', `The sign-in app (client ID ${app}) is not available in this tenant${tag}; the tenant may have removed or blocked it.`, code);
      }
      return make('AppNotFound', `Application (client) ID ${app} was not found in tenant ${tenant}${tag}.`, code, 'Check the client ID and the tenant ID on the app registration’s Overview page in the Microsoft Entra admin center.');
    case 7000218:
      return make('AppNotFound', `The sign-in app ${app} does not allow public client (device code) flows${tag}.`, code, 'Enable "Allow public client flows" on that app registration, or use another sign-in app.');
    case 7000229:
      return make(
        'AppNotFound',
        `App ${app} has no enterprise application (service principal) in tenant ${tenant}${tag}.`,
        code,
        'Open the app registration in the Microsoft Entra admin center and create its enterprise application (or grant admin consent, which creates it), or run Automatic registration again.',
      );
    case 7000112:
      return make('AppNotFound', `Application ${app} is disabled in tenant ${tenant}${tag}.`, code, 'Enable the enterprise application in the Microsoft Entra admin center.');
    case 7000215:
      return make('BadCredential', `The client secret was rejected${tag}: often the secret ID was pasted instead of the value.`, code, 'Copy the secret’s Value (shown only once, when the secret is created) or create a new secret for the app.');
    case 7000222:
      return make('BadCredential', `The client secret of app ${app} has expired${tag}.`, code, 'Create a new secret (or better, add a certificate) for the app in the Microsoft Entra admin center and update the connection.');
    case 700027:
      return make('CertNotRegistered', `Microsoft Entra ID does not know the certificate that signed the request for app ${app}${tag}: it is not registered on the app, or the key does not match.`, code, 'Upload this certificate (public part) under Certificates & secrets of the app registration, or use the certificate registered there.');
    case 700024:
      return make('Configuration', `The signed request is outside its valid time range${tag}: this machine’s clock is probably wrong.`, code, 'Synchronise the clock (NTP) and try again.');
    case 53003:
      if (deviceCode) return make('ConditionalAccessBlocked', `A Conditional Access policy in this tenant blocks device code sign-in${tag}.`, code);
      return make('ConditionalAccessBlocked', `A Conditional Access policy blocks this sign-in${tag}.`, code, 'Ask the tenant’s security administrator to exclude this app (or this server’s location) from the policy.');
    case 53000:
    case 53001:
    case 53002:
      return make('ConditionalAccessBlocked', `A Conditional Access policy blocks this sign-in${tag}: the device or app does not meet its requirements.`, code, 'Ask the tenant’s security administrator about the policy.');
    case 65001:
      if (deviceCode) {
        // Entra showed "Need admin approval": the account may not consent to Application.ReadWrite.All.
        return make(
          'ConsentMissing',
          `Microsoft Entra ID asked for admin approval${tag}: the account that signed in may not consent to the permissions the registration needs (Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All), so it holds no administrator role that can register apps (or its role is only eligible in PIM and not activated).`,
          code,
          `Sign in with ${ROLES_THAT_REGISTER} (activate the role in PIM first if it is eligible), or have such an administrator grant consent to the sign-in app.`,
        );
      }
      return make('ConsentMissing', `Admin consent for app ${app} is missing${tag}.`, code, 'Grant admin consent for the app’s API permissions in the Microsoft Entra admin center.');
    case 65002:
      return make('Configuration', `The sign-in app ${app} is not pre-authorised for the requested permissions${tag}.`, code, 'Use the Microsoft Graph Command Line Tools sign-in app or Manual registration.');
    case 90002:
      return make('Configuration', `Tenant ${tenant} not found${tag}.`, code, 'Check the tenant ID (Directory ID GUID) or the domain, e.g. contoso.onmicrosoft.com.');
    case 900023:
    case 90013:
      return make('Configuration', `${tenant} is not a valid tenant ID or domain${tag}.`, code, 'Use the Directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com.');
    case 500011: {
      const resource = ctx.resource ? ` ${displayText(ctx.resource, { maxLength: 80 })}` : '';
      return make('Configuration', `The resource${resource} does not exist in tenant ${tenant}${tag}: the service is probably not licensed or enabled there.`, code, 'Check the tenant’s subscriptions, or the SharePoint URL.');
    }
    case 50076:
    case 50079:
      return make('ConditionalAccessBlocked', `Multi-factor authentication is required${tag}.`, code, 'Complete MFA in the browser when signing in.');
    case 50105:
      return make('ConsentMissing', `The signed-in account is not assigned to the sign-in app${tag}.`, code, 'Ask an administrator to assign the account to the app, or use Manual registration.');
    default:
      break;
  }

  switch (body.error) {
    case 'invalid_client':
      return make('BadCredential', `The app’s credential was rejected${tag}${summaryOf(body)}.`, code, 'Check the certificate or secret registered on the app.');
    case 'unauthorized_client':
      return make('AppNotFound', `App ${app} is not allowed to sign in to tenant ${tenant}${tag}${summaryOf(body)}.`, code, 'Check the client ID and tenant ID.');
    case 'invalid_resource':
      return make('Configuration', `The requested resource is not available in tenant ${tenant}${tag}${summaryOf(body)}.`, code);
    case 'temporarily_unavailable':
    case 'server_error':
      return make('ServerError', `Microsoft Entra ID had a fault on its side${tag}; this is not a problem with the settings.`, code, 'Try again in a few minutes.');
    default:
      break;
  }
  if (body.suberror === 'consent_required' || body.error === 'consent_required') {
    return make('ConsentMissing', `Consent is missing${tag}${summaryOf(body)}.`, code, 'Grant admin consent for the app’s API permissions.');
  }
  if (body.status === 429) {
    return make('Throttled', `Microsoft Entra ID throttled the sign-in (HTTP 429)${tag}.`, code, 'Try again in a few minutes.');
  }
  if (body.status !== undefined && body.status >= 500) {
    return make('ServerError', `Microsoft Entra ID had a fault on its side (HTTP ${body.status})${tag}; this is not a problem with the settings.`, code, 'Try again in a few minutes.');
  }
  const what = body.error ? ` (${serverText(body.error, 60)})` : '';
  return make('Unknown', `Microsoft Entra ID refused the sign-in${tag}${what}${summaryOf(body)}.`, code, 'Look the AADSTS code up at https://login.microsoftonline.com/error.');
}

function summaryOf(body: EntraErrorBody): string {
  const summary = entraSummary(body.error_description).replace(/\.$/, '');
  return summary ? `: ${summary}` : '';
}

// ---------------------------------------------------------------------------------------------
// msal-node errors.

interface MsalErrorShape {
  readonly errorCode?: unknown;
  readonly errorNo?: unknown;
  readonly subError?: unknown;
  readonly status?: unknown;
  readonly errorMessage?: unknown;
}

export function isM365Error(error: unknown): error is M365Error {
  return error instanceof M365Error;
}

/** Turns whatever msal-node threw (plus what the network module captured) into an M365Error. */
export function normaliseMsalError(error: unknown, capture: Capture, ctx: FlowContext): M365Error {
  const result = normaliseInner(error, capture, ctx);
  if (ctx.flow === 'device-code' && result.category !== 'Cancelled') return withManualHint(result);
  return result;
}

function normaliseInner(error: unknown, capture: Capture, ctx: FlowContext): M365Error {
  if (isM365Error(error)) return error;
  if (capture.transportError) return capture.transportError;
  const e = (typeof error === 'object' && error !== null ? error : {}) as MsalErrorShape;
  const errorCode = typeof e.errorCode === 'string' ? e.errorCode : '';
  switch (errorCode) {
    case 'device_code_polling_cancelled':
      return make('DeviceCodeCancelled', 'Sign-in cancelled.');
    case 'device_code_expired':
    case 'user_timeout_reached':
      return make('DeviceCodeExpired', 'The sign-in code expired before the sign-in was completed; start the sign-in again and enter the new code within its time limit.');
    case 'missing_tenant_id_error':
      return make('Configuration', 'A tenant ID or domain is required (not "common" or "organizations") for an app to sign in.', undefined, 'Enter the Directory (tenant) ID GUID or the domain, e.g. contoso.onmicrosoft.com.');
    case 'authority_uri_insecure':
    case 'url_parse_error':
    case 'empty_url_error':
    case 'untrusted_authority':
    case 'invalid_authority_metadata':
      return make('Configuration', `The tenant '${displayText(ctx.tenant, { maxLength: 80 })}' does not give a valid sign-in address.`, undefined, 'Check the tenant ID or domain.');
    case 'invalid_client_credential':
    case 'invalid_assertion':
    case 'state_not_found':
      return make('Configuration', 'The app credential is incomplete: give either a certificate with its private key or a client secret.');
    case 'token_parsing_error':
      return make('Network', 'Microsoft Entra ID returned a response that is not valid JSON.', undefined, 'Check for a proxy or captive portal between this machine and login.microsoftonline.com.');
    case 'network_error':
      return make('Network', 'Could not reach login.microsoftonline.com: network request failed.', undefined, 'Check the network, DNS and any proxy.');
    default:
      break;
  }
  if (capture.entraError) return fromEntraInner(capture.entraError, ctx);
  const errorNo = typeof e.errorNo === 'number' ? e.errorNo : typeof e.errorNo === 'string' && /^\d+$/.test(e.errorNo) ? Number(e.errorNo) : undefined;
  if (errorNo !== undefined || errorCode) {
    const body: EntraErrorBody = {
      ...(errorCode ? { error: errorCode === 'post_request_failed' && typeof e.errorMessage === 'string' ? e.errorMessage : errorCode } : {}),
      ...(errorNo !== undefined ? { error_codes: [errorNo] } : {}),
      ...(typeof e.subError === 'string' && e.subError ? { suberror: e.subError } : {}),
      ...(typeof e.status === 'number' ? { status: e.status } : {}),
    };
    return fromEntraInner(body, ctx);
  }
  const message = (error instanceof Error ? error.message : String(error)).replace(/\[object Object\]:?\s*/g, '');
  return make('Unknown', `Sign-in failed: ${serverText(message, 200) || 'no reason given'}.`);
}

