import { M365Error } from './errors.js';
import type { Endpoint, ResolvedTarget } from './endpoint.js';
import { resolveTarget } from './endpoint.js';
import { networkError, tooLargeError } from './network-errors.js';
import { cancelledError, formatSeconds, retryAfterMs, sleep, throttled } from './transport-timing.js';
import type { ProxySettings } from './proxy.js';
import { proxyFor, proxyLabel, proxySettingsFromEnv } from './proxy.js';

/**
 * The one way out for every HTTP request of the panel (msal-node through auth/msal-network.ts,
 * Microsoft Graph, EWS, SharePoint, Autodiscover, on-premises servers, and content up- and
 * downloads of the backup engine).
 *
 * What it does for every request: the endpoint override (endpoint.ts; plain http only to
 * loopback), the outbound proxy (proxy.ts; HTTPS_PROXY / HTTP_PROXY / NO_PROXY), a timeout, the
 * caller's AbortSignal, redirects returned as they are (`redirect: 'manual'`: a 302 to a
 * pre-authenticated download URL is the caller's to follow, without its Authorization header),
 * and errors in words (M365Error: Network, Timeout, Throttled, Cancelled, ServerError).
 *
 * Two forms:
 *
 * - `send(request) → HttpResponse {status, headers, text, host}`: the whole reply as text, for JSON,
 *   SOAP and token replies. The reply is capped (`maxBytes`, default 4 MB): a larger one ends with
 *   ServerError "<host> sent more than 4 MB in one reply". The timeout covers the whole exchange.
 *
 * - `open(request) → HttpStream {status, headers, host, body, cancel()}`: for content (MIME,
 *   files). `body` is an `AsyncIterable<Uint8Array>` read as it arrives, never buffered whole; the
 *   timeout covers the wait for the headers and then each pause between two chunks (a large
 *   download may take as long as it needs while data flows). Iterating `body` to the end releases
 *   the connection; stopping early needs `cancel()`. A failure while reading throws an M365Error
 *   from the iteration. Every status comes back as a stream (read an error body with
 *   `readText(stream)`), except 429/503 after the retries.
 *
 * Request bodies: `string | Uint8Array | AsyncIterable<Uint8Array>` (a stream for uploads, sent as
 * it is produced). Methods: GET, HEAD, POST, PUT, PATCH, DELETE.
 *
 * Retries: 429 and 503 are retried with back-off, honouring Retry-After, only for requests that may
 * be repeated without harm: GET, HEAD, PUT, DELETE, or any request flagged `idempotent: true` (an
 * upsert, a token request). Never with a streamed body (it cannot be sent twice). Other requests
 * get the 429/503 back as a response. `retry: false` turns retries off.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RequestBody = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: RequestBody;
  readonly signal?: AbortSignal;
  /** false: never retry 429/503 (default: retry when the request is idempotent). */
  readonly retry?: boolean;
  /** A POST or PATCH that may be repeated without harm (an upsert, a token request). */
  readonly idempotent?: boolean;
  /** Overrides the transport's per-request timeout. */
  readonly timeoutMs?: number;
  /** send() only: the largest reply accepted (default 4 MB). */
  readonly maxBytes?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The host the request was meant for (not the override's). */
  readonly host: string;
}

export interface HttpStream {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The host the request was meant for (not the override's). */
  readonly host: string;
  /** The reply body as it arrives; throws an M365Error when the transfer fails. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops the transfer and releases the connection (iterating further ends with Cancelled). */
  cancel(): void;
}

export interface RetryOptions {
  /** Attempts in all, including the first (default 4). */
  readonly maxAttempts: number;
  /** Longest single wait; a longer Retry-After gives up at once (default 30 s). */
  readonly maxDelayMs: number;
  /** First back-off step without Retry-After (default 500 ms, doubled each attempt). */
  readonly baseDelayMs?: number;
}

/** What the transport needs of a fetch: undici's, or a stand-in in fault tests. */
export interface FetchInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: RequestBody;
  readonly signal: AbortSignal;
  readonly redirect: 'manual';
  readonly duplex?: 'half';
}
export interface FetchReply {
  readonly status: number;
  readonly headers: { forEach(callback: (value: string, key: string) => void): void };
  readonly body: AsyncIterable<Uint8Array> | null;
}
export type FetchFn = (url: string, init: FetchInit) => Promise<FetchReply>;

