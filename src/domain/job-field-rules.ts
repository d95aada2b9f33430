import { displayText } from './display-text.js';
import type { FieldProblem } from './field-rules.js';
import type { Job } from './job.js';
import { jobNameTaken } from './job.js';
import { parseActivityPeriod, parseIdleTime } from './schedule.js';
import type { Storage } from './storage.js';
import { MAX_RETENTION_DAYS, storageNameTaken } from './storage.js';

/**
 * The fields of the job and storage wizards, in words (the services refuse the same values with
 * the same sentences): each rule returns undefined for an acceptable value, else what to do.
 */

function shown(value: string): string {
  return displayText(value.trim(), { maxLength: 80 });
}

export function jobNameProblem(jobs: readonly Job[], name: string, exceptId?: string): FieldProblem {
  const v = name.trim();
  if (!v) return 'A job needs a name.';
  if (jobNameTaken(jobs, v, exceptId)) return `A job named '${shown(v)}' exists already; names are unique.`;
  return undefined;
}

export function idleTimeProblem(text: string): FieldProblem {
  if (parseIdleTime(text) !== undefined) return undefined;
  return `Idle time '${shown(text)}' is not hh:mm:ss, such as 00:01:00 (one minute).`;
}

export function activityPeriodProblem(text: string): FieldProblem {
  const parsed = parseActivityPeriod(text);
  return 'error' in parsed ? `${displayText(parsed.error, { maxLength: 160 })}.` : undefined;
}

export function storageNameProblem(storages: readonly Storage[], name: string): FieldProblem {
  const v = name.trim();
  if (!v) return 'A storage needs a name.';
  if (storageNameTaken(storages, v)) return `A storage named '${shown(v)}' exists already; names are unique.`;
  return undefined;
}

export function retentionDaysProblem(text: string): FieldProblem {
  const v = text.trim();
  if (/^\d+$/.test(v) && Number(v) <= MAX_RETENTION_DAYS) return undefined;
  return `Keep deleted items for a whole number of days from 0 to ${MAX_RETENTION_DAYS}, not '${shown(v)}'.`;
}

/** A folder on this server: absolute, so that it means the same to the service as to the panel. */
export function serverFolderProblem(text: string): FieldProblem {
  const v = text.trim();
  if (!v) return 'Enter a folder on this server, e.g. /srv/backup/storage-1.';
  if (!v.startsWith('/')) return `'${shown(v)}' is not an absolute folder path; start it with /, e.g. /srv/backup/storage-1.`;
  return undefined;
}
