import { describe, expect, it } from 'vitest';
import type { CycleRecord, Job, StoreDocument } from '../../src/domain/index.js';
import { deriveAlerts, emptyDocument, nextDueAt, nextInActivityPeriod, parseActivityPeriod, scheduleState, type ActivityPeriod } from '../../src/domain/index.js';
import { nextDueCycles } from '../../src/services/service-status.js';

/** The service's schedule rules with a passed `now` (local time, as the server keeps it): no clock. */

const at = (y: number, mo: number, d: number, h: number, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s);
// 2026-12-07 is a Monday.
const MONDAY_NOON = at(2026, 12, 7, 12);

function cycle(endedAt: Date, result: CycleRecord['result'] = 'succeeded', extra: Partial<CycleRecord> = {}): CycleRecord {
  return { result, startedAt: new Date(endedAt.getTime() - 30_000).toISOString(), endedAt: endedAt.toISOString(), scanned: 1, backedUp: 1, removed: 0, restored: 0, bytes: 1, errors: [], ...extra };
}

function job(extra: Partial<Job> = {}): Job {
  return { id: 'j-1', name: 'Mail', kind: 'backup', connectionId: 'c-1', storageId: 's-1', sources: 'all', continuous: false, ...extra };
}

describe('when the service starts a cycle', () => {
  it('one-time: once, and never again after its cycle, whatever its result', () => {
    expect(scheduleState(job(), MONDAY_NOON)).toMatchObject({ kind: 'due' });
    for (const result of ['succeeded', 'warning', 'failed', 'stopped'] as const) {
      expect(scheduleState(job({ cycles: [cycle(at(2026, 12, 7, 11), result)] }), MONDAY_NOON), result).toEqual({ kind: 'not-scheduled', reason: 'done' });
    }
    // A version-1 job's last run went elsewhere: once it has a storage, its one cycle runs.
    expect(scheduleState(job({ lastRun: { at: '2020-06-14T03:00:00Z', result: 'succeeded' } }), MONDAY_NOON).kind).toBe('due');
  });

  it('a cycle cut short by the service shutting down is resumed when the service is back, a user stop is not', () => {
    const shutdown = cycle(at(2026, 12, 7, 11, 59), 'stopped', { stoppedBy: 'shutdown' });
    expect(scheduleState(job({ cycles: [shutdown] }), MONDAY_NOON).kind).toBe('due');
    expect(scheduleState(job({ continuous: true, idleTime: '01:00:00', cycles: [shutdown] }), MONDAY_NOON).kind).toBe('due');
    const user = cycle(at(2026, 12, 7, 11, 59), 'stopped', { stoppedBy: 'user' });
    expect(scheduleState(job({ cycles: [user] }), MONDAY_NOON).kind).toBe('not-scheduled');
  });

  it('continuous: at once the first time, then the idle time after the last cycle ended (whoever ran it)', () => {
    const continuous = job({ continuous: true, idleTime: '00:10:00' });
    expect(scheduleState(continuous, MONDAY_NOON).kind).toBe('due');
    const ran = { ...continuous, cycles: [cycle(at(2026, 12, 7, 11, 55))] };
    expect(scheduleState(ran, MONDAY_NOON)).toEqual({ kind: 'waiting', at: at(2026, 12, 7, 12, 5), until: 'idle' });
    expect(scheduleState(ran, at(2026, 12, 7, 12, 4, 59)).kind).toBe('waiting');
    expect(scheduleState(ran, at(2026, 12, 7, 12, 5))).toEqual({ kind: 'due', since: at(2026, 12, 7, 12, 5) });
    // A failed cycle is retried after the idle time, like any other.
    expect(scheduleState({ ...ran, cycles: [cycle(at(2026, 12, 7, 11, 55), 'failed')] }, at(2026, 12, 7, 12, 6)).kind).toBe('due');
    // The default idle time is a minute; a version-1 job's last run counts.
    expect(nextDueAt(job({ continuous: true, lastRun: { at: at(2026, 12, 7, 11, 59, 30).toISOString(), result: 'succeeded' } }), MONDAY_NOON)).toEqual(at(2026, 12, 7, 12, 0, 30));
  });

  it('only inside the activity period, which may run past midnight', () => {
    const night = job({ continuous: true, idleTime: '00:00:01', activity: 'Mon-Fri 20:00-06:00' });
    expect(scheduleState(night, MONDAY_NOON)).toEqual({ kind: 'waiting', at: at(2026, 12, 7, 20), until: 'activity-period' });
    expect(scheduleState(night, at(2026, 12, 7, 20)).kind).toBe('due');
    expect(scheduleState(night, at(2026, 12, 8, 5, 59)).kind).toBe('due'); // Monday's period, on Tuesday morning
    expect(scheduleState(night, at(2026, 12, 7, 5, 0))).toEqual({ kind: 'waiting', at: at(2026, 12, 7, 20), until: 'activity-period' }); // Sunday's period does not exist
    // Friday night runs into Saturday; Saturday and Sunday evenings do not start.
    expect(scheduleState(night, at(2026, 12, 12, 3)).kind).toBe('due');
    expect(scheduleState(night, at(2026, 12, 12, 12))).toEqual({ kind: 'waiting', at: at(2026, 12, 14, 20), until: 'activity-period' });
    // The idle time ends outside the period: the next start is when it opens.
    const ran = { ...night, idleTime: '02:00:00', cycles: [cycle(at(2026, 12, 8, 5))] };
    expect(scheduleState(ran, at(2026, 12, 8, 5, 30))).toEqual({ kind: 'waiting', at: at(2026, 12, 8, 20), until: 'activity-period' });
    // One-time jobs wait for their period too.
    expect(scheduleState(job({ activity: 'Sat 01:00-02:00' }), MONDAY_NOON)).toEqual({ kind: 'waiting', at: at(2026, 12, 12, 1), until: 'activity-period' });
  });

  it('finds the next opening by calendar day, across a month end and whatever the day length', () => {
    const period = parseActivityPeriod('Daily 22:00-04:00') as ActivityPeriod;
    expect(nextInActivityPeriod(period, at(2026, 12, 31, 4, 0))).toEqual(at(2026, 12, 31, 22));
    expect(nextInActivityPeriod(period, at(2026, 12, 31, 23, 0))).toEqual(at(2026, 12, 31, 23, 0));
    const sunday = parseActivityPeriod('Sun 01:00-02:00') as ActivityPeriod;
    for (let d = 0; d < 7; d++) {
      const next = nextInActivityPeriod(sunday, at(2026, 3, 23 + d, 3))!;
      expect(next.getDay()).toBe(0);
      expect(next.getHours()).toBe(1);
      expect(next.getTime() - at(2026, 3, 23 + d, 3).getTime()).toBeLessThanOrEqual(7 * 24 * 3600_000);
    }
  });

  it('restore jobs and jobs without a storage are not started by the service', () => {
    expect(scheduleState(job({ kind: 'restore', restore: { from: 'a@b/Inbox' } }), MONDAY_NOON)).toEqual({ kind: 'not-scheduled', reason: 'manual' });
    const { storageId: _none, ...v1 } = job({ continuous: true });
    expect(scheduleState(v1, MONDAY_NOON)).toEqual({ kind: 'not-scheduled', reason: 'no-storage' });
  });

  it('lists the next due cycle per job, soonest first, leaving out running jobs and jobs it does not start', () => {
    const doc: Pick<StoreDocument, 'jobs'> = {
      jobs: [
        job({ id: 'j-night', activity: 'Mon-Fri 20:00-06:00' }),
        job({ id: 'j-now' }),
        job({ id: 'j-idle', continuous: true, idleTime: '00:30:00', cycles: [cycle(at(2026, 12, 7, 11, 45))] }),
        job({ id: 'j-running' }),
        job({ id: 'j-restore', kind: 'restore' }),
      ],
    };
    expect(nextDueCycles(doc, MONDAY_NOON, new Set(['j-running']))).toEqual([
      { jobId: 'j-now', at: MONDAY_NOON.toISOString() },
      { jobId: 'j-idle', at: at(2026, 12, 7, 12, 15).toISOString(), waitingFor: 'idle' },
      { jobId: 'j-night', at: at(2026, 12, 7, 20).toISOString(), waitingFor: 'activity-period' },
    ]);
  });
});

