/**
 * Content with a known length that is produced on demand: a reply body, a MIME message, a file. The
 * sandbox never holds a large item whole: generated content is derived chunk by chunk, written content
 * sits in a temporary file (blobs.ts).
 */
import { createReadStream } from 'node:fs';
import { keystream } from './random.js';

const CHUNK = 64 * 1024;

export interface ByteSource {
  readonly length: number;
  /** The bytes in [start, end) (default: all), in chunks of any size. */
  chunks(start?: number, end?: number): AsyncIterable<Buffer>;
}

function bounds(source: { length: number }, start = 0, end = source.length): [number, number] {
  const s = Math.max(0, Math.min(start, source.length));
  return [s, Math.max(s, Math.min(end, source.length))];
}

export function bufferSource(buffer: Buffer | string): ByteSource {
  const data = typeof buffer === 'string' ? Buffer.from(buffer, 'utf8') : buffer;
  return {
    length: data.length,
    async *chunks(start, end) {
      const [s, e] = bounds(data, start, end);
      for (let at = s; at < e; at += CHUNK) yield data.subarray(at, Math.min(e, at + CHUNK));
    },
  };
}

/** Random-looking bytes derived from `key` (see keystream), with an optional fixed prefix (a file signature). */
export function generatedSource(key: Buffer, length: number, prefix: Buffer = Buffer.alloc(0)): ByteSource {
  const head = prefix.subarray(0, length);
  return {
    length,
    async *chunks(start, end) {
      const [s, e] = bounds({ length }, start, end);
      for (let at = s; at < e; ) {
        if (at < head.length) {
          const upto = Math.min(e, head.length);
          yield head.subarray(at, upto);
          at = upto;
          continue;
        }
        const n = Math.min(CHUNK, e - at);
        yield keystream(key, at, n);
        at += n;
      }
    },
  };
}

export function fileSource(path: string, length: number): ByteSource {
  return {
    length,
    async *chunks(start, end) {
      const [s, e] = bounds({ length }, start, end);
      if (e <= s) return;
      for await (const chunk of createReadStream(path, { start: s, end: e - 1, highWaterMark: CHUNK })) yield chunk as Buffer;
    },
  };
}

export function concatSources(parts: readonly ByteSource[]): ByteSource {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  return {
    length,
    async *chunks(start, end) {
      const [s, e] = bounds({ length }, start, end);
      let offset = 0;
      for (const part of parts) {
        const from = Math.max(s, offset);
        const to = Math.min(e, offset + part.length);
        if (from < to) yield* part.chunks(from - offset, to - offset);
        offset += part.length;
        if (offset >= e) break;
      }
    },
  };
}

/** Length of `n` bytes as base64 (no line breaks). */
export const base64Length = (n: number): number => 4 * Math.ceil(n / 3);

/** Length of `n` bytes as MIME base64: lines of 76 characters separated by CRLF (none after the last). */
export function base64LinesLength(n: number): number {
  const chars = base64Length(n);
  return chars + 2 * Math.max(0, Math.ceil(chars / 76) - 1);
}

/**
 * `source` base64-encoded, either as one run (EWS MimeContent, JSON contentBytes) or as MIME lines of
 * 76 characters. Sequential only: ranges of an encoded body are never asked for.
 */
export function base64Source(source: ByteSource, lines: boolean): ByteSource {
  const group = lines ? 57 * 1024 : 3 * 16 * 1024;
  const length = lines ? base64LinesLength(source.length) : base64Length(source.length);
  return {
    length,
    async *chunks(start, end) {
      if ((start ?? 0) !== 0 || (end ?? length) !== length) throw new Error('base64Source is read from the start only');
      let first = true;
      const encode = (data: Buffer): Buffer => {
        if (!lines) return Buffer.from(data.toString('base64'), 'latin1');
        const out: string[] = [];
        for (let at = 0; at < data.length; at += 57) {
          if (!first) out.push('\r\n');
          first = false;
          out.push(data.subarray(at, at + 57).toString('base64'));
        }
        return Buffer.from(out.join(''), 'latin1');
      };
      let carry = Buffer.alloc(0);
      for await (const chunk of source.chunks()) {
        const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const usable = data.length - (data.length % group);
        if (usable) yield encode(data.subarray(0, usable));
        carry = Buffer.from(data.subarray(usable));
      }
      if (carry.length) yield encode(carry);
    },
  };
}

export async function readAll(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source.chunks()) parts.push(chunk);
  return Buffer.concat(parts, source.length);
}
