import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface TunnelledRequest {
  /** The CONNECT target (host:port) the request went through. */
  readonly tunnel: string;
  readonly method: string;
  readonly path: string;
  /** The X-Forwarded-Host of the request inside the tunnel (the host the panel meant). */
  readonly forwardedHost: string | undefined;
}

export interface ConnectProxy {
  readonly url: string;
  /** Every CONNECT the proxy accepted. */
  readonly tunnels: string[];
  /** Requests seen inside the tunnels (readable because the sandbox speaks plain http on loopback). */
  readonly requests: TunnelledRequest[];
  close(): Promise<void>;
}

/**
 * A real forward proxy for tests: it answers CONNECT, opens the tunnel to the target and pipes
 * bytes both ways, as squid or a corporate proxy does. Because the sandbox behind it speaks plain
 * http on loopback, the proxy can also read the request lines passing through the tunnel, so a test
 * can match them against what the sandbox received. Anything but CONNECT gets 405.
 */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const requests: TunnelledRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this test proxy only tunnels (CONNECT)');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const [host, port] = [target.slice(0, target.lastIndexOf(':')).replace(/^\[|\]$/g, ''), Number(target.slice(target.lastIndexOf(':') + 1))];
    tunnels.push(target);
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      let pending = '';
      client.on('data', (chunk: Buffer) => {
        // Request heads only (bodies may follow); good enough to count requests and read one header.
        pending = (pending + chunk.toString('latin1')).slice(-65_536);
        let match: RegExpExecArray | null;
        const heads = /(GET|POST|PUT|PATCH|DELETE|HEAD) (\S+) HTTP\/1\.1\r\n([\s\S]*?)\r\n\r\n/g;
        let consumed = 0;
        while ((match = heads.exec(pending)) !== null) {
          const forwarded = /^x-forwarded-host:\s*(.+)$/im.exec(match[3] ?? '')?.[1]?.trim();
          requests.push({ tunnel: target, method: match[1] ?? '', path: match[2] ?? '', forwardedHost: forwarded });
          consumed = heads.lastIndex;
        }
        pending = pending.slice(consumed);
      });
      client.pipe(upstream);
      upstream.pipe(client);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
