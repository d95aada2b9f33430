import type { ServiceLiveness, StoreDocument } from '../domain/index.js';
import { deriveAlerts, displayText, mutedCategories } from '../domain/index.js';

/** Nagios plugin convention (contracts §7). 3 (UNKNOWN) is decided by the caller when the store cannot be read. */
export type CheckStatus = 0 | 1 | 2 | 3;
const STATUS_WORD = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

/**
 * Failures older than this are history, not a current problem: a job that failed years ago and
 * has not run since does not page anyone at 3 a.m. (it still shows on the Bad news card).
 */
export const DEFAULT_STALE_AFTER_HOURS = 7 * 24;

export interface CheckSummary {
  readonly status: CheckStatus;
  readonly line: string;
}

function names(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).map((n) => `'${displayText(n, { maxLength: 60 })}'`);
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export interface CheckOptions {
  readonly staleAfterHours?: number;
  /** The backup service's state (services/service-status.ts): a stopped one is a WARNING while backup jobs exist. */
  readonly service?: ServiceLiveness;
}

export function checkSummary(doc: StoreDocument, now: Date, options: CheckOptions = {}): CheckSummary {
  const muted = mutedCategories(doc);
  const since = now.getTime() - (options.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS) * 3600_000;
  const alerts = deriveAlerts(doc, now, options.service ? { service: options.service } : {});
  const serviceStopped = alerts.some((a) => a.category === 'service-stopped');
  const connectionName = new Map(doc.connections.map((c) => [c.id, c.displayName]));

  const obsolete = alerts.filter((a) => a.category === 'obsolete-connection').map((a) => connectionName.get(a.connectionId ?? '') ?? '');
  const expiring = alerts.filter((a) => a.category === 'credential-expiring');
  const expired = expiring.filter((a) => a.severity === 'error').map((a) => connectionName.get(a.connectionId ?? '') ?? '');
  const soon = expiring.filter((a) => a.severity !== 'error').map((a) => connectionName.get(a.connectionId ?? '') ?? '');
  // Jobs whose last cycle failed (lastRun is written with every cycle).
  const failedJobs = muted.has('job-failed')
    ? []
    : doc.jobs.filter((j) => j.lastRun?.result === 'failed' && Date.parse(j.lastRun.at) >= since).map((j) => j.name);
  const failedConnections = alerts
    .filter((a) => a.category === 'connection-failed' && Date.parse(a.createdAt) >= since)
    .map((a) => connectionName.get(a.connectionId ?? '') ?? a.connectionId ?? '');

  const critical: string[] = [];
  if (failedJobs.length) critical.push(`${plural(failedJobs.length, 'job')} failed: ${names(failedJobs)}`);
  if (failedConnections.length) critical.push(`${plural(failedConnections.length, 'connection test')} failed: ${names(failedConnections)}`);
  if (expired.length) critical.push(`${plural(expired.length, 'credential')} expired: ${names(expired)}`);
  const warning: string[] = [];
  if (serviceStopped) warning.push(`backup service not running${options.service?.lastSeen ? ` (last seen ${options.service.lastSeen.slice(0, 16).replace('T', ' ')} UTC)` : ''}`);
  if (obsolete.length) warning.push(`${plural(obsolete.length, 'obsolete connection')} to reconfigure to Modern Authentication: ${names(obsolete)}`);
  if (soon.length) warning.push(`${plural(soon.length, 'certificate or secret', 'certificates or secrets')} expiring within 30 days: ${names(soon)}`);

  const status: CheckStatus = critical.length ? 2 : warning.length ? 1 : 0;
  const text = [...critical, ...warning].join('; ') || `${plural(doc.connections.length, 'connection')}, ${plural(doc.jobs.length, 'job')}, nothing needs attention`;
  const mutedNote = muted.size ? ` (muted: ${[...muted].join(', ')})` : '';
  const perf = `obsolete=${obsolete.length} expiring=${soon.length} expired=${expired.length} failed_jobs=${failedJobs.length} failed_connections=${failedConnections.length}${options.service ? ` service_running=${options.service.running ? 1 : 0}` : ''}`;
  return { status, line: `BACKUP-PANEL ${STATUS_WORD[status]} - ${text}${mutedNote} | ${perf}` };
}

export function unknownSummary(reason: string): CheckSummary {
  return { status: 3, line: `BACKUP-PANEL UNKNOWN - ${displayText(reason, { maxLength: 300 })}` };
}
