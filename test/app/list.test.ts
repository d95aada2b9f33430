import fc from 'fast-check';
import { expect, it } from 'vitest';
import { keepVisible, moveTo } from '../../src/model/state/list.js';

it('keeps the cursor inside the window and the window inside the list (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 60 }), fc.array(fc.integer({ min: -50, max: 20_050 }), { maxLength: 30 }), (count, visible, targets) => {
      let list = { cursor: 0, offset: 0 };
      for (const target of targets) {
        list = moveTo(list, target, count, visible);
        if (count > 0) {
          expect(list.cursor).toBeGreaterThanOrEqual(0);
          expect(list.cursor).toBeLessThan(count);
          expect(list.cursor).toBeGreaterThanOrEqual(list.offset);
          expect(list.cursor).toBeLessThan(list.offset + visible);
        }
        expect(list.offset).toBeGreaterThanOrEqual(0);
        expect(list.offset).toBeLessThanOrEqual(Math.max(0, count - visible));
      }
    }),
  );
});

it('scrolls as little as possible', () => {
  expect(keepVisible(5, 0, 10, 100)).toBe(0);
  expect(keepVisible(10, 0, 10, 100)).toBe(1);
  expect(keepVisible(3, 5, 10, 100)).toBe(3);
});
