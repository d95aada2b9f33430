// The sandbox is proven against the real msal-node, which otherwise lives only in src/auth/.
// eslint-disable-next-line no-restricted-imports
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Sandbox } from '../../src/sandbox/index.js';

export interface CapturedExchange {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * msal-node's INetworkModule the way microsoft365.md §7 describes it: https://<host>/… goes to the
 * sandbox with X-Forwarded-Host, and every HTTP status comes back as data (never thrown).
 */
export function sandboxNetwork(sandboxUrl: string, log: CapturedExchange[] = [], onResponse?: (exchange: CapturedExchange) => void): INetworkModule {
  async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    const res = await fetch(`${sandboxUrl}${target.pathname}${target.search}`, {
      method,
      headers: { ...(options?.headers ?? {}), 'x-forwarded-host': target.host },
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
    });
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    const exchange = { method, url, status: res.status, body };
    log.push(exchange);
    onResponse?.(exchange);
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { headers, body: body as T, status: res.status };
  }
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

export interface SandboxResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** A request as the panel's transport sends it: to the sandbox origin, original host in X-Forwarded-Host. */
export async function call(
  sandbox: Sandbox,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {},
): Promise<SandboxResponse> {
  const target = new URL(url);
  const res = await fetch(`${sandbox.url}${target.pathname}${target.search}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.headers ?? {}), 'x-forwarded-host': target.host },
    ...(init.body !== undefined ? { body: init.body } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

export function form(values: Record<string, string>): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(values).toString() };
}

export function jsonBody(value: unknown, token?: string): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(value),
  };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function decodeClaims(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

const LOGIN = 'https://login.microsoftonline.com';
export const GRAPH_CLI = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
export const ADMIN_SCOPES = 'https://graph.microsoft.com/Application.ReadWrite.All https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All openid profile offline_access';

/** A delegated Graph token for `upn` by plain HTTP: /devicecode, approve, /token. */
export async function delegatedToken(sandbox: Sandbox, upn: string, tenant = 'organizations', scope = ADMIN_SCOPES): Promise<string> {
  const dc = await call(sandbox, `${LOGIN}/${tenant}/oauth2/v2.0/devicecode`, { method: 'POST', ...form({ client_id: GRAPH_CLI, scope }) });
  if (dc.status !== 200) throw new Error(`devicecode failed: ${dc.text}`);
  const { user_code, device_code } = dc.json<{ user_code: string; device_code: string }>();
  sandbox.approveDeviceCode(user_code, upn);
  const token = await call(sandbox, `${LOGIN}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    ...form({ grant_type: 'device_code', client_id: GRAPH_CLI, device_code, scope }),
  });
  if (token.status !== 200) throw new Error(`token failed: ${token.text}`);
  return token.json<{ access_token: string }>().access_token;
}

/** An app-only token by plain HTTP with a client secret. */
export async function appTokenWithSecret(sandbox: Sandbox, tenant: string, clientId: string, secret: string, resource = 'https://graph.microsoft.com'): Promise<SandboxResponse> {
  return call(sandbox, `${LOGIN}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    ...form({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: `${resource}/.default` }),
  });
}
