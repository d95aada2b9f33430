import fc from 'fast-check';
import { expect, it } from 'vitest';
import { columnWidths } from '../../src/components/table/columns.js';

it('column widths fill the row exactly, fixed columns keep their width (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 60, max: 300 }), (total) => {
      const widths = columnWidths([{ title: 'Type', width: 10 }, { title: 'Name', grow: 1 }, { title: 'Location', width: 13 }, { title: 'Auth', width: 19 }], total);
      expect(widths[0]).toBe(10);
      expect(widths[2]).toBe(13);
      expect(widths.reduce((a, b) => a + b, 0) + widths.length - 1).toBe(total);
    }),
  );
});
