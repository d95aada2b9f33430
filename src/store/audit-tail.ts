import { StoreError } from './api.js';
import type { AuditReadAccess, AuditRecord } from './audit-read.js';
import { MAX_AUDIT_LINE_BYTES, openAuditLog, parseAuditLine } from './audit-read.js';
import { closeQuietly } from './fs-facade.js';
import { describeIoError, showPath } from '../fs/io-errors.js';

const CHUNK_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * The log's entries, newest first, read backwards from the end in chunks: the caller that wants the
 * newest 1,000 of 100,000 changes reads and parses about 1,000 lines, not the file. Opened as
 * readAuditLog opens it (no links; ours, root's or the store owner's); what is read is the file as
 * it was when reading began. An unreadable line's `line` counts from the end: -1 is the last line.
 */
export async function* readAuditLogNewestFirst(access: AuditReadAccess): AsyncGenerator<AuditRecord> {
  const { fs, files } = access;
  const opened = await openAuditLog(access);
  if (!opened) return;
  const { handle, size } = opened;
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    // The end of a line whose start lies in an earlier part of the file (copied: the buffer is reused).
    let carry: Buffer = EMPTY;
    let tooLong = false;
    let fromEnd = 0;
    const finish = (bytes: Buffer, long: boolean): AuditRecord | undefined => {
      fromEnd += 1;
      const text = long ? '' : bytes.toString('utf8').trim();
      if (!long && text === '') return undefined;
      return (long ? undefined : parseAuditLine(text)) ?? { unreadable: true, line: -fromEnd };
    };
    let position = size;
    while (position > 0) {
      const want = Math.min(CHUNK_BYTES, position);
      position -= want;
      let n: number;
      try {
        n = await fs.readAt(handle, buffer, want, position);
      } catch (error) {
        throw new StoreError('unreadable', `cannot read the audit log ${showPath(files.audit)}: ${describeIoError(error)}`, files.audit);
      }
      // The file was cut short while being read: what is left would not line up.
      if (n < want) break;
      const chunk = buffer.subarray(0, n);
      let end = n;
      for (let nl = chunk.lastIndexOf(10, end - 1); nl !== -1; nl = end > 0 ? chunk.lastIndexOf(10, end - 1) : -1) {
        const part = chunk.subarray(nl + 1, end);
        const long = tooLong || part.length + carry.length > MAX_AUDIT_LINE_BYTES;
        const record = finish(long ? EMPTY : carry.length ? Buffer.concat([part, carry]) : part, long);
        carry = EMPTY;
        tooLong = false;
        end = nl;
        if (record) yield record;
      }
      if (!tooLong && end > 0) {
        if (end + carry.length > MAX_AUDIT_LINE_BYTES) {
          carry = EMPTY;
          tooLong = true;
        } else carry = Buffer.concat([Buffer.from(chunk.subarray(0, end)), carry]);
      }
    }
    if (carry.length > 0 || tooLong) {
      const record = finish(carry, tooLong);
      if (record) yield record;
    }
  } finally {
    await closeQuietly(fs, handle);
  }
}
