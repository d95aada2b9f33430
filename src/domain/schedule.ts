/**
 * Job continuity and activity periods in the reference product's words (product.md §7): a
 * continuous job waits an idle time (hh:mm:ss, default 1 minute) after each cycle; an activity
 * period such as "Mon-Fri 20:00-06:00" says when its cycles may start. Pure: `now` is passed in.
 */

export const DEFAULT_IDLE_TIME = '00:01:00';
const IDLE = /^(\d{2}):([0-5]\d):([0-5]\d)$/;

/** Idle time in seconds, or undefined when the text is not hh:mm:ss. */
export function parseIdleTime(text: string): number | undefined {
  const m = IDLE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface ActivityPeriod {
  /** Days a period may start on (0 = Sunday). */
  readonly days: ReadonlySet<number>;
  /** Minutes after midnight; an end at or before the start runs past midnight. */
  readonly startMinute: number;
  readonly endMinute: number;
}

function dayIndex(text: string): number | undefined {
  const i = DAYS.indexOf(text.slice(0, 3).toLowerCase() as (typeof DAYS)[number]);
  return i < 0 ? undefined : i;
}

function minuteOf(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/**
 * Reads "Mon-Fri 20:00-06:00", "Sat,Sun 00:00-23:59", "Daily 22:00-04:00". Returns a reason
 * in words when it cannot.
 */
export function parseActivityPeriod(text: string): ActivityPeriod | { readonly error: string } {
  const parts = text.trim().split(/\s+/);
  const fail = { error: `'${text.slice(0, 60)}' is not an activity period; write days and hours such as "Mon-Fri 20:00-06:00" or "Daily 22:00-04:00"` };
  if (parts.length !== 2) return fail;
  const [dayText = '', hourText = ''] = parts;
  const days = new Set<number>();
  if (/^(daily|every ?day)$/i.test(dayText)) for (let d = 0; d < 7; d++) days.add(d);
  else {
    for (const piece of dayText.split(',')) {
      const [from, to] = piece.split('-');
      const a = from ? dayIndex(from) : undefined;
      const b = to === undefined ? a : dayIndex(to);
      if (a === undefined || b === undefined) return fail;
      for (let d = a; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === b) break;
      }
    }
  }
  const [startText, endText] = hourText.split('-');
  const startMinute = startText ? minuteOf(startText) : undefined;
  const endMinute = endText ? minuteOf(endText) : undefined;
  if (startMinute === undefined || endMinute === undefined) return fail;
  return { days, startMinute, endMinute };
}

/** Whether a cycle may start at `now` (local time of the server). */
export function withinActivityPeriod(period: ActivityPeriod, now: Date): boolean {
  const minute = now.getHours() * 60 + now.getMinutes();
  const today = now.getDay();
  if (period.startMinute < period.endMinute) return period.days.has(today) && minute >= period.startMinute && minute < period.endMinute;
  // Past midnight: the evening part belongs to today, the morning part to the day before.
  if (minute >= period.startMinute) return period.days.has(today);
  return minute < period.endMinute && period.days.has((today + 6) % 7);
}
