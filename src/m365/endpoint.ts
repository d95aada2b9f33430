import { M365Error } from './errors.js';

/**
 * Where a request really goes (contracts §6).
 *
 * With `BACKUP_PANEL_M365_ENDPOINT=http://127.0.0.1:PORT` every request for a Microsoft 365 host
 * (login.microsoftonline.com, graph.microsoft.com, outlook.office365.com, *.sharepoint.com) goes to
 * that origin with the same method, path, query and body; the original host travels in
 * `X-Forwarded-Host`. Decision by the lead: while the override is set, on-premises hosts
 * (ex01.corp.contoso.com, autodiscover.<domain>, sp.corp.contoso.com …) are redirected the same way,
 * because the sandbox plays them too. Authority URLs given to msal-node stay
 * `https://login.microsoftonline.com/<tenant>`; only this transport redirects.
 *
 * Without the override, Microsoft 365 hosts are always https and on-premises URLs must be https
 * unless the host is loopback (plain http only for 127.0.0.0/8, ::1 and localhost). The override
 * itself follows the same rule (contracts §6): `http://` only for a loopback address, so that a
 * Basic header, a client secret or a token never crosses a network in clear text.
 */

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export interface Endpoint {
  /** The origin every request goes to instead (override), or undefined for the real hosts. */
  readonly origin: string | undefined;
}

/** Parses the override: an http(s) origin such as http://127.0.0.1:8443 (path ignored). */
export function parseEndpoint(value: string | undefined): Endpoint {
  if (value === undefined || value.trim() === '') return { origin: undefined };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new M365Error('Configuration', `BACKUP_PANEL_M365_ENDPOINT is not a URL; expected an origin such as http://127.0.0.1:8443.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new M365Error('Configuration', `BACKUP_PANEL_M365_ENDPOINT must be an http or https origin such as http://127.0.0.1:8443.`);
  }
  if (url.username || url.password) {
    throw new M365Error('Configuration', 'BACKUP_PANEL_M365_ENDPOINT must not carry a user name or password.');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new M365Error(
      'Configuration',
      `BACKUP_PANEL_M365_ENDPOINT=${url.origin} is refused: plain http is allowed only to this machine (127.0.0.1, ::1, localhost), so that passwords, secrets and tokens never cross a network in clear text.`,
      undefined,
      `Use https://${url.host} (or a loopback address).`,
    );
  }
  return { origin: url.origin };
}

export interface ResolvedTarget {
  /** The URL actually fetched. */
  readonly url: string;
  /** The host the request was meant for (for messages and X-Forwarded-Host). */
  readonly host: string;
  /** Set when the request is redirected to the override. */
  readonly forwardedHost?: string;
  /** Where it really connects (host:port), for messages when redirected. */
  readonly via?: string;
  /** The proxy it goes through (host:port), for messages. */
  readonly proxy?: string;
}

export function resolveTarget(rawUrl: string, endpoint: Endpoint): ResolvedTarget {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new M365Error('Configuration', `'${rawUrl.slice(0, 120)}' is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new M365Error('Configuration', `Only http and https URLs are supported, not '${url.protocol}'.`);
  }
  if (url.username || url.password) {
    throw new M365Error('Configuration', 'URLs must not carry a user name or password; the credentials are sent separately.');
  }
  const host = url.host;
  if (endpoint.origin !== undefined) {
    // Concatenate (not `new URL(path, origin)`): a path starting with '//' must not become a host.
    const target = `${endpoint.origin}${url.pathname}${url.search}`;
    return { url: target, host, forwardedHost: host, via: new URL(endpoint.origin).host };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new M365Error(
      'Configuration',
      `${host} must be reached over https; plain http is allowed only for a server on this machine (loopback).`,
      undefined,
      `Use https://${host}${url.pathname === '/' ? '' : url.pathname}.`,
    );
  }
  return { url: url.href, host };
}