export interface TransportOptions {
  readonly endpoint: Endpoint;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  /** For fault tests; default undici's fetch with the proxy from the environment. */
  readonly fetch?: FetchFn;
  /** Default: read from the environment when the transport is made. */
  readonly proxy?: ProxySettings;
  /** For the HTTP-date form of Retry-After. */
  readonly now?: () => Date;
  /** Default largest reply of send() (default 4 MB). */
  readonly maxReplyBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, maxDelayMs: 30_000, baseDelayMs: 500 };
export const DEFAULT_MAX_REPLY_BYTES = 4 * 1024 * 1024;

export { cancelledError, formatSeconds, retryAfterMs, sleep } from './transport-timing.js';

const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);

function isStreamBody(body: RequestBody | undefined): body is AsyncIterable<Uint8Array> {
  return body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
}

function retriable(request: HttpRequest): boolean {
  if (request.retry === false || isStreamBody(request.body)) return false;
  return request.idempotent === true || IDEMPOTENT_METHODS.has(request.method);
}

function lowerCaseHeaders(reply: FetchReply): Record<string, string> {
  const headers: Record<string, string> = {};
  reply.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return headers;
}

/** Reads the rest of a stream as text (an error body, a small reply), at most `maxBytes`. */
export async function readText(stream: HttpStream, maxBytes = DEFAULT_MAX_REPLY_BYTES): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      stream.cancel();
      throw tooLargeError(stream.host, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One request in flight: its target, its signals and its timer. */
interface Exchange {
  readonly target: ResolvedTarget;
  readonly reply: FetchReply;
  readonly abort: AbortController;
  readonly timeoutMs: number;
  readonly timedOut: () => boolean;
  /** Restarts the timeout (streams: per pause between chunks). */
  readonly rearm: () => void;
  readonly done: () => void;
}

export class Transport {
  readonly #options: TransportOptions;
  readonly #proxy: ProxySettings;
  #undici: Promise<(url: string, init: FetchInit, proxy: string | undefined) => Promise<FetchReply>> | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#proxy = options.proxy ?? proxySettingsFromEnv();
  }

  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /** Sends a request and reads the whole (capped) reply; 4xx/5xx come back as responses. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const maxBytes = request.maxBytes ?? this.#options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    return this.#withRetries(request, async () => {
      const exchange = await this.#start(request);
      try {
        const declared = Number(lowerCaseHeaders(exchange.reply)['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) throw tooLargeError(exchange.target.host, maxBytes);
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of exchange.reply.body ?? []) {
          size += chunk.byteLength;
          if (size > maxBytes) throw tooLargeError(exchange.target.host, maxBytes);
          chunks.push(chunk);
        }
        const response: HttpResponse = {
          status: exchange.reply.status,
          headers: lowerCaseHeaders(exchange.reply),
          text: Buffer.concat(chunks).toString('utf8'),
          host: exchange.target.host,
        };
        return { response, discard: () => undefined };
      } catch (error) {
        exchange.abort.abort();
        throw this.#failure(error, request, exchange.target, exchange);
      } finally {
        exchange.done();
      }
    });
  }

  /** Sends a request and hands the reply over as a stream (content downloads); see the header. */
  async open(request: HttpRequest): Promise<HttpStream> {
    return this.#withRetries(request, async () => {
      const exchange = await this.#start(request);
      const stream = this.#stream(request, exchange);
      return { response: stream, discard: () => stream.cancel() };
    });
  }

  async #withRetries<T extends { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly host: string }>(
    request: HttpRequest,
    attempt: () => Promise<{ response: T; discard: () => void }>,
  ): Promise<T> {
    const retry = this.#options.retry;
    const mayRetry = retriable(request);
    const maxAttempts = mayRetry ? Math.max(1, retry.maxAttempts) : 1;
    const now = this.#options.now ?? (() => new Date());
    for (let n = 1; ; n++) {
      const { response, discard } = await attempt();
      if ((response.status !== 429 && response.status !== 503) || !mayRetry) return response;
      discard();
      const after = retryAfterMs(response.headers['retry-after'], now());
      if (n >= maxAttempts || (after !== undefined && after > retry.maxDelayMs)) throw throttled(response, n, after);
      const base = retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs ?? 500;
      const backoff = Math.min(retry.maxDelayMs, base * 2 ** (n - 1));
      // Honour Retry-After exactly (plus a little jitter, never less); otherwise "equal jitter".
      const wait = after !== undefined ? after + Math.floor(Math.random() * Math.min(250, after / 10 + 1)) : backoff / 2 + Math.random() * (backoff / 2);
      await sleep(Math.min(wait, retry.maxDelayMs), request.signal);
    }
  }

  async #client(): Promise<(url: string, init: FetchInit, proxy: string | undefined) => Promise<FetchReply>> {
    const injected = this.#options.fetch;
    if (injected) return (url, init) => injected(url, init);
    // undici's own fetch with its own agents (never one package's dispatcher handed to another's
    // fetch: backup-data.md §10), loaded on the first request so start-up does not pay for it.
    this.#undici ??= import('undici').then((module) => {
      // undici is CommonJS: bundled, its exports are the namespace's default.
      const undici = (module as unknown as { default?: typeof module }).default ?? module;
      const direct = new undici.Agent();
      const proxies = new Map<string, InstanceType<typeof undici.ProxyAgent>>();
      return (url: string, init: FetchInit, proxy: string | undefined) => {
        let dispatcher: InstanceType<typeof undici.Agent> | InstanceType<typeof undici.ProxyAgent> = direct;
        if (proxy) {
          let agent = proxies.get(proxy);
          if (!agent) proxies.set(proxy, (agent = new undici.ProxyAgent(proxy)));
          dispatcher = agent;
        }
        // undici's RequestInit types the body as its BodyInit; ours is a subset of it.
        return undici.fetch(url, { ...init, dispatcher } as Parameters<typeof undici.fetch>[1]) as Promise<FetchReply>;
      };
    });
    return this.#undici;
  }

  async #start(request: HttpRequest): Promise<Exchange> {
    const target = resolveTarget(request.url, this.#options.endpoint);
    const callerSignal = request.signal;
    if (callerSignal?.aborted) throw cancelledError();
    const proxy = proxyFor(new URL(request.url), this.#proxy);
    const client = await this.#client();
    const timeoutMs = request.timeoutMs ?? this.#options.timeoutMs;
    const abort = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, timeoutMs);
    };
    const onCallerAbort = () => abort.abort();
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    };
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    if (target.forwardedHost) headers['X-Forwarded-Host'] = target.forwardedHost;
    const routed: ResolvedTarget = proxy ? { ...target, proxy: proxyLabel(proxy) } : target;
    rearm();
    try {
      const reply = await client(
        target.url,
        {
          method: request.method,
          headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
          ...(isStreamBody(request.body) ? { duplex: 'half' as const } : {}),
          signal: abort.signal,
          redirect: 'manual',
        },
        proxy,
      );
      return { target: routed, reply, abort, timeoutMs, timedOut: () => timedOut, rearm, done };
    } catch (error) {
      done();
      throw this.#failure(error, request, routed, { timeoutMs, timedOut: () => timedOut });
    }
  }

  #stream(request: HttpRequest, exchange: Exchange): HttpStream {
    const { target, reply, abort } = exchange;
    let cancelled = false;
    // The headers arrived: from now on the timeout is per pause between chunks.
    exchange.rearm();
    const failure = (error: unknown) => this.#failure(error, request, target, exchange, true);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of reply.body ?? []) {
          exchange.rearm();
          yield chunk;
        }
      } catch (error) {
        if (cancelled) throw cancelledError();
        throw failure(error);
      } finally {
        exchange.done();
      }
    }
    const body = chunks();
    if (!reply.body) exchange.done();
    return {
      status: reply.status,
      headers: lowerCaseHeaders(reply),
      host: target.host,
      body,
      cancel: () => {
        cancelled = true;
        abort.abort();
        exchange.done();
      },
    };
  }

  #failure(
    error: unknown,
    request: HttpRequest,
    target: ResolvedTarget,
    exchange: { readonly timeoutMs: number; readonly timedOut: () => boolean },
    midStream = false,
  ): M365Error {
    if (error instanceof M365Error) return error;
    if (request.signal?.aborted) return cancelledError();
    if (exchange.timedOut()) {
      const what = midStream ? `stopped sending for ${formatSeconds(exchange.timeoutMs)}` : `did not answer within ${formatSeconds(exchange.timeoutMs)}`;
      return new M365Error(
        'Timeout',
        `${target.host} ${what}.`,
        undefined,
        'Check the network path to the server (proxy, firewall) and try again; the server may be overloaded.',
      );
    }
    return networkError(error, target.host, target.via, target.proxy);
  }
}
