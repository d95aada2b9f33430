import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyExchange {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly requestHeaders: IncomingHttpHeaders;
  readonly requestBody: string;
  readonly status: number;
  readonly responseBody: string;
}

export interface RecordingProxy {
  readonly url: string;
  readonly exchanges: ProxyExchange[];
  close(): Promise<void>;
}

/**
 * A plain HTTP proxy in front of the sandbox that keeps every request and response whole, so a test
 * can learn each credential that crossed the wire (tokens Microsoft handed out, client assertions,
 * Basic headers) and then look for it everywhere it must not be. The panel reaches it through
 * BACKUP_PANEL_M365_ENDPOINT exactly as it would reach the sandbox.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const exchanges: ProxyExchange[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const headers = { ...req.headers, host: upstream.host };
      const forward = request(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            const body = Buffer.concat(parts);
            exchanges.push({
              method: req.method ?? '',
              path: req.url ?? '',
              host: String(req.headers['x-forwarded-host'] ?? ''),
              requestHeaders: req.headers,
              requestBody: requestBody.toString('utf8'),
              status: answer.statusCode ?? 0,
              responseBody: body.toString('utf8'),
            });
            const out = { ...answer.headers };
            delete out['transfer-encoding'];
            out['content-length'] = String(body.length);
            res.writeHead(answer.statusCode ?? 502, out);
            res.end(body);
          });
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(requestBody);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Every credential-like value in the recorded traffic (user codes excepted: the screen shows those by design). */
export function credentialsSeen(exchanges: readonly ProxyExchange[]): string[] {
  const found = new Set<string>();
  const add = (value: string | undefined | null) => {
    if (value && value.length >= 16) found.add(value);
  };
  for (const x of exchanges) {
    for (const key of ['access_token', 'refresh_token', 'id_token', 'device_code', 'client_info']) {
      const match = new RegExp(`"${key}"\\s*:\\s*"([^"]+)"`).exec(x.responseBody);
      add(match?.[1]);
    }
    const form = new URLSearchParams(x.requestBody);
    for (const key of ['client_assertion', 'client_secret', 'refresh_token', 'device_code', 'password']) add(form.get(key));
    const authorization = x.requestHeaders.authorization;
    if (typeof authorization === 'string') add(authorization.replace(/^(Bearer|Basic)\s+/i, ''));
  }
  return [...found];
}
