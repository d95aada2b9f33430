import type { Audience } from './next-steps.js';
import { nextStepText, withNextStep } from './next-steps.js';

/** The obsolete-connection alert, word for word as the reference product and contracts §4 give it. */
export function obsoleteConnectionMessage(displayName: string): string {
  return (
    `Server connection '${displayName}' needs to be reconfigured to use Modern Authentication (OAuth 2.0) ` +
    'when connecting to Office 365. Otherwise, jobs that use this connection will stop working when ' +
    'Basic Authentication is disabled for your tenant.'
  );
}

/** Shown before a job on an obsolete connection runs (same substance as the alert), ending in what to do in the audience's words. */
export function obsoleteJobWarning(jobName: string, displayName: string, audience: Audience = 'tui', connectionId?: string): string {
  const text =
    `Job '${jobName}' uses server connection '${displayName}', which still uses Basic Authentication. ` +
    'It needs to be reconfigured to use Modern Authentication (OAuth 2.0) when connecting to Office 365; ' +
    'otherwise the job will stop working when Basic Authentication is disabled for your tenant.';
  if (audience === 'tui') return `${text} Reconfigure it in Manage server connections (select it, then Edit).`;
  return withNextStep(text, { kind: 'reconfigure', ...(connectionId !== undefined ? { connection: connectionId } : {}) }, audience);
}

export function credentialExpiringMessage(displayName: string, what: 'certificate' | 'client secret', expiresAt: Date, daysLeft: number, audience: Audience = 'tui', connectionId?: string): string {
  const day = expiresAt.toISOString().slice(0, 10);
  const renew = audience === 'tui' ? undefined : nextStepText({ kind: 'renew-credential', ...(connectionId !== undefined ? { connection: connectionId } : {}) }, audience);
  if (daysLeft < 0) {
    return `The ${what} of server connection '${displayName}' expired on ${day}. ${renew ? `Jobs that use it fail until it is renewed. ${renew}` : 'Jobs that use it fail until you Edit the connection and renew it.'}`;
  }
  const when = daysLeft === 0 ? 'today' : daysLeft === 1 ? 'in 1 day' : `in ${daysLeft} days`;
  return `The ${what} of server connection '${displayName}' expires on ${day} (${when}). ${renew ?? 'Edit the connection and renew it before then.'}`;
}

export function jobFailedMessage(jobName: string, reason: string): string {
  return `Job '${jobName}' failed: ${reason}`;
}

export function connectionFailedMessage(displayName: string, reason: string): string {
  return `Connection test of '${displayName}' failed: ${reason}`;
}

/** The service-stopped alert (contracts §8.3): the service is not running while backup jobs exist. */
export function serviceStoppedMessage(lastSeen: Date | undefined): string {
  const when = lastSeen ? ` (last seen ${lastSeen.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : '';
  return (
    `The backup service is not running${when}: backup jobs do not start on their schedule. ` +
    'Start it (systemctl start backup-panel, or backup-panel service).'
  );
}
