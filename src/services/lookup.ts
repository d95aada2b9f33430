import type { Connection, Job, StoreDocument } from '../domain/index.js';
import { displayText } from '../domain/index.js';
import { ServiceError } from './errors.js';

function resolve<T extends { id: string }>(items: readonly T[], ref: string, nameOf: (item: T) => string, noun: string, listCommand: string): T {
  const byId = items.find((item) => item.id === ref);
  if (byId) return byId;
  const byName = items.filter((item) => nameOf(item) === ref);
  if (byName.length === 1) return byName[0] as T;
  const shown = displayText(ref, { maxLength: 80 });
  if (byName.length > 1) {
    const ids = byName.map((item) => item.id).join(', ');
    throw new ServiceError('bad-input', `Several ${noun}s are named '${shown}' (${ids}); use the id instead.`);
  }
  throw new ServiceError('bad-input', `No ${noun} '${shown}'. See '${listCommand}' for ids and names.`);
}

/** A connection by id or by its connection name. */
export function findConnection(doc: Pick<StoreDocument, 'connections'>, ref: string): Connection {
  return resolve(doc.connections, ref, (c) => c.displayName, 'server connection', 'backup-panel connections list');
}

/** A job by id or by name. */
export function findJob(doc: Pick<StoreDocument, 'jobs'>, ref: string): Job {
  return resolve(doc.jobs, ref, (j) => j.name, 'job', 'backup-panel jobs list');
}
