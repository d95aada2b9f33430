import type { FileHandle } from 'node:fs/promises';
import type { AuditActor } from './api.js';
import { StoreError } from './api.js';
import type { AuditEntry } from './audit-log.js';
import type { FsFacade } from './fs-facade.js';
import { closeQuietly } from './fs-facade.js';
import { describeIoError, errorCode, showPath } from '../fs/io-errors.js';
import type { StoreFiles } from './paths.js';
import { openBeside } from './safe-files.js';

/** A line of the log that is not an entry this release understands (cut by a crash, edited by hand, too long). */
export interface AuditUnreadable {
  readonly unreadable: true;
  /** 1-based line number in the file; read newest first, counted from the end (-1: the last line). */
  readonly line: number;
}

export type AuditRecord = AuditEntry | AuditUnreadable;

export function isUnreadable(record: AuditRecord): record is AuditUnreadable {
  return 'unreadable' in record;
}

/** Our lines are well under 4 KiB; a longer one was not written by us and is skipped, never buffered. */
export const MAX_AUDIT_LINE_BYTES = 64 * 1024;
const CHUNK_BYTES = 64 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function actorOf(value: unknown): AuditActor | undefined {
  if (!isRecord(value) || typeof value.uid !== 'number' || typeof value.user !== 'string') return undefined;
  const claimed = isRecord(value.claimed) ? value.claimed : undefined;
  const sudoUser = optionalString(claimed?.sudoUser);
  const sshClient = optionalString(claimed?.sshClient);
  const loginUser = optionalString(value.loginUser);
  return {
    uid: value.uid,
    user: value.user,
    ...(typeof value.loginUid === 'number' ? { loginUid: value.loginUid } : {}),
    ...(loginUser !== undefined ? { loginUser } : {}),
    pid: typeof value.pid === 'number' ? value.pid : -1,
    host: optionalString(value.host) ?? '',
    ...(sudoUser !== undefined || sshClient !== undefined
      ? { claimed: { ...(sudoUser !== undefined ? { sudoUser } : {}), ...(sshClient !== undefined ? { sshClient } : {}) } }
      : {}),
  };
}

/** One line as an entry, or undefined when it is not one (only the fields we know are kept). */
export function parseAuditLine(text: string): AuditEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { id, ts, action } = value;
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof action !== 'string' || Number.isNaN(Date.parse(ts))) return undefined;
  const actor = actorOf(value.actor);
  if (!actor) return undefined;
  const entityValue = isRecord(value.entity) ? value.entity : undefined;
  const entity =
    entityValue && typeof entityValue.type === 'string'
      ? // A newer release may record other kinds of entity; shown as written.
        { type: entityValue.type as NonNullable<AuditEntry['entity']>['type'], ...(typeof entityValue.id === 'string' ? { id: entityValue.id } : {}) }
      : null;
  const fields = Array.isArray(value.fields) ? value.fields.filter((f): f is string => typeof f === 'string') : [];
  const details: Record<string, string | number | boolean> = {};
  if (isRecord(value.details)) {
    for (const [key, v] of Object.entries(value.details)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') details[key] = v;
    }
  }
  return {
    id,
    ts,
    action,
    entity,
    fields,
    details,
    revisionBefore: typeof value.revisionBefore === 'number' ? value.revisionBefore : null,
    revisionAfter: typeof value.revisionAfter === 'number' ? value.revisionAfter : 0,
    actor,
  };
}

export interface AuditReadAccess {
  readonly fs: FsFacade;
  readonly files: StoreFiles;
  readonly owners: readonly number[];
}

/**
 * The log opened for reading, or undefined when there is none yet: without following links and only
 * when it belongs to us, root or the store's owner; `size` is the file as it was when reading began.
 */
export async function openAuditLog(access: AuditReadAccess): Promise<{ readonly handle: FileHandle; readonly size: number } | undefined> {
  const { fs, files } = access;
  try {
    const opened = await openBeside(fs, files.audit, { access: 'read', owners: access.owners });
    return { handle: opened.handle, size: opened.stat.size };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (error instanceof StoreError) throw error;
    throw new StoreError('unreadable', `cannot read the audit log ${showPath(files.audit)}: ${describeIoError(error)}`, files.audit);
  }
}

/**
 * The log's entries, oldest first, read in chunks as the caller consumes them (a log of years is
 * never held in memory). A log that does not exist yet is empty. The file is opened without
 * following links and only when it belongs to us, root or the store's owner; what is read is the
 * file as it was when reading began (lines appended meanwhile come with the next read).
 */
export async function* readAuditLog(access: AuditReadAccess): AsyncGenerator<AuditRecord> {
  const { fs, files } = access;
  const opened = await openAuditLog(access);
  if (!opened) return;
  const { handle, size } = opened;
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let tooLong = false;
    let lineNo = 0;
    let position = 0;
    const finish = (tail: Buffer): AuditRecord | undefined => {
      lineNo += 1;
      const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
      const long = tooLong || bytes.length > MAX_AUDIT_LINE_BYTES;
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      const text = long ? '' : bytes.toString('utf8').trim();
      if (!long && text === '') return undefined;
      return (long ? undefined : parseAuditLine(text)) ?? { unreadable: true, line: lineNo };
    };
    while (position < size) {
      let n: number;
      try {
        n = await fs.readAt(handle, buffer, Math.min(CHUNK_BYTES, size - position), position);
      } catch (error) {
        throw new StoreError('unreadable', `cannot read the audit log ${showPath(files.audit)}: ${describeIoError(error)}`, files.audit);
      }
      if (n === 0) break;
      position += n;
      let start = 0;
      const chunk = buffer.subarray(0, n);
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        const record = finish(chunk.subarray(start, nl));
        start = nl + 1;
        if (record) yield record;
      }
      if (start < n) {
        // Part of a line: kept (copied, the buffer is reused) until its end, unless it is already too long.
        if (!tooLong) {
          pending.push(Buffer.from(chunk.subarray(start)));
          pendingBytes += n - start;
          if (pendingBytes > MAX_AUDIT_LINE_BYTES) {
            pending = [];
            pendingBytes = 0;
            tooLong = true;
          }
        }
      }
    }
    if (pendingBytes > 0 || tooLong) {
      const record = finish(Buffer.alloc(0));
      if (record) yield record;
    }
  } finally {
    await closeQuietly(fs, handle);
  }
}
