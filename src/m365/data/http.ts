import { M365Error } from '../errors.js';
import type { HttpMethod, HttpRequest, HttpStream } from '../transport.js';

/**
 * The data plane's HTTP is the transport's streaming `open()` (endpoint override, proxy, per-pause
 * timeout): a reply's body is read as it arrives, request bodies may stream. Throttling and
 * concurrency are the data client's (client.ts), so requests go out with the transport's retries off.
 */

export type DataMethod = Exclude<HttpMethod, 'HEAD'>;
export type OpenRequest = HttpRequest;
export type OpenResponse = HttpStream;

export interface Http {
  open(request: HttpRequest): Promise<HttpStream>;
}
/** Reads a whole (small) body, refusing more than `maxBytes`. */
export async function readCapped(response: OpenResponse, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      response.cancel();
      throw new M365Error('Unknown', `${response.host} sent a reply larger than ${Math.round(maxBytes / 1_048_576)} MB; it was not read.`);
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, size);
}

/** Drains and drops a body so that the connection can be reused. */
export async function discard(response: OpenResponse): Promise<void> {
  try {
    for await (const chunk of response.body) void chunk;
  } catch {
    // The answer is already known; a broken tail changes nothing.
  }
}
