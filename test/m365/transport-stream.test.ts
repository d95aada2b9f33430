import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { M365Error } from '../../src/m365/errors.js';
import { parseEndpoint } from '../../src/m365/endpoint.js';
import { readText, Transport } from '../../src/m365/transport.js';
import type { TestServer } from '../auth/helpers.js';
import { json, startServer } from '../auth/helpers.js';

/** Reply caps (issue 11.2), the streaming form for content, idempotent-only retries, http only to loopback. */

let server: TestServer | undefined;
let raw: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  await raw?.close();
  server = raw = undefined;
});

function transport(endpoint: string | undefined, extra: Partial<ConstructorParameters<typeof Transport>[0]> = {}): Transport {
  return new Transport({ endpoint: parseEndpoint(endpoint), timeoutMs: 5000, retry: { maxAttempts: 3, maxDelayMs: 5000, baseDelayMs: 20 }, proxy: { noProxy: [] }, ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<M365Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(M365Error);
    return error as M365Error;
  }
  throw new Error('expected a rejection');
}

/** A server whose handler writes the response itself (no body pre-read, for streamed uploads). */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const s = createServer(handler);
  s.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        s.close(() => resolve());
      }),
  };
}

const MB = 1024 * 1024;

describe('reply cap of send() (issue 11.2)', () => {
  it('a reply larger than the default 4 MB ends with "sent more than 4 MB", even without a Content-Length', async () => {
    let written = 0;
    raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no Content-Length
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const pump = () => {
        while (written < 64 * MB) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (written = Infinity));
      pump();
    });
    const error = await rejection(transport(raw.url).send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' }));
    expect(error.category).toBe('ServerError');
    expect(error.message).toBe('graph.microsoft.com sent more than 4 MB in one reply; the panel stopped reading it.');
  });

  it('a declared Content-Length beyond the per-request cap is refused before reading; within it, fine', async () => {
    server = await startServer((_req, res) => json(res, 200, { value: 'x'.repeat(2 * MB) }));
    const t = transport(server.url);
    const error = await rejection(t.send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/users', maxBytes: MB }));
    expect(error.message).toBe('graph.microsoft.com sent more than 1 MB in one reply; the panel stopped reading it.');
    const ok = await t.send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' });
    expect(ok.text.length).toBeGreaterThan(2 * MB);
  });
});

