import { describe, expect, it } from 'vitest';
import { createTheme } from '../../src/theme/index.js';
import { deriveAlerts } from '../../src/domain/index.js';
import { badNewsLines } from '../../src/screens/Dashboard.js';
import { manyConnections, migratedFixture } from '../app/helpers/documents.js';

const theme = createTheme({ color: false, ascii: false });
const now = new Date('2026-11-20T10:00:00Z');

describe('the Bad news card', () => {
  it('shows every alert in full when there is room', () => {
    const lines = badNewsLines(deriveAlerts(migratedFixture(), now), 116, 30, theme);
    expect(lines.filter((l) => /^[!✗] /.test(l.text))).toHaveLength(4);
    expect(lines.some((l) => l.text.startsWith('+'))).toBe(false);
  });

  it('with 3,334 obsolete connections stays within its lines: the first alert in full, a count of the rest', () => {
    const alerts = deriveAlerts(manyConnections(10_000), now);
    expect(alerts).toHaveLength(3334);
    const lines = badNewsLines(alerts, 76, 8, theme);
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(lines.slice(0, 3).map((l) => l.text).join(' ').replace(/\s+/g, ' ')).toContain("Server connection 'admin0@tenant0.onmicrosoft.com' needs to be reconfigured to use Modern Authentication");
    expect(lines.at(-1)?.text).toMatch(/^\+\d+ more: Enter opens Bad news$/);
  });

  it('says so when nothing needs attention', () => {
    expect(badNewsLines([], 76, 8, theme)).toEqual([{ text: 'Nothing needs attention.', color: undefined }]);
  });
});
