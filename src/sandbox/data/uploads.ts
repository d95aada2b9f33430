/**
 * Upload sessions (Outlook large attachments, drive uploads): a pre-authenticated URL taking byte
 * ranges in order (`Content-Range: bytes a-b/total`), written to a temporary file, committed when the
 * last byte arrives. The URL's token is the session's only credential: an Authorization header is
 * refused, as Microsoft refuses a Graph token on those hosts (wrong audience).
 */
import { randomUUID } from 'node:crypto';
import type { Reply, RequestContext } from '../http.js';
import type { Blob, BlobStore, BlobWriter } from './blobs.js';

export interface UploadSession {
  readonly id: string;
  /** Declared total; -1 until the first range says it (a drive session without fileSize). */
  size: number;
  readonly expires: Date;
  readonly writer: BlobWriter;
  /** Builds the final reply once every byte is in (may still refuse, e.g. a name conflict). */
  readonly complete: (blob: Blob) => Reply;
  /** The reply between chunks. */
  readonly progress: (next: number) => Reply;
  readonly error: (status: number, code: string, message: string) => Reply;
  /** Sees every accepted range in order (drive uploads hash them as they come). */
  readonly observe?: (chunk: Buffer) => void;
}

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(private readonly blobs: BlobStore) {}

  open(init: Omit<UploadSession, 'id' | 'writer'>): UploadSession {
    const session: UploadSession = { ...init, id: randomUUID(), writer: this.blobs.writer() };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): UploadSession | undefined {
    return this.sessions.get(id);
  }

  cancel(id: string): void {
    this.sessions.get(id)?.writer.discard();
    this.sessions.delete(id);
  }

  /** One PUT of a range. */
  put(ctx: RequestContext, session: UploadSession): Reply {
    if (ctx.now.getTime() > session.expires.getTime()) {
      this.cancel(session.id);
      return session.error(404, 'itemNotFound', 'The upload session was not found or has expired.');
    }
    const range = ctx.header('content-range')?.match(/^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i);
    if (!range) return session.error(400, 'invalidRequest', 'Content-Range header is missing or malformed.');
    const start = Number(range[1]);
    const end = Number(range[2]);
    const total = range[3] === '*' ? session.size : Number(range[3]);
    if (session.size < 0 && total >= 0) session.size = total;
    if (total !== session.size) return session.error(400, 'invalidRequest', `The Content-Range total length ${total} does not match the declared file size ${session.size}.`);
    if (end < start || end >= total || ctx.body.length !== end - start + 1) {
      return session.error(400, 'invalidRange', 'The Content-Range does not match the length of the request body.');
    }
    if (start !== session.writer.length) {
      return session.error(416, 'invalidRange', `The uploaded fragment does not start where the session expects (${session.writer.length}).`);
    }
    session.writer.append(ctx.body);
    session.observe?.(ctx.body);
    if (session.writer.length < session.size) return session.progress(session.writer.length);
    this.sessions.delete(session.id);
    return session.complete(session.writer.finish());
  }
}
