import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { AuditActor, AuditChange } from './api.js';
import { StoreError } from './api.js';
import type { FsFacade } from './fs-facade.js';
import { closeQuietly, syncDirectory } from './fs-facade.js';
import { describeIoError, errorCode, showPath } from '../fs/io-errors.js';
import type { FileOwner } from './key-file.js';
import { chownIfRoot } from './key-file.js';
import type { StoreFiles } from './paths.js';
import { openBeside } from './safe-files.js';

/**
 * One line of `<store>.audit.log` (JSON Lines, append-only, 0600). The format, for `audit list`
 * and for anyone who reads the file (also in the README):
 *   id              16 hex digits, unique per change (a line may appear twice after a crash: same id)
 *   ts              UTC ISO time of the change
 *   action          e.g. `alerts.mute`, `connection.reconfigure`, `store.create`, `store.migrate`
 *   entity          `{type, id?}` or null
 *   fields          names of changed fields; a secret appears by name only, never its value
 *   details         small non-secret values (the category muted, counts of a migration)
 *   revisionBefore  the store's revision before (null for create and migrate), revisionAfter after
 *   actor           kernel facts: uid, user, loginUid?, loginUser?, pid, host;
 *                   `claimed`: what only the environment says (sudoUser, sshClient)
 * Control and format characters in any string (C0, DEL, C1, bidi, U+2028/9) are JSON escapes,
 * so `cat` or `tail -f` on the log cannot drive the terminal; JSON.parse gives the raw text back.
 */
export interface AuditEntry {
  readonly id: string;
  readonly ts: string;
  readonly action: string;
  readonly entity: AuditChange['entity'] | null;
  readonly fields: readonly string[];
  readonly details: Readonly<Record<string, string | number | boolean>>;
  readonly revisionBefore: number | null;
  readonly revisionAfter: number;
  readonly actor: AuditActor;
}

export function auditEntry(change: AuditChange, revisionBefore: number | null, revisionAfter: number, actor: AuditActor, now: Date): AuditEntry {
  return {
    id: randomBytes(8).toString('hex'),
    ts: now.toISOString(),
    action: change.action,
    entity: change.entity ?? null,
    fields: change.fields ?? [],
    details: change.details ?? {},
    revisionBefore,
    revisionAfter,
    actor,
  };
}

// JSON.stringify escapes C0 and lone surrogates; these it leaves raw.
const RAW_IN_JSON = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/** The entry as one line of JSON with nothing a terminal would act on. */
export function auditLine(entry: AuditEntry): string {
  const json = JSON.stringify(entry).replace(RAW_IN_JSON, (ch) => Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
  return json + '\n';
}

/** Who may own an existing log (us, root, the store's owner) and who gets a new one (as root). */
export interface AuditAccess {
  readonly fs: FsFacade;
  readonly files: StoreFiles;
  readonly owners: readonly number[];
  readonly newOwner: FileOwner | undefined;
}

/** The log, open for appending: opened before a save so that a log we cannot write stops the save. */
export interface OpenAuditLog {
  readonly handle: FileHandle;
  readonly created: boolean;
}

export async function openAuditLog(access: AuditAccess): Promise<OpenAuditLog> {
  const { fs, files } = access;
  let handle: FileHandle | undefined;
  try {
    const opened = await openBeside(fs, files.audit, { access: 'append', create: 'if-missing', owners: access.owners });
    handle = opened.handle;
    if (opened.created) await chownIfRoot(fs, handle, access.newOwner);
    return { handle, created: opened.created };
  } catch (error) {
    await closeQuietly(fs, handle);
    if (error instanceof StoreError) throw error;
    throw new StoreError('write-failed', `cannot write the audit log ${showPath(files.audit)}: ${describeIoError(error)}; nothing was saved`, files.audit);
  }
}

/** Appends one line (O_APPEND: lines from several processes never interleave), fsyncs and closes. */
export async function writeAuditLine(access: AuditAccess, log: OpenAuditLog, entry: AuditEntry): Promise<void> {
  const { fs, files } = access;
  try {
    await fs.write(log.handle, Buffer.from(auditLine(entry), 'utf8'));
    await fs.sync(log.handle, 'audit');
    await fs.close(log.handle);
    if (log.created) await syncDirectory(fs, files.dir);
  } catch (error) {
    await closeQuietly(fs, log.handle);
    throw new StoreError(
      'write-failed',
      `the change was saved to ${showPath(files.store)}, but its line in the audit log ${showPath(files.audit)} could not be written (${describeIoError(error)}); the next session that opens the store writes it`,
      files.audit,
    );
  }
}

const TAIL_BYTES = 256 * 1024;

/**
 * Whether the log's tail holds the line with this id. Only the latest change of a store can be
 * missing from the log (every save first writes the one before it), so the tail is enough.
 */
export async function auditHasEntry(access: AuditAccess, id: string): Promise<boolean> {
  const { fs, files } = access;
  let handle: FileHandle | undefined;
  try {
    const opened = await openBeside(fs, files.audit, { access: 'read', owners: access.owners });
    handle = opened.handle;
    const length = Math.min(opened.stat.size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = await fs.readAt(handle, buffer.subarray(read), length - read, opened.stat.size - length + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).includes(`"id":"${id}"`);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    if (error instanceof StoreError) throw error;
    throw new StoreError('write-failed', `cannot read the audit log ${showPath(files.audit)}: ${describeIoError(error)}; nothing was saved`, files.audit);
  } finally {
    await closeQuietly(fs, handle);
  }
}

/** Writes the line of a committed change whose line is missing (roll forward after a crash or a failed append). */
export async function rollForwardAudit(access: AuditAccess, entry: AuditEntry): Promise<boolean> {
  if (await auditHasEntry(access, entry.id)) return false;
  const log = await openAuditLog(access);
  await writeAuditLine(access, log, entry);
  return true;
}
