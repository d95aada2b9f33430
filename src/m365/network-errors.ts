import { M365Error, serverText } from './errors.js';

/** Transport failures (no HTTP answer at all) in words an admin can act on. */

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection reset (the server closed the connection)',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS did not answer)',
  EAI_NONAME: 'host not found',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  CERT_HAS_EXPIRED: "TLS error: the server's certificate has expired",
  CERT_NOT_YET_VALID: "TLS error: the server's certificate is not yet valid",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS error: the server's certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS error: the server's certificate chain ends in an untrusted self-signed certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS error: the server's certificate is issued by an unknown authority",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS error: the server's certificate is issued by an unknown authority",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS error: the server's certificate does not match the host name",
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS error: the server did not answer with TLS (is that an http port?)',
  EPROTO: 'TLS error: handshake failed',
};

const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

function errorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && e.code !== 'UND_ERR' && e.code !== 'ABORT_ERR') return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return errorCode(e.cause, depth + 1);
}

/** A transport failure in words: "connection refused", "host not found", a TLS problem… */
export function networkError(error: unknown, host: string, via?: string, proxy?: string): M365Error {
  const code = errorCode(error);
  const inner = (error as { cause?: { message?: unknown } } | undefined)?.cause?.message;
  const reason = (code && NETWORK_CAUSES[code]) ?? `network error (${serverText(code ?? inner ?? (error instanceof Error ? error.message : error), 120)})`;
  const route = [via ? `at ${via}` : '', proxy ? `through the proxy ${proxy}` : ''].filter(Boolean).join(' ');
  const where = route ? `${host} (${route})` : host;
  const hint =
    code && TLS_TRUST_CODES.has(code)
      ? 'Install the issuing CA on this machine (or point NODE_EXTRA_CA_CERTS at its PEM file) and try again.'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME'
        ? 'Check the host name and this machine’s DNS settings.'
        : proxy
          ? `Check that the proxy ${proxy} is running and lets this machine through (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).`
          : 'Check the address, that the server is running, and any firewall or proxy between.';
  return new M365Error('Network', `Could not reach ${where}: ${reason}.`, undefined, hint);
}

/** A reply body larger than the request's limit: the server (or something in between) misbehaves. */
export function tooLargeError(host: string, maxBytes: number): M365Error {
  return new M365Error(
    'ServerError',
    `${host} sent more than ${formatMegabytes(maxBytes)} in one reply; the panel stopped reading it.`,
    undefined,
    'A proxy or the server may be sending something else than Microsoft 365 would; check the network path, then try again.',
  );
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
