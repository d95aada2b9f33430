/** Plain-fetch helpers for the sandbox's data APIs (Graph mail and drives, EWS). */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../../src/sandbox/index.js';
import { appTokenWithSecret, bearer, call, type SandboxResponse } from './helpers.js';

export const G = 'https://graph.microsoft.com/v1.0';

/** An app-only token for `resource` from a new app holding `roles`. */
export async function appToken(s: Sandbox, roles: string[], resource = 'https://graph.microsoft.com', tenant: 'contoso' | 'fabrikam' = 'contoso'): Promise<string> {
  const secret = randomBytes(18).toString('base64url');
  const app = s.registerApp(tenant, { displayName: `test ${roles.join(',')}`, secret, roles });
  const res = await appTokenWithSecret(s, `${tenant}.onmicrosoft.com`, app.appId, secret, resource);
  if (res.status !== 200) throw new Error(`token: ${res.text}`);
  return res.json<{ access_token: string }>().access_token;
}

export function get(s: Sandbox, url: string, token: string, headers: Record<string, string> = {}): Promise<SandboxResponse> {
  return call(s, url, { headers: { ...bearer(token), ...headers } });
}

export interface DeltaRound<T> {
  readonly items: T[];
  readonly deltaLink: string;
  readonly pages: number;
}

/** Follows @odata.nextLink to the @odata.deltaLink. */
export async function deltaRound<T = Record<string, unknown>>(s: Sandbox, url: string, token: string, pageSize?: number): Promise<DeltaRound<T>> {
  const items: T[] = [];
  let next: string | undefined = url;
  let pages = 0;
  for (;;) {
    const res = await get(s, next, token, pageSize ? { prefer: `odata.maxpagesize=${pageSize}` } : {});
    if (res.status !== 200) throw new Error(`delta page ${pages + 1}: HTTP ${res.status} ${res.text}`);
    pages += 1;
    const body = res.json<{ value: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>();
    items.push(...body.value);
    if (body['@odata.deltaLink']) return { items, deltaLink: body['@odata.deltaLink'], pages };
    next = body['@odata.nextLink'];
    if (!next) throw new Error('a delta page without nextLink or deltaLink');
  }
}

/** Sends a request and resolves when the response headers arrive (the body is left unread). */
export async function fetchRaw(s: Sandbox, url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Response> {
  const target = new URL(url);
  return fetch(`${s.url}${target.pathname}${target.search}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.headers ?? {}), 'x-forwarded-host': target.host },
    ...(init.body !== undefined ? { body: init.body } : {}),
    redirect: 'manual',
  });
}
