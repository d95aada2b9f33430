/**
 * The outbound proxy (contracts §6): HTTPS_PROXY / HTTP_PROXY / NO_PROXY, either case (lower case
 * wins, as curl and undici read them), applied to every request of the transport — msal-node's
 * sign-in requests included, since they go through the same transport (msal-node 5+ has no proxy
 * option of its own).
 *
 * Decided on the request's own URL (the host the panel means, before the endpoint override
 * redirects it), the way curl decides: an https URL uses HTTPS_PROXY, an http URL HTTP_PROXY
 * (curl does not fall back from https to HTTP_PROXY, nor does this), and NO_PROXY is matched
 * against the meant host. Requests go through the proxy with CONNECT (undici's ProxyAgent), so TLS
 * runs end to end and the proxy sees only the host name.
 *
 * NO_PROXY: comma- or space-separated entries; `*` bypasses the proxy for everything; `host` or
 * `.host` matches that host and every sub-domain; `host:port` only that port; an IP address matches
 * only itself (no CIDR ranges).
 */

export interface ProxySettings {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly noProxy: readonly string[];
}

function first(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** A proxy given without a scheme (proxy:3128) is an http proxy, as curl reads it. */
function normaliseProxy(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
}

export function proxySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const httpProxy = normaliseProxy(first(env, ['http_proxy', 'HTTP_PROXY']));
  const httpsProxy = normaliseProxy(first(env, ['https_proxy', 'HTTPS_PROXY']));
  const noProxy = (first(env, ['no_proxy', 'NO_PROXY']) ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  return { ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}), noProxy };
}

function bypassed(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((raw) => {
    if (raw === '*') return true;
    // [::1]:8080, host:8080, host; a bare IPv6 address (::1) has no port.
    const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw) ?? /^([^:]+):(\d+)$/.exec(raw);
    const entry = (match?.[1] ?? raw).replace(/^\*?\./, '');
    const entryPort = match?.[2];
    if (entryPort !== undefined && entryPort !== port) return false;
    return host === entry || host.endsWith(`.${entry}`);
  });
}

/** The proxy URL for a request to `url` (the host the panel means), or undefined for a direct connection. */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  const proxy = url.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy;
  if (!proxy || bypassed(url, settings.noProxy)) return undefined;
  return proxy;
}

/** "proxy.corp:3128", without any user name or password, for messages. */
export function proxyLabel(proxy: string): string {
  try {
    return new URL(proxy).host;
  } catch {
    return 'the proxy';
  }
}
