import * as z from 'zod';
import { IsoInstant, NonEmpty } from './primitives.js';

export const ALERT_CATEGORIES = ['obsolete-connection', 'job-failed', 'connection-failed', 'credential-expiring', 'service-stopped'] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

/** Labels as they appear in Notification options (contracts §4). */
export const ALERT_CATEGORY_LABELS: Readonly<Record<AlertCategory, string>> = {
  'obsolete-connection': 'Obsolete connection in use',
  'job-failed': 'Job failed',
  'connection-failed': 'Connection test failed',
  'credential-expiring': 'Certificate or secret expiring',
  'service-stopped': 'Backup service not running',
};

/** Permanent alerts follow from the state; event alerts are recorded and can be dismissed. */
export const PERMANENT_CATEGORIES: ReadonlySet<AlertCategory> = new Set(['obsolete-connection', 'credential-expiring', 'service-stopped']);
export const EVENT_CATEGORIES = ['job-failed', 'connection-failed'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export function isAlertCategory(value: string): value is AlertCategory {
  return (ALERT_CATEGORIES as readonly string[]).includes(value);
}

export type Severity = 'error' | 'warning';

/** An event alert as stored (job failed, connection test failed). */
export const EventAlert = z.looseObject({
  id: NonEmpty,
  category: z.enum(EVENT_CATEGORIES),
  created: IsoInstant,
  message: z.string(),
  jobId: z.string().optional(),
  connectionId: z.string().optional(),
});
export type EventAlert = z.infer<typeof EventAlert>;

/** An alert as shown: the Bad news card, `alerts list`. */
export interface Alert {
  readonly id: string;
  readonly category: AlertCategory;
  readonly severity: Severity;
  readonly message: string;
  readonly permanent: boolean;
  readonly createdAt: string;
  readonly connectionId?: string;
  readonly jobId?: string;
}

/**
 * What the derived alerts need to know of the backup service (read beside the store by
 * services/service-status.ts): whether it runs, and when one was last seen alive.
 */
export interface ServiceLiveness {
  readonly running: boolean;
  /** The last heartbeat or clean stop of the last service; absent when none ever ran on this store. */
  readonly lastSeen?: string;
}

export const NotificationSettings = z.looseObject({
  /** Muted alert categories; unknown entries from other versions are kept and ignored. */
  muted: z.array(z.string()).default([]),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;
