/**
 * A point in time as an admin types it to filter a log (`audit list --since`, the Audit view's
 * filter): a date (YYYY-MM-DD, from midnight UTC), an ISO date and time, or an age such as `30m`,
 * `12h`, `7d`, `2w` before `now`. One rule, so the CLI and the panel read the same value the same way.
 */
export type SinceParse = { readonly since: Date } | { readonly problem: string };

const AGE = /^(\d{1,6})\s*(m|min|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseSince(value: string, now: Date): SinceParse {
  const v = value.trim();
  const age = AGE.exec(v);
  if (age) return { since: new Date(now.getTime() - Number(age[1]) * (UNIT_MS[age[2]!.toLowerCase()] ?? 0)) };
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const at = Date.parse(`${v}T00:00:00Z`);
    if (!Number.isNaN(at)) return { since: new Date(at) };
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const at = Date.parse(v);
    if (!Number.isNaN(at)) return { since: new Date(at) };
  }
  return { problem: 'Write the time as YYYY-MM-DD, an ISO date and time (2026-12-03T09:00:00Z), or an age such as 30m, 12h, 7d.' };
}
