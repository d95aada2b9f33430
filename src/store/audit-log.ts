import type { FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { StoreError } from './api.js';
import type { AuditActor, AuditChange } from './api.js';
import type { FsFacade } from './fs-facade.js';
import { closeQuietly, syncDirectory } from './fs-facade.js';
import { describeIoError, showPath } from '../fs/io-errors.js';
import type { FileOwner } from './key-file.js';
import { chownIfRoot } from './key-file.js';
import type { StoreFiles } from './paths.js';

/** One line of `<store>.audit.log`. Secrets never appear: edits name changed fields only. */
export interface AuditEntry {
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

/**
 * Appends one JSON line (O_APPEND, so lines from several processes never interleave) and fsyncs.
 * Runs inside the store lock, after the rename: one line per committed change. The change is
 * already saved when this fails, and the error says exactly that.
 */
export async function appendAudit(fs: FsFacade, files: StoreFiles, entry: AuditEntry, owner: FileOwner | undefined): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(files.audit, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    const stat = await fs.fstat(handle);
    const created = stat.size === 0;
    if ((stat.mode & 0o777) !== 0o600) await fs.fchmod(handle, 0o600);
    if (created) await chownIfRoot(fs, handle, owner);
    await fs.write(handle, Buffer.from(JSON.stringify(entry) + '\n', 'utf8'));
    await fs.sync(handle, 'audit');
    await fs.close(handle);
    handle = undefined;
    if (created) await syncDirectory(fs, files.dir);
  } catch (error) {
    await closeQuietly(fs, handle);
    throw new StoreError(
      'write-failed',
      `the change was saved to ${showPath(files.store)}, but the audit log ${showPath(files.audit)} could not be written: ${describeIoError(error)}`,
      files.audit,
    );
  }
}
