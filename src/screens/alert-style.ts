import type { Alert } from '../domain/index.js';
import type { Theme } from '../theme/index.js';

export function alertGlyph(alert: Pick<Alert, 'severity'>, theme: Theme): { glyph: string; color: string | undefined } {
  return alert.severity === 'error' ? { glyph: theme.glyphs.fail, color: theme.status.error } : { glyph: theme.glyphs.warn, color: theme.status.warning };
}

export function alertCounts(permanent: number, events: number, separator: string): string {
  return `${permanent} permanent${separator}${events} ${events === 1 ? 'event' : 'events'}`;
}
