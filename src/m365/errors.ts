import { displayText } from '../domain/display-text.js';

/**
 * Errors of every request to Microsoft 365 and on-premises servers: the error type the panel shows,
 * text from servers made safe to show, and Graph / SharePoint error bodies read once.
 */

export type ErrorCategory =
  | 'ConsentMissing'
  | 'AppNotFound'
  | 'BadCredential'
  | 'CertNotRegistered'
  | 'ConditionalAccessBlocked'
  | 'DeviceCodeDeclined'
  | 'DeviceCodeExpired'
  | 'DeviceCodeCancelled'
  | 'Network'
  | 'Timeout'
  | 'Throttled'
  | 'PropagationPending'
  | 'Configuration'
  | 'BasicAuthDisabled'
  | 'ServiceBlocked'
  | 'NotFound'
  /** The server (or something in between) failed: HTTP 5xx, a reply too large or not what was asked. */
  | 'ServerError'
  /** The caller's AbortSignal ended the operation (device code: DeviceCodeCancelled). */
  | 'Cancelled'
  | 'Unknown';

/** A failure from Microsoft (or the network) in words an admin can act on. */
export class M365Error extends Error {
  override readonly name = 'M365Error';
  constructor(
    readonly category: ErrorCategory,
    message: string,
    readonly aadsts?: number,
    /** What to do about it. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Text from servers: never a token, never a secret, never a terminal escape.

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.?[A-Za-z0-9_-]*/g;
// The credential part must look like one (a digit or base64 punctuation), so that prose such as
// "Basic Authentication" stays intact.
const AUTH_HEADER = /\b(Bearer|Basic)\s+(?=[A-Za-z0-9+/=._~-]*[0-9+/=])[A-Za-z0-9+/=._~-]{12,}/gi;
const LONG_OPAQUE = /[A-Za-z0-9+_~=-]{40,}/g;

/** Removes anything that looks like a token, key or credential from text. */
export function stripTokens(text: string): string {
  return text
    .replace(PEM_BLOCK, '[key or certificate removed]')
    .replace(JWT, '[token removed]')
    .replace(AUTH_HEADER, '$1 [removed]')
    .replace(LONG_OPAQUE, '[removed]');
}

/** Replaces every occurrence of the given secret values (and their base64 forms) with [REDACTED]. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of [secret, Buffer.from(secret, 'utf8').toString('base64'), encodeURIComponent(secret)]) {
      out = out.split(form).join('[REDACTED]');
    }
  }
  return out;
}

/** Text that came from a server (or an exception), made safe to show: tokens stripped, escaped, capped. */
export function serverText(value: unknown, maxLength = 300): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return displayText(stripTokens(text), { maxLength });
}

// ---------------------------------------------------------------------------------------------
// Microsoft Graph / resource errors.

export interface GraphErrorInfo {
  readonly status: number;
  readonly code?: string;
  readonly message?: string;
}

/** Reads `{ error: { code, message } }` (Graph, SharePoint JSON) from a response body. */
export function graphErrorInfo(status: number, text: string): GraphErrorInfo {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } | string; 'odata.error'?: { code?: unknown; message?: { value?: unknown } } };
    if (body && typeof body.error === 'object' && body.error) {
      return {
        status,
        ...(typeof body.error.code === 'string' ? { code: body.error.code } : {}),
        ...(typeof body.error.message === 'string' ? { message: body.error.message } : {}),
      };
    }
    const odata = body?.['odata.error'];
    if (odata) {
      return { status, ...(typeof odata.code === 'string' ? { code: odata.code } : {}), ...(typeof odata.message?.value === 'string' ? { message: odata.message.value } : {}) };
    }
    if (typeof body?.error === 'string') return { status, code: body.error };
  } catch {
    // not JSON: fall through
  }
  const trimmed = text.trim();
  return { status, ...(trimmed ? { message: trimmed } : {}) };
}

export function describeGraphError(info: GraphErrorInfo): string {
  const code = info.code ? ` ${serverText(info.code, 80)}` : '';
  const message = info.message ? `: ${serverText(info.message, 200).replace(/\.$/, '')}` : '';
  return `HTTP ${info.status}${code}${message}`;
}

/** The same error with every known secret value removed from its message and hint. */
export function redactError(error: M365Error, secrets: readonly (string | undefined)[]): M365Error {
  const message = redact(error.message, secrets);
  const hint = error.hint === undefined ? undefined : redact(error.hint, secrets);
  if (message === error.message && hint === error.hint) return error;
  return new M365Error(error.category, message, error.aadsts, hint);
}

/**
 * HTTP 5xx from a server: a fault on the server's side (or a gateway's), never the connection's
 * settings, so the words say so and point at trying again, not at reconfiguring.
 */
export function serverFault(host: string, status: number, text: string): M365Error {
  const info = graphErrorInfo(status, text);
  const code = info.code ? ` ${serverText(info.code, 60)}` : '';
  // A gateway's HTML error page says nothing worth repeating.
  const said = info.message && !/^\s*</.test(info.message) ? `: ${serverText(info.message.split(/\r?\n/)[0], 120).replace(/\.$/, '')}` : '';
  return new M365Error(
    'ServerError',
    `${host} had a fault on its side (HTTP ${status}${code}${said}).`,
    undefined,
    'This is not a problem with the connection’s settings; try again in a few minutes. If it persists, check the Microsoft 365 service health (or the proxy in between).',
  );
}
