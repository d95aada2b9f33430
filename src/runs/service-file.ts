import { mkdir, rm } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../fs/process-info.js';
import { readJson, replaceFile, runsDir, writeNew } from './files.js';

/**
 * The backup service's own file beside the store (`<store>.runs/service.json`): who runs it, since
 * when, its heartbeat and the cycles it runs. Created exclusively when the service starts (one
 * service per store), replaced atomically at each heartbeat, and left behind with `state: stopped`
 * at a clean stop, so that a panel can say since when the service is down. Nothing in it is a secret.
 */

export interface ServiceRecord {
  readonly pid: number;
  readonly host: string;
  readonly user: string;
  readonly version: string;
  /** When this service started. */
  readonly since: string;
  /** Rewritten every HEARTBEAT_MS while it runs. */
  readonly heartbeatAt: string;
  readonly state: 'running' | 'stopping' | 'stopped';
  readonly stoppedAt?: string;
  readonly maxCycles: number;
  readonly runningCycles: ReadonlyArray<{ readonly jobId: string; readonly startedAt: string }>;
}

/** How often a running service rewrites its file. */
export const HEARTBEAT_MS = 5_000;
/**
 * A heartbeat older than this means the service is hung (or, on another host sharing the store,
 * gone). Generous: a loaded machine may delay a timer by seconds; a dead process on this host is
 * seen at once through its pid.
 */
export const HEARTBEAT_STALE_MS = 60_000;

const FILE = 'service.json';

export function serviceFilePath(storePath: string): string {
  return join(runsDir(storePath), FILE);
}

export function readServiceRecord(storePath: string): Promise<ServiceRecord | undefined> {
  return readJson<ServiceRecord>(serviceFilePath(storePath));
}

/** Whether the process the record names runs now: its pid on this host (not a reuse), a fresh heartbeat. */
export function serviceRecordAlive(record: ServiceRecord, now: Date): boolean {
  if (record.state === 'stopped') return false;
  if (record.host === hostname() && (record.pid === process.pid ? false : !isProcessAlive(record.pid, Date.parse(record.since)))) return false;
  const beat = Date.parse(record.heartbeatAt);
  return Number.isFinite(beat) && now.getTime() - beat <= HEARTBEAT_STALE_MS;
}

export class ServiceRunning extends Error {
  constructor(readonly record: ServiceRecord) {
    super(`backup service already running: pid ${record.pid} on ${record.host}`);
  }
}

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

export interface ServiceFile {
  readonly record: ServiceRecord;
  /** Rewrites the file with a fresh heartbeat and the given changes. */
  update(changes: Partial<Pick<ServiceRecord, 'state' | 'runningCycles' | 'stoppedAt'>>, now: Date): Promise<void>;
}

/** Claims the store for this service (refused with ServiceRunning while another one lives). */
export async function claimServiceFile(storePath: string, info: { version: string; maxCycles: number }, now: Date): Promise<ServiceFile> {
  const dir = runsDir(storePath);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = serviceFilePath(storePath);
  let record: ServiceRecord = {
    pid: process.pid,
    host: hostname(),
    user: whoAmI(),
    version: info.version,
    since: now.toISOString(),
    heartbeatAt: now.toISOString(),
    state: 'running',
    maxCycles: info.maxCycles,
    runningCycles: [],
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await writeNew(path, JSON.stringify(record));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 2) throw error;
      const other = await readServiceRecord(storePath);
      if (other && serviceRecordAlive(other, now)) throw new ServiceRunning(other);
      // A stopped, killed or hung-and-gone service's file: taken over.
      await rm(path, { force: true });
    }
  }
  return {
    get record() {
      return record;
    },
    async update(changes, at) {
      record = { ...record, ...changes, heartbeatAt: at.toISOString() };
      await replaceFile(path, JSON.stringify(record));
    },
  };
}
