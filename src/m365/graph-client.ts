import type { GraphErrorInfo } from './errors.js';
import { describeGraphError, graphErrorInfo } from './errors.js';
import type { HttpMethod, HttpResponse, Transport } from './transport.js';

/** A minimal Microsoft Graph client on the transport: JSON in, JSON out, errors with status and code. */

export const GRAPH_BASE = 'https://graph.microsoft.com/v1.0';

/** A non-2xx answer from Graph (or SharePoint REST), with the status and the error code. */
export class GraphCallError extends Error {
  override readonly name = 'GraphCallError';
  constructor(
    readonly info: GraphErrorInfo,
    readonly host: string,
    readonly headers: Readonly<Record<string, string>>,
  ) {
    super(describeGraphError(info));
  }
  get status(): number {
    return this.info.status;
  }
  get code(): string | undefined {
    return this.info.code;
  }
}

export interface GraphRequestOptions {
  /** Extra headers, e.g. `Prefer: create-if-missing`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A POST/PATCH that may be repeated without harm (an upsert): retried on 429/503. */
  readonly idempotent?: boolean;
}

export class GraphClient {
  constructor(
    private readonly transport: Transport,
    private readonly accessToken: string,
    private readonly signal?: AbortSignal,
    private readonly base = GRAPH_BASE,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  async request<T>(method: HttpMethod, path: string, body?: unknown, options?: GraphRequestOptions): Promise<T> {
    const response = await this.raw(method, path, body, options);
    if (response.status < 200 || response.status >= 300) {
      throw new GraphCallError(graphErrorInfo(response.status, response.text), response.host, response.headers);
    }
    if (response.text.trim() === '') return undefined as T;
    try {
      return JSON.parse(response.text) as T;
    } catch {
      throw new GraphCallError({ status: response.status, code: 'InvalidJson', message: 'the response is not valid JSON' }, response.host, response.headers);
    }
  }

  raw(method: HttpMethod, path: string, body?: unknown, options: GraphRequestOptions = {}): Promise<HttpResponse> {
    const url = /^https?:\/\//.test(path) ? path : `${this.base}${path}`;
    return this.transport.send({
      method,
      url,
      headers: {
        Authorization: `Bearer ${this.accessToken}`,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options.headers ?? {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(options.idempotent ? { idempotent: true } : {}),
      ...(this.signal ? { signal: this.signal } : {}),
    });
  }
}
