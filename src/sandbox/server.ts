/**
 * The HTTP side: reads each request, records it, applies injected faults, and routes on the original
 * host (X-Forwarded-Host, set by the panel's transport) and the path. Requests without that header are
 * the sandbox's own control API and /devicelogin page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { classify } from './data/classify.js';
import { ewsHandler } from './ews.js';
import type { FaultTable } from './faults.js';
import { graphHandler } from './graph/index.js';
import { createContext, jsonReply, type Reply, type RequestContext } from './http.js';
import { attachmentSessionHandler, isAttachmentSessionPath } from './mail/upload-route.js';
import { driveTransferHandler, isDriveTransferPath } from './drives/transfer.js';
import { identityHandler, LOGIN_HOSTS } from './identity/index.js';
import { ONPREM_HOSTS, onPremisesHandler } from './onpremises.js';
import { sharePointHandler } from './sharepoint.js';
import type { SandboxRequestRecord } from './types.js';
import { CLOUD_HOSTS, CLOUD_NAMES, cloudOfHost } from './well-known.js';
import type { Admission } from './data/traffic.js';
import type { World } from './world.js';

/** <tenant>.sharepoint.com, .sharepoint.us, … (every national cloud). */
const SHAREPOINT_SUFFIXES = CLOUD_NAMES.map((c) => CLOUD_HOSTS[c].sharePointSuffix);

const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Graph's simple upload (PUT …/content) takes up to 250 MB; upload-session chunks stay below 60 MiB. */
const UPLOAD_BODY_BYTES = 250 * 1024 * 1024;

/** EWS requests carry base64 MIME (CreateItem); IIS on Exchange allows far more than Graph. */
const EWS_BODY_BYTES = 64 * 1024 * 1024;

function bodyLimit(method: string, path: string): number {
  if (/\/ews\/exchange\.asmx$/i.test(path)) return EWS_BODY_BYTES;
  if (method === 'PUT' && (/\/content$/i.test(path) || /\/uploadsession$/i.test(path) || /\/attachmentsessions\(/i.test(path))) return UPLOAD_BODY_BYTES;
  return MAX_BODY_BYTES;
}

type MutableRecord = { -readonly [K in keyof SandboxRequestRecord]: SandboxRequestRecord[K] };

export interface ServerParts {
  readonly world: World;
  readonly faults: FaultTable;
  readonly requests: MutableRecord[];
  /** Handles requests without X-Forwarded-Host. */
  readonly control: (ctx: RequestContext) => Reply | Promise<Reply>;
  /** Throttling storms, the per-mailbox concurrency limit and holds (data/traffic.ts). */
  readonly admit?: (ctx: RequestContext, target: ReturnType<typeof classify>) => Admission;
}

export interface SandboxServer {
  readonly server: Server;
  /** Stops timers of delayed replies; hung responses die with their sockets. */
  shutdown(): void;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

const WRITE_SIZE = 64 * 1024;

async function* coalesce(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    if (chunk.length >= WRITE_SIZE && size === 0) {
      yield chunk;
      continue;
    }
    pending.push(chunk);
    size += chunk.length;
    if (size >= WRITE_SIZE) {
      yield Buffer.concat(pending, size);
      pending = [];
      size = 0;
    }
  }
  if (size) yield Buffer.concat(pending, size);
}

/** A connection reset mid-body: the real headers and the first `limit` bytes, then the socket dies. */
async function sendCut(res: ServerResponse, reply: Reply, limit: number): Promise<void> {
  const body = reply.stream ?? { length: Buffer.byteLength(reply.body ?? ''), chunks: async function* () { yield Buffer.from(reply.body ?? ''); } };
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, typeof value === 'string' ? value : [...value]);
  res.setHeader('content-length', String(body.length));
  res.writeHead(reply.status);
  let sent = 0;
  for await (const chunk of body.chunks()) {
    if (sent >= limit) break;
    const piece = chunk.subarray(0, limit - sent);
    sent += piece.length;
    await new Promise<void>((resolve) => res.write(piece, () => resolve()));
  }
  res.socket?.destroy();
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, typeof value === 'string' ? value : [...value]);
  if (reply.stream) {
    // Produced while sent, with backpressure: a large MIME or file is never held whole. Small pieces
    // (headers, boundaries, text parts) are gathered into 64 KiB writes.
    res.setHeader('content-length', String(reply.stream.length));
    res.writeHead(reply.status);
    const body = Readable.from(coalesce(reply.stream.chunks()));
    body.on('error', () => res.destroy());
    body.pipe(res);
    return;
  }
  const body = reply.body === undefined ? undefined : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body);
  res.setHeader('content-length', String(body?.length ?? 0));
  res.writeHead(reply.status);
  res.end(body);
}