describe('the service-stopped alert', () => {
  const base: StoreDocument = { ...emptyDocument(), jobs: [job()] };

  it('is permanent while backup jobs exist and no service runs; not derived when the state was not read', () => {
    const stopped = deriveAlerts(base, MONDAY_NOON, { service: { running: false, lastSeen: '2026-12-07T10:00:00.000Z' } });
    expect(stopped).toEqual([
      expect.objectContaining({ id: 'service-stopped', category: 'service-stopped', severity: 'warning', permanent: true, createdAt: '2026-12-07T10:00:00.000Z' }),
    ]);
    expect(stopped[0]?.message).toBe(
      'The backup service is not running (last seen 2026-12-07 10:00 UTC): backup jobs do not start on their schedule. Start it (systemctl start backup-panel, or backup-panel service).',
    );
    expect(deriveAlerts(base, MONDAY_NOON, { service: { running: true } })).toEqual([]);
    expect(deriveAlerts(base, MONDAY_NOON)).toEqual([]);
  });

  it('needs a backup job the service would run, and goes with its category muted', () => {
    const none = { running: false } as const;
    expect(deriveAlerts({ ...base, jobs: [] }, MONDAY_NOON, { service: none })).toEqual([]);
    expect(deriveAlerts({ ...base, jobs: [job({ kind: 'restore' })] }, MONDAY_NOON, { service: none })).toEqual([]);
    const { storageId: _none, ...v1 } = job();
    expect(deriveAlerts({ ...base, jobs: [v1] }, MONDAY_NOON, { service: none })).toEqual([]);
    expect(deriveAlerts(base, MONDAY_NOON, { service: none })[0]).toMatchObject({ createdAt: MONDAY_NOON.toISOString() });
    const muted = { ...base, notifications: { muted: ['service-stopped'] } };
    expect(deriveAlerts(muted, MONDAY_NOON, { service: none })).toEqual([]);
    expect(deriveAlerts(muted, MONDAY_NOON, { service: none, includeMuted: true })).toHaveLength(1);
  });
});
