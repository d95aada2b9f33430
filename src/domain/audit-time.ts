/** When a change was made, as `audit list` and the panel's Audit view both show it: `2026-11-20 10:00:00Z` (UTC). */
export function auditTime(at: string): string {
  return `${at.slice(0, 19).replace('T', ' ')}Z`;
}
