import type { Alert, AlertCategory, Audience, NextStep, ServiceLiveness, StoreDocument } from '../domain/index.js';
import { ALERT_CATEGORIES, ALERT_CATEGORY_LABELS, deriveAlerts, displayText, isAlertCategory, PERMANENT_CATEGORIES } from '../domain/index.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { serviceLiveness } from './service-status.js';
import { assertUnchanged } from './stale-guard.js';

/** `service`: from `serviceLiveness` (services/service-status.ts); without it no service-stopped alert is derived. */
export function listAlerts(doc: StoreDocument, now: Date, options: { all?: boolean; service?: ServiceLiveness; audience?: Audience } = {}): Alert[] {
  return deriveAlerts(doc, now, { includeMuted: options.all === true, ...(options.service ? { service: options.service } : {}), ...(options.audience ? { audience: options.audience } : {}) });
}

export function alertJson(alert: Alert): Record<string, unknown> {
  return {
    id: alert.id,
    category: alert.category,
    severity: alert.severity,
    message: alert.message,
    permanent: alert.permanent,
    createdAt: alert.createdAt,
    ...(alert.connectionId !== undefined ? { connectionId: alert.connectionId } : {}),
    ...(alert.jobId !== undefined ? { jobId: alert.jobId } : {}),
  };
}

export function parseCategory(value: string): AlertCategory {
  if (isAlertCategory(value)) return value;
  throw new ServiceError(
    'bad-input',
    `Unknown alert category '${displayText(value, { maxLength: 60 })}'. Categories: ${ALERT_CATEGORIES.join(', ')}.`,
  );
}

export interface RevisionGuard {
  /** The revision the user's view was based on; a newer file is a conflict, not an overwrite. */
  readonly expectRevision?: number;
}

async function setMuted(ctx: ServiceContext, category: AlertCategory, muted: boolean, guard: RevisionGuard): Promise<boolean> {
  return ctx.store.update(
    (draft) => {
      const list = draft.notifications.muted;
      const present = list.includes(category);
      if (present === muted) return 'unchanged';
      draft.notifications.muted = muted ? [...list, category] : list.filter((c) => c !== category);
      return {
        change: { action: muted ? 'alerts.mute' : 'alerts.unmute', entity: { type: 'notifications' }, fields: ['notifications.muted'], details: { category } },
        result: true,
      };
    },
    guard.expectRevision === undefined ? {} : { expectRevision: guard.expectRevision },
  ).then((changed) => changed === true);
}

/** Mutes a category: its alerts disappear from the Bad news card and `alerts list`. Returns false if already muted. */
export function muteCategory(ctx: ServiceContext, category: AlertCategory, guard: RevisionGuard = {}): Promise<boolean> {
  return setMuted(ctx, category, true, guard);
}

export function unmuteCategory(ctx: ServiceContext, category: AlertCategory, guard: RevisionGuard = {}): Promise<boolean> {
  return setMuted(ctx, category, false, guard);
}

/** Removes an event alert. Permanent alerts cannot be dismissed: they go when their cause does. */
export async function dismissAlert(ctx: ServiceContext, alertId: string, guard: RevisionGuard = {}): Promise<void> {
  const shown = displayText(alertId, { maxLength: 80 });
  const service = await serviceLiveness(ctx);
  const existing = deriveAlerts(ctx.store.current(), ctx.now(), { includeMuted: true, service }).find((a) => a.id === alertId);
  if (existing && PERMANENT_CATEGORIES.has(existing.category)) {
    const reason = permanentReason(existing);
    throw new ServiceError('refused', reason.detail, reason.next);
  }
  await ctx.store.update(
    (draft) => {
      const index = draft.alerts.findIndex((a) => a.id === alertId);
      if (index < 0) throw new ServiceError('bad-input', `No alert '${shown}' to dismiss. See 'backup-panel alerts list --all'.`);
      const [removed] = draft.alerts.splice(index, 1);
      return { change: { action: 'alerts.dismiss', entity: { type: 'alert', id: alertId }, details: { category: removed?.category ?? '' } }, result: undefined };
    },
    guard.expectRevision === undefined ? {} : { expectRevision: guard.expectRevision },
  );
}

function permanentReason(alert: Alert): { detail: string; next?: NextStep } {
  if (alert.category === 'service-stopped') {
    return { detail: `Alert '${alert.id}' is permanent: it goes away when the backup service runs again (systemctl start backup-panel, or backup-panel service). To hide it, mute the category: backup-panel alerts mute service-stopped.` };
  }
  const connection = alert.connectionId !== undefined ? { connection: alert.connectionId } : {};
  if (alert.category === 'obsolete-connection') {
    return {
      detail: `Alert '${alert.id}' is permanent: it goes away when the connection is reconfigured to Modern Authentication or deleted. To hide these alerts, mute the category: backup-panel alerts mute obsolete-connection.`,
      next: { kind: 'reconfigure', ...connection },
    };
  }
  return {
    detail: `Alert '${alert.id}' is permanent: it goes away when the certificate or secret is renewed. To hide these alerts, mute the category: backup-panel alerts mute ${alert.category}.`,
    next: { kind: 'renew-credential', ...connection },
  };
}

export interface CategorySetting {
  readonly category: AlertCategory;
  readonly label: string;
  readonly muted: boolean;
}

/** The Notification options list. */
export function notificationOptions(doc: Pick<StoreDocument, 'notifications'>): CategorySetting[] {
  const muted = new Set(doc.notifications.muted);
  return ALERT_CATEGORIES.map((category) => ({ category, label: ALERT_CATEGORY_LABELS[category], muted: muted.has(category) }));
}

/** Saves the whole Notification options form at once (one revision, one audit line). */
export async function saveNotificationOptions(
  ctx: ServiceContext,
  mutedCategories: readonly AlertCategory[],
  guard: RevisionGuard & { readonly basedOn?: readonly string[] } = {},
): Promise<boolean> {
  return ctx.store.update(
    (draft) => {
      assertUnchanged([...draft.notifications.muted].sort(), guard.basedOn && [...guard.basedOn].sort(), 'Notification options');
      const known = new Set<string>(ALERT_CATEGORIES);
      // Unknown entries (from another release) are kept untouched.
      const foreign = draft.notifications.muted.filter((c) => !known.has(c));
      const next = [...foreign, ...ALERT_CATEGORIES.filter((c) => mutedCategories.includes(c))];
      const before = draft.notifications.muted;
      if (before.length === next.length && before.every((c) => next.includes(c))) return 'unchanged';
      draft.notifications.muted = next;
      return {
        change: { action: 'alerts.notification-options', entity: { type: 'notifications' }, fields: ['notifications.muted'], details: { muted: next.join(',') } },
        result: true,
      };
    },
    guard.expectRevision === undefined ? {} : { expectRevision: guard.expectRevision },
  ).then((changed) => changed === true);
}
