import { M365Error, serverText } from './errors.js';
import type { Endpoint } from './endpoint.js';
import { resolveTarget } from './endpoint.js';

/**
 * The one way out for every HTTP request of the panel (msal-node through msal-network.ts, Microsoft
 * Graph, EWS, SharePoint, Autodiscover and on-premises servers): global fetch, the endpoint
 * override, a per-request timeout, the caller's AbortSignal, and retries with back-off on 429/503.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** Retry 429/503 with back-off (default true). */
  readonly retry?: boolean;
  /** Overrides the transport's per-request timeout. */
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The host the request was meant for (not the override's). */
  readonly host: string;
}

export interface RetryOptions {
  /** Attempts in all, including the first (default 4). */
  readonly maxAttempts: number;
  /** Longest single wait; a longer Retry-After gives up at once (default 30 s). */
  readonly maxDelayMs: number;
  /** First back-off step without Retry-After (default 500 ms, doubled each attempt). */
  readonly baseDelayMs?: number;
}

export interface TransportOptions {
  readonly endpoint: Endpoint;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly fetch?: typeof fetch;
  /** For the HTTP-date form of Retry-After. */
  readonly now?: () => Date;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, maxDelayMs: 30_000, baseDelayMs: 500 };

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

export function cancelledError(): M365Error {
  return new M365Error('Cancelled', 'Cancelled.');
}

/** Waits, or rejects with Cancelled as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After in milliseconds: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

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
export function networkError(error: unknown, host: string, via?: string): M365Error {
  const code = errorCode(error);
  const inner = (error as { cause?: { message?: unknown } } | undefined)?.cause?.message;
  const reason = (code && NETWORK_CAUSES[code]) ?? `network error (${serverText(code ?? inner ?? (error instanceof Error ? error.message : error), 120)})`;
  const where = via ? `${host} (at ${via})` : host;
  const hint =
    code && TLS_TRUST_CODES.has(code)
      ? 'Install the issuing CA on this machine (or point NODE_EXTRA_CA_CERTS at its PEM file) and try again.'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME'
        ? 'Check the host name and this machine’s DNS settings.'
        : 'Check the address, that the server is running, and any firewall or proxy between.';
  return new M365Error('Network', `Could not reach ${where}: ${reason}.`, undefined, hint);
}

export class Transport {
  readonly #options: TransportOptions;
  readonly #fetch: typeof fetch;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /** Sends a request; 4xx/5xx come back as responses (429/503 after the retries throw Throttled). */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const retry = this.#options.retry;
    const maxAttempts = request.retry === false ? 1 : Math.max(1, retry.maxAttempts);
    const now = this.#options.now ?? (() => new Date());
    for (let attempt = 1; ; attempt++) {
      const response = await this.#once(request);
      if (response.status !== 429 && response.status !== 503) return response;
      if (request.retry === false) return response;
      const after = retryAfterMs(response.headers['retry-after'], now());
      if (attempt >= maxAttempts || (after !== undefined && after > retry.maxDelayMs)) {
        throw throttled(response, attempt, after);
      }
      const base = retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs ?? 500;
      const backoff = Math.min(retry.maxDelayMs, base * 2 ** (attempt - 1));
      // Honour Retry-After exactly (plus a little jitter, never less); otherwise "equal jitter".
      const wait = after !== undefined ? after + Math.floor(Math.random() * Math.min(250, after / 10 + 1)) : backoff / 2 + Math.random() * (backoff / 2);
      await sleep(Math.min(wait, retry.maxDelayMs), request.signal);
    }
  }

  async #once(request: HttpRequest): Promise<HttpResponse> {
    const target = resolveTarget(request.url, this.#options.endpoint);
    const callerSignal = request.signal;
    if (callerSignal?.aborted) throw cancelledError();
    const timeoutMs = request.timeoutMs ?? this.#options.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    if (target.forwardedHost) headers['X-Forwarded-Host'] = target.forwardedHost;
    try {
      const response = await this.#fetch(target.url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal,
        redirect: 'manual',
      });
      const text = await response.text();
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        responseHeaders[key.toLowerCase()] = value;
      });
      return { status: response.status, headers: responseHeaders, text, host: target.host };
    } catch (error) {
      if (callerSignal?.aborted) throw cancelledError();
      if (timeout.signal.aborted) {
        throw new M365Error(
          'Timeout',
          `${target.host} did not answer within ${formatSeconds(timeoutMs)}.`,
          undefined,
          'Check the network path to the server (proxy, firewall) and try again; the server may be overloaded.',
        );
      }
      throw networkError(error, target.host, target.via);
    } finally {
      clearTimeout(timer);
    }
  }
}

function throttled(response: HttpResponse, attempts: number, after: number | undefined): M365Error {
  const tried = attempts > 1 ? ` after ${attempts} attempts` : '';
  // The advice is the message's last sentence and deliberately not also a hint: every reader of
  // an M365Error shows `message + hint`, which printed "Try again …" twice.
  const again = after !== undefined ? ` Try again in ${formatSeconds(Math.ceil(after / 1000) * 1000)}.` : ' Try again in a few minutes.';
  if (response.status === 429 || after !== undefined) {
    return new M365Error('Throttled', `${response.host} throttled the requests (HTTP ${response.status}); gave up${tried}.${again}`);
  }
  return new M365Error('Throttled', `${response.host} is unavailable (HTTP 503); gave up${tried}.${again}`);
}
