import type { CycleProgress } from '../services/cycles.js';
import { safeText } from '../text/safe-text.js';

/** Figures as the Jobs, Storages and Browse screens write them: sizes, durations, times, progress. */

export function size(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function duration(startedAt: string, endedAt: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** `2026-11-20 10:05` (UTC, as the store keeps it). */
export function when(iso: string | undefined): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}

/** One line for a running cycle: sources, items, size, rate, and the source being read. */
export function progressText(p: CycleProgress | undefined, separator: string): string {
  if (!p) return 'starting';
  const parts = [`${p.sourcesDone}/${p.sourcesTotal} sources`, `${p.items} items`, size(p.bytes), `${p.rate}/s`];
  if (p.errors) parts.push(`${p.errors} errors`);
  if (p.current) parts.push(safeText(p.current));
  return parts.join(separator);
}

/** Short, for a table cell: items and rate. */
export function progressShort(p: CycleProgress | undefined): string {
  return p ? `${p.items} items ${p.rate}/s` : 'starting';
}
