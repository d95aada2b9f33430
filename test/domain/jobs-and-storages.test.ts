import { describe, expect, it } from 'vitest';
import { CYCLE_HISTORY_LIMIT, CYCLE_ERRORS_KEPT, emptyDocument, parseActivityPeriod, parseIdleTime, StoreDocument, withCycle, withinActivityPeriod, type ActivityPeriod, type CycleRecord } from '../../src/domain/index.js';

const cycle = (n: number, errors = 0): CycleRecord => ({
  result: errors ? 'warning' : 'succeeded',
  startedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  endedAt: new Date(Date.UTC(2026, 0, 1, 0, n, 30)).toISOString(),
  scanned: n,
  backedUp: n,
  removed: 0,
  restored: 0,
  bytes: 0,
  errors: Array.from({ length: errors }, (_, i) => ({ source: 'a@contoso.com', message: `e${i}` })),
});

describe('job rules', () => {
  it('reads idle times and activity periods, including one past midnight', () => {
    expect(parseIdleTime('00:01:00')).toBe(60);
    expect(parseIdleTime('1:00')).toBeUndefined();
    const period = parseActivityPeriod('Mon-Fri 20:00-06:00') as ActivityPeriod;
    expect('error' in period).toBe(false);
    expect(withinActivityPeriod(period, new Date(2026, 11, 7, 21, 0))).toBe(true); // Monday evening
    expect(withinActivityPeriod(period, new Date(2026, 11, 8, 5, 59))).toBe(true); // Tuesday early, Monday's period
    expect(withinActivityPeriod(period, new Date(2026, 11, 7, 5, 0))).toBe(false); // Monday early = Sunday's period
    expect(withinActivityPeriod(period, new Date(2026, 11, 8, 12, 0))).toBe(false);
    expect('error' in parseActivityPeriod('sometimes')).toBe(true);
  });

  it('keeps a bounded history, newest first, with a capped error list', () => {
    let history: CycleRecord[] = [];
    for (let n = 0; n < CYCLE_HISTORY_LIMIT + 5; n++) history = withCycle(history, cycle(n, n === CYCLE_HISTORY_LIMIT + 4 ? 12 : 0));
    expect(history).toHaveLength(CYCLE_HISTORY_LIMIT);
    expect(history[0]?.scanned).toBe(CYCLE_HISTORY_LIMIT + 4);
    expect(history[0]?.errors).toHaveLength(CYCLE_ERRORS_KEPT);
    expect(history[0]?.errorCount).toBe(12);
  });

  it('accepts documents without storages and refuses a job pointing at a missing storage', () => {
    const doc = { ...emptyDocument(), storages: undefined };
    expect(StoreDocument.safeParse(doc).success).toBe(true);
    const bad = {
      ...emptyDocument(),
      connections: [],
      jobs: [{ id: 'j-1', name: 'x', kind: 'backup', connectionId: 'c-1', storageId: 's-9' }],
    };
    const issues = StoreDocument.safeParse(bad).error?.issues.map((i) => i.message) ?? [];
    expect(issues).toContain("no storage with id 's-9'");
  });
});