export function route(ctx: RequestContext, world: World): Reply {
  const host = ctx.host;
  if (LOGIN_HOSTS.includes(host)) return identityHandler(ctx, world);
  if (cloudOfHost(host, 'graph')) return graphHandler(ctx, world);
  if (isAttachmentSessionPath(host, ctx.path)) return attachmentSessionHandler(ctx, world);
  if (cloudOfHost(host, 'exchange') || host === 'outlook.office.com') return ewsHandler(ctx, world);
  if (SHAREPOINT_SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`))) {
    const tenant = world.directory.tenantOfSharePointHost(host);
    if (tenant && isDriveTransferPath(ctx.path)) return driveTransferHandler(ctx, world);
    if (tenant) return sharePointHandler(ctx, world, tenant);
    return jsonReply(404, { error: 'sandbox_unknown_sharepoint_tenant', message: `No sandbox tenant owns ${host}.` });
  }
  if (ONPREM_HOSTS.includes(host)) return onPremisesHandler(ctx, world);
  return jsonReply(421, {
    error: 'sandbox_unknown_host',
    message: `The sandbox tenant does not serve '${host}'. It serves ${[...LOGIN_HOSTS, 'graph.microsoft.com', 'outlook.office365.com', '<tenant>.sharepoint.com', ...ONPREM_HOSTS].join(', ')}.`,
  });
}

export function createSandboxServer(parts: ServerParts): SandboxServer {
  const { world, faults, requests } = parts;
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req, bodyLimit(method, url.pathname));
    const forwarded = req.headers['x-forwarded-host'];
    const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.trim().toLowerCase().replace(/:\d+$/, '');
    const ctx = createContext(method, host ?? '', url, req.headers, body ?? Buffer.alloc(0), world.now());

    if (!host) {
      if (body === undefined) return send(res, jsonReply(413, { error: 'request body too large' }));
      return send(res, await parts.control(ctx));
    }

    const target = classify(ctx);
    const record: MutableRecord = { method, host, path: ctx.path, status: 0, kind: target.kind };
    if (ctx.path.toLowerCase().endsWith('/token')) {
      const grantType = ctx.form().get('grant_type');
      if (grantType) record.grantType = grantType;
    }
    requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    if (body === undefined) return send(res, jsonReply(413, { error: 'request body too large' }));

    const fault = faults.take(host, ctx.path, method);
    if (fault === 'hang') return; // the socket stays open until the client gives up or the sandbox closes
    if (fault === 'reset') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '4096' });
      res.write('{"token_type":"Bearer","access_tok');
      setImmediate(() => res.socket?.destroy());
      return;
    }
    if (fault && 'status' in fault) {
      return send(res, { status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? '' });
    }
    if (fault && 'delayMs' in fault) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, fault.delayMs);
        timers.add(timer);
      });
    }
    const admission = parts.admit?.(ctx, target);
    if (admission) {
      // 'finish' comes first on a kept-alive socket: Node parses the next request only after it, so a
      // client reusing the connection is never counted twice.
      res.once('finish', () => admission.release());
      res.once('close', () => admission.release());
      if (admission.reply) return send(res, admission.reply);
      if (admission.wait) await admission.wait;
    }
    const reply = route(createContext(method, host, url, req.headers, body, world.now()), world);
    if (fault && 'resetAfterBytes' in fault) return sendCut(res, reply, fault.resetAfterBytes);
    send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      send(res, jsonReply(500, { error: 'sandbox_internal_error', message }));
    });
  });
  // close() ends idle keep-alive sockets itself (closeAllConnections). undici keeps a socket for the
  // server's keep-alive timeout minus its 2 s margin, so 1 s meant a new connection for every request
  // (measured: 150 requests, 151 connections). 3 s gives clients 1 s of reuse, enough for a backup's
  // back-to-back requests, while an idle CLI process still lets go of its sockets within a second.
  server.keepAliveTimeout = 3000;

  return {
    server,
    shutdown() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
