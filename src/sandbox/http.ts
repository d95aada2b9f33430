/** The request and reply shapes every handler works with, and small helpers to build replies. */
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ByteSource } from './data/bytes.js';

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Buffer;
  /** A body produced while it is sent (MIME, file content): never held whole. Wins over `body`. */
  readonly stream?: ByteSource;
}

export interface RequestContext {
  readonly method: string;
  /** The original host (X-Forwarded-Host), lower case, without port. */
  readonly host: string;
  readonly url: URL;
  /** Percent-decoded pathname. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly now: Date;
  header(name: string): string | undefined;
  form(): URLSearchParams;
  /** Parsed JSON body; undefined when absent or invalid. */
  json(): unknown;
}

export function createContext(
  method: string,
  host: string,
  url: URL,
  headers: IncomingHttpHeaders,
  body: Buffer,
  now: Date,
): RequestContext {
  let form: URLSearchParams | undefined;
  let parsed: { value: unknown } | undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  return {
    method,
    host,
    url,
    path,
    headers,
    body,
    now,
    header(name) {
      const v = headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    form() {
      form ??= new URLSearchParams(body.toString('utf8'));
      return form;
    },
    json() {
      if (!parsed) {
        try {
          parsed = { value: body.length ? (JSON.parse(body.toString('utf8')) as unknown) : undefined };
        } catch {
          parsed = { value: undefined };
        }
      }
      return parsed.value;
    },
  };
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string | readonly string[]> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function xmlReply(status: number, body: string, headers: Record<string, string | readonly string[]> = {}): Reply {
  return { status, headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body };
}

export function htmlReply(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

export function streamReply(status: number, stream: ByteSource, headers: Record<string, string | readonly string[]> = {}): Reply {
  return { status, headers, stream };
}

export function emptyReply(status: number, headers: Record<string, string | readonly string[]> = {}): Reply {
  return { status, headers };
}

/** Entra's timestamp format inside error descriptions: "2026-11-24 14:53:13Z". */
export function entraTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** The id a client sent to correlate its request (MSAL and Graph SDKs send client-request-id). */
export function clientRequestId(ctx: RequestContext): string {
  return ctx.header('client-request-id') ?? ctx.url.searchParams.get('client-request-id') ?? randomUUID();
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** Parses `Authorization: Basic …`; undefined when absent or malformed. */
export function basicCredentials(ctx: RequestContext): { user: string; password: string } | undefined {
  const auth = ctx.header('authorization');
  const m = auth?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function bearerToken(ctx: RequestContext): string | undefined {
  const auth = ctx.header('authorization');
  const m = auth?.match(/^Bearer\s+(\S*)\s*$/i);
  return m ? (m[1] ?? '') : undefined;
}

export function authScheme(ctx: RequestContext): 'bearer' | 'basic' | 'other' | 'none' {
  const auth = ctx.header('authorization')?.trim();
  if (!auth) return 'none';
  if (/^bearer(\s|$)/i.test(auth)) return 'bearer';
  if (/^basic(\s|$)/i.test(auth)) return 'basic';
  return 'other';
}
