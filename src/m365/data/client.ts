import { graphErrorInfo, describeGraphError, M365Error } from '../errors.js';
import { cancelledError, formatSeconds, retryAfterMs, sleep } from '../transport.js';
import { classifyFailure, DataCallError } from './classify.js';
import type { DataMethod, Http, OpenRequest, OpenResponse } from './http.js';
import { discard, readCapped } from './http.js';
import { KeyedLimiter } from './limiter.js';

/**
 * One client for every data request of a cycle: the access token, the per-mailbox concurrency
 * limit, Retry-After honoured on 429/503, back-off on resets and 5xx for requests that may be
 * repeated, capped JSON replies, and errors as DataCallError (classified in classify.ts).
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The longest wait honoured; a longer Retry-After ends the request as throttled. */
  readonly maxWaitMs: number;
  /** First back-off step when the server says nothing (doubled per attempt). */
  readonly baseDelayMs: number;
}

export const DEFAULT_DATA_RETRY: RetryPolicy = { maxAttempts: 6, maxWaitMs: 120_000, baseDelayMs: 1_000 };
export const MAX_JSON_BYTES = 32 * 1_048_576;
/** Traffic decoration Microsoft asks of ISVs (backup-data.md §4.1). */
export const USER_AGENT = 'NONISV|backup-panel|backup-panel/0.1';

export interface DataRequest {
  readonly method?: DataMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: OpenRequest['body'];
  /** The concurrency key (the mailbox or drive); absent = none. */
  readonly key?: string;
  /** Send the bearer token (not for pre-authenticated URLs). Default true. */
  readonly auth?: boolean;
  /** Safe to send twice (GET, PUT of a chunk): retried after resets and 5xx. Default: GET only. */
  readonly idempotent?: boolean;
  /** Answers the caller reads itself (e.g. 302, 410) instead of an error. */
  readonly accept?: readonly number[];
}

export interface DataClientOptions {
  readonly http: Http;
  /** The Authorization header value for a request (Bearer … or Basic …). */
  readonly authorization?: () => Promise<string>;
  readonly perKeyConcurrency?: number;
  readonly retry?: RetryPolicy;
  readonly signal?: AbortSignal;
  /** Told of every wait on throttling (for the cycle's progress). */
  readonly onThrottled?: (waitMs: number) => void;
  /** Counts requests (bench, tests). */
  readonly onRequest?: () => void;
}

export class DataClient {
  readonly #options: DataClientOptions;
  readonly #limiter: KeyedLimiter;
  readonly #retry: RetryPolicy;

  constructor(options: DataClientOptions) {
    this.#options = options;
    this.#limiter = new KeyedLimiter(options.perKeyConcurrency ?? 4);
    this.#retry = options.retry ?? DEFAULT_DATA_RETRY;
  }

  get signal(): AbortSignal | undefined {
    return this.#options.signal;
  }

  /** Opens a request; the reply's body must be read or cancelled (its slot is held till then). */
  async open(request: DataRequest): Promise<OpenResponse> {
    const method = request.method ?? 'GET';
    const idempotent = request.idempotent ?? method === 'GET';
    const signal = this.#options.signal;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelledError();
      const release = request.key === undefined ? () => undefined : await this.#limiter.acquire(request.key);
      let response: OpenResponse;
      try {
        const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...(request.headers ?? {}) };
        if (request.auth !== false && this.#options.authorization) headers.Authorization = await this.#options.authorization();
        this.#options.onRequest?.();
        response = await this.#options.http.open({ method, url: request.url, headers, retry: false, ...(request.body !== undefined ? { body: request.body } : {}), ...(signal ? { signal } : {}) });
      } catch (error) {
        release();
        const kind = classifyFailure(error);
        if (kind === 'transient' && idempotent && attempt < this.#retry.maxAttempts) {
          await sleep(this.#backoff(attempt), signal);
          continue;
        }
        throw error;
      }
      const status = response.status;
      const throttled = status === 429 || status === 503;
      const retryable = throttled || (idempotent && (status === 500 || status === 502 || status === 504));
      if (retryable && !(request.accept ?? []).includes(status)) {
        const after = retryAfterMs(response.headers['retry-after'], new Date());
        await discard(response);
        release();
        const wait = after ?? this.#backoff(attempt);
        if (attempt >= this.#retry.maxAttempts || wait > this.#retry.maxWaitMs) {
          const tried = attempt > 1 ? ` after ${attempt} attempts` : '';
          if (throttled) {
            throw new M365Error('Throttled', `${response.host} throttled the requests (HTTP ${status}); gave up${tried}. Try again in ${formatSeconds(Math.max(1000, Math.ceil(wait / 1000) * 1000))}.`);
          }
          throw new DataCallError(status, undefined, `${response.host} answered HTTP ${status}${tried}.`, response.host);
        }
        if (throttled) this.#options.onThrottled?.(wait);
        await sleep(wait, signal);
        continue;
      }
      return releasing(response, release);
    }
  }

  #backoff(attempt: number): number {
    const step = Math.min(this.#retry.maxWaitMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    return step / 2 + Math.random() * (step / 2);
  }

  /** A JSON request; a non-2xx answer (outside `accept`) throws DataCallError. */
  async json<T>(request: DataRequest & { readonly json?: unknown }): Promise<{ status: number; body: T; headers: Readonly<Record<string, string>> }> {
    const response = await this.open({
      ...request,
      headers: { Accept: 'application/json', ...(request.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(request.headers ?? {}) },
      ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
    });
    const text = (await readCapped(response, MAX_JSON_BYTES)).toString('utf8');
    if ((response.status < 200 || response.status >= 300) && !(request.accept ?? []).includes(response.status)) {
      throw graphFailure(response.status, text, response.host);
    }
    if (text.trim() === '') return { status: response.status, body: undefined as T, headers: response.headers };
    try {
      return { status: response.status, body: JSON.parse(text) as T, headers: response.headers };
    } catch {
      throw new DataCallError(response.status, 'InvalidJson', `${response.host} sent a reply that is not valid JSON.`, response.host);
    }
  }
}

export function graphFailure(status: number, text: string, host: string): DataCallError {
  const info = graphErrorInfo(status, text);
  return new DataCallError(status, info.code, `${host}: ${describeGraphError(info)}`, host);
}

/** The same reply, releasing its concurrency slot once the body is read or cancelled. */
function releasing(response: OpenResponse, release: () => void): OpenResponse {
  const body = response.body;
  return {
    ...response,
    body: (async function* () {
      try {
        yield* body;
      } finally {
        release();
      }
    })(),
    cancel() {
      response.cancel();
      release();
    },
  };
}