describe('open(): content as a stream', () => {
  it('hands the first chunk over while the server is still sending (no whole-body buffering)', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'message/rfc822' });
      res.write(Buffer.alloc(64 * 1024, 0x41));
      // The rest only after the client has seen the first part: a buffering client would hang here.
      void released.then(() => res.end(Buffer.alloc(64 * 1024, 0x42)));
    });
    const stream = await transport(raw.url).open({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/users/u/messages/m/$value' });
    expect(stream.status).toBe(200);
    expect(stream.host).toBe('graph.microsoft.com');
    expect(stream.headers['content-type']).toBe('message/rfc822');
    let bytes = 0;
    for await (const chunk of stream.body) {
      if (bytes === 0) release();
      bytes += chunk.byteLength;
    }
    expect(bytes).toBe(128 * 1024);
  });

  it('reads a 40 MB download through, larger than any reply cap', async () => {
    raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let left = 40;
      const pump = () => {
        while (left > 0) {
          left--;
          if (!res.write(Buffer.alloc(MB, left))) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const stream = await transport(raw.url).open({ method: 'GET', url: 'https://contoso.sharepoint.com/_layouts/15/download.aspx?x=1' });
    let bytes = 0;
    for await (const chunk of stream.body) bytes += chunk.byteLength;
    expect(bytes).toBe(40 * MB);
  });

  it('a server that stops sending mid-body ends with a Timeout naming the pause', async () => {
    raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(1024));
      // …and nothing more
    });
    const stream = await transport(raw.url, { timeoutMs: 300 }).open({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/drives/d/items/i/content' });
    const error = await rejection(
      (async () => {
        for await (const chunk of stream.body) void chunk;
      })(),
    );
    expect(error.category).toBe('Timeout');
    expect(error.message).toBe('graph.microsoft.com stopped sending for 0.3 s.');
  });

  it('cancel() stops a transfer; a 302 comes back as it is, for the caller to follow', async () => {
    raw = await rawServer((req, res) => {
      if (req.url?.startsWith('/redirect')) {
        res.writeHead(302, { location: 'https://contoso.sharepoint.com/_layouts/15/download.aspx?tempauth=x' });
        res.end();
        return;
      }
      res.writeHead(200);
      res.write(Buffer.alloc(1024));
    });
    const t = transport(raw.url);
    const redirect = await t.open({ method: 'GET', url: 'https://graph.microsoft.com/redirect' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toContain('tempauth=x');
    expect(await readText(redirect)).toBe('');
    const stream = await t.open({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/x' });
    const iterator = stream.body[Symbol.asyncIterator]();
    await iterator.next();
    stream.cancel();
    const error = await rejection(iterator.next());
    expect(error.category).toBe('Cancelled');
  });

  it('uploads a body given as an async iterable, sent as it is produced (PUT)', async () => {
    let received = 0;
    let sawFirstBeforeLast = false;
    let produced = 0;
    raw = await rawServer((req, res) => {
      req.on('data', (c: Buffer) => {
        if (received === 0 && produced < 8) sawFirstBeforeLast = true;
        received += c.length;
      });
      req.on('end', () => json(res, 201, { received }));
    });
    async function* parts(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 8; i++) {
        produced = i + 1;
        yield Buffer.alloc(256 * 1024, i);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const response = await transport(raw.url).send({ method: 'PUT', url: 'https://graph.microsoft.com/v1.0/drives/d/items/p:/f.bin:/content', body: parts() });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.text)).toEqual({ received: 8 * 256 * 1024 });
    expect(sawFirstBeforeLast).toBe(true);
  });
});

describe('429/503 are retried only where a repeat does no harm', () => {
  it('GET and an idempotent-flagged POST are retried; a plain POST or PATCH gets the 503 back at once', async () => {
    let failuresLeft = 0;
    server = await startServer((_req, res) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        json(res, 503, { error: { code: 'ServiceUnavailable' } });
      } else json(res, 200, { ok: true });
    });
    const t = transport(server.url);
    const count = () => server?.requests.length ?? 0;

    failuresLeft = 1;
    expect((await t.send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' })).status).toBe(200);
    expect(count()).toBe(2);

    failuresLeft = 1;
    expect((await t.send({ method: 'POST', url: 'https://graph.microsoft.com/v1.0/applications', body: '{}' })).status).toBe(503);
    expect(count()).toBe(3);

    failuresLeft = 1;
    expect((await t.send({ method: 'PATCH', url: "https://graph.microsoft.com/v1.0/applications(uniqueName='x')", body: '{}' })).status).toBe(503);
    expect(count()).toBe(4);

    failuresLeft = 1;
    expect((await t.send({ method: 'PATCH', url: "https://graph.microsoft.com/v1.0/applications(uniqueName='x')", body: '{}', idempotent: true })).status).toBe(200);
    expect(count()).toBe(6);

    failuresLeft = 1;
    expect((await t.send({ method: 'DELETE', url: 'https://graph.microsoft.com/v1.0/applications/1' })).status).toBe(200);
    expect(count()).toBe(8);
  });
});

describe('plain http only to loopback, also for BACKUP_PANEL_M365_ENDPOINT (issue 11.12)', () => {
  it('refuses an http override that is not loopback before anything is sent; https and loopback are fine', () => {
    for (const bad of ['http://10.0.0.5:8080', 'http://sandbox.example.com', 'http://192.168.1.1']) {
      let error: unknown;
      try {
        parseEndpoint(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(M365Error);
      expect((error as M365Error).category).toBe('Configuration');
      expect((error as M365Error).message).toMatch(/plain http is allowed only to this machine/);
    }
    expect(parseEndpoint('https://sandbox.example.com:8443').origin).toBe('https://sandbox.example.com:8443');
    expect(parseEndpoint('http://localhost:8080').origin).toBe('http://localhost:8080');
    expect(parseEndpoint('http://[::1]:8080').origin).toBe('http://[::1]:8080');
    expect(parseEndpoint('http://127.0.0.2:8080').origin).toBe('http://127.0.0.2:8080');
  });
});
