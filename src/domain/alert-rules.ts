import { ALERT_CATEGORIES, type Alert, type AlertCategory, type EventAlert, type ServiceLiveness } from './alert.js';
import { credentialExpiringMessage, obsoleteConnectionMessage, serviceStoppedMessage } from './alert-texts.js';
import type { Connection } from './connection.js';
import type { Audience } from './next-steps.js';
import { appCredential, credentialExpiry, isObsolete } from './connection-rules.js';
import type { StoreDocument } from './document.js';
import { isServiceJob } from './schedule-rules.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const EXPIRY_WARNING_DAYS = 30;

export function obsoleteAlertId(connectionId: string): string {
  return `obsolete-connection:${connectionId}`;
}

export const SERVICE_STOPPED_ALERT_ID = 'service-stopped';

export function expiringAlertId(connectionId: string): string {
  return `credential-expiring:${connectionId}`;
}

/** Whole days from `now` until `when`, rounded down; negative once past. */
export function daysUntil(when: Date, now: Date): number {
  return Math.floor((when.getTime() - now.getTime()) / DAY_MS);
}

function permanentAlertsFor(connection: Connection, now: Date, audience: Audience): Alert[] {
  const alerts: Alert[] = [];
  if (isObsolete(connection)) {
    alerts.push({
      id: obsoleteAlertId(connection.id),
      category: 'obsolete-connection',
      severity: 'warning',
      message: obsoleteConnectionMessage(connection.displayName),
      permanent: true,
      createdAt: connection.obsoleteSince ?? connection.created,
      connectionId: connection.id,
    });
  }
  const expiry = credentialExpiry(connection);
  const app = appCredential(connection);
  if (expiry && app && expiry.getTime() - now.getTime() <= EXPIRY_WARNING_DAYS * DAY_MS) {
    const daysLeft = daysUntil(expiry, now);
    alerts.push({
      id: expiringAlertId(connection.id),
      category: 'credential-expiring',
      severity: daysLeft < 0 ? 'error' : 'warning',
      message: credentialExpiringMessage(connection.displayName, app.kind === 'app-certificate' ? 'certificate' : 'client secret', expiry, daysLeft, audience, connection.id),
      permanent: true,
      createdAt: new Date(Math.min(now.getTime(), expiry.getTime() - EXPIRY_WARNING_DAYS * DAY_MS)).toISOString(),
      connectionId: connection.id,
    });
  }
  return alerts;
}

/** Permanent while backup jobs the service would run exist and no service runs. */
function serviceStoppedAlert(doc: Pick<StoreDocument, 'jobs'>, service: ServiceLiveness, now: Date): Alert | undefined {
  if (service.running || !doc.jobs.some(isServiceJob)) return undefined;
  const seen = service.lastSeen !== undefined ? Date.parse(service.lastSeen) : NaN;
  const lastSeen = Number.isFinite(seen) ? new Date(seen) : undefined;
  return {
    id: SERVICE_STOPPED_ALERT_ID,
    category: 'service-stopped',
    severity: 'warning',
    message: serviceStoppedMessage(lastSeen),
    permanent: true,
    createdAt: (lastSeen ?? now).toISOString(),
  };
}

function eventAlert(event: EventAlert): Alert {
  return {
    id: event.id,
    category: event.category,
    severity: 'error',
    message: event.message,
    permanent: false,
    createdAt: event.created,
    ...(event.connectionId !== undefined ? { connectionId: event.connectionId } : {}),
    ...(event.jobId !== undefined ? { jobId: event.jobId } : {}),
  };
}

export function mutedCategories(doc: Pick<StoreDocument, 'notifications'>): Set<AlertCategory> {
  const muted = new Set<AlertCategory>();
  for (const value of doc.notifications.muted) {
    if ((ALERT_CATEGORIES as readonly string[]).includes(value)) muted.add(value as AlertCategory);
  }
  return muted;
}

export interface DeriveOptions {
  readonly includeMuted?: boolean;
  /** The backup service's state; without it (not read) no service-stopped alert is derived. */
  readonly service?: ServiceLiveness;
  /** Whose words the next steps in derived texts are in (default: the panel's). */
  readonly audience?: Audience;
}

/**
 * Every alert that exists for a state: permanent ones first (the service's, then per connection in
 * connection order), then events, newest first. Muted categories are left out unless `includeMuted` is set.
 */
export function deriveAlerts(doc: Pick<StoreDocument, 'connections' | 'jobs' | 'alerts' | 'notifications'>, now: Date, options: DeriveOptions = {}): Alert[] {
  const muted = options.includeMuted ? new Set<AlertCategory>() : mutedCategories(doc);
  const service = options.service ? serviceStoppedAlert(doc, options.service, now) : undefined;
  const permanent = [...(service ? [service] : []), ...doc.connections.flatMap((c) => permanentAlertsFor(c, now, options.audience ?? 'tui'))].filter((a) => !muted.has(a.category));
  const events = doc.alerts
    .filter((a) => !muted.has(a.category))
    .map(eventAlert)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return [...permanent, ...events];
}
