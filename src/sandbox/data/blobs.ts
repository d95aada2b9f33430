/**
 * What clients write (restored messages and files, upload sessions): small content stays in memory,
 * larger content goes to a temporary directory of the sandbox, removed when it closes.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferSource, fileSource, type ByteSource } from './bytes.js';

const IN_MEMORY_MAX = 256 * 1024;

export interface Blob extends ByteSource {
  readonly sha256: string;
}

/** A file being written piece by piece (upload sessions). */
export interface BlobWriter {
  readonly length: number;
  append(data: Buffer): void;
  finish(): Blob;
  discard(): void;
}

export class BlobStore {
  private dir: string | undefined;
  private counter = 0;

  private path(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'backup-panel-sandbox-data-'));
    this.counter += 1;
    return join(this.dir, `blob-${this.counter}`);
  }

  put(data: Buffer): Blob {
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (data.length <= IN_MEMORY_MAX) return { ...bufferSource(Buffer.from(data)), sha256 };
    const path = this.path();
    writeFileSync(path, data, { mode: 0o600 });
    return { ...fileSource(path, data.length), sha256 };
  }

  writer(): BlobWriter {
    const path = this.path();
    const hash = createHash('sha256');
    let length = 0;
    writeFileSync(path, Buffer.alloc(0), { mode: 0o600 });
    return {
      get length() {
        return length;
      },
      append(data) {
        appendFileSync(path, data);
        hash.update(data);
        length += data.length;
      },
      finish() {
        return { ...fileSource(path, length), sha256: hash.digest('hex') };
      },
      discard() {
        rmSync(path, { force: true });
      },
    };
  }

  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
