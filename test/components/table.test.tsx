import { render } from 'ink-testing-library';
import { afterEach, expect, it } from 'vitest';
import { cleanup } from '../app/helpers/render.js';
import { createTheme, ThemeProvider } from '../../src/theme/index.js';
import { Table, type Segment } from '../../src/components/table/Table.js';

afterEach(() => cleanup());

interface Item {
  readonly id: string;
  readonly name: string;
}

const items: Item[] = Array.from({ length: 10_000 }, (_, i) => ({ id: `c-${i}`, name: `connection ${i}` }));

it('renders only the visible rows of 10,000, and a cursor move re-renders only the rows it touches', () => {
  const rendered: string[] = [];
  // Stable across renders, as the screens memoise it.
  const renderRow = (item: Item): Segment[] => {
    rendered.push(item.id);
    return [{ text: item.name }];
  };
  const theme = createTheme({ color: false, ascii: true });
  const tree = (cursor: number, offset: number) => (
    <ThemeProvider value={theme}>
      <Table items={items} offset={offset} cursor={cursor} rows={15} width={60} header="Name" renderRow={renderRow} keyOf={(i) => i.id} empty="none" />
    </ThemeProvider>
  );
  const view = render(tree(0, 0));
  expect(rendered).toHaveLength(15);
  const frame = view.lastFrame() ?? '';
  expect(frame).toContain('> connection 0');
  expect(frame).toContain('connection 14');
  expect(frame).not.toContain('connection 15');

  rendered.length = 0;
  view.rerender(tree(1, 0));
  expect(rendered.sort()).toEqual(['c-0', 'c-1']);

  // Scrolling by one row: the row that comes into view and the two whose selection changed.
  rendered.length = 0;
  view.rerender(tree(15, 1));
  expect(rendered.length).toBeLessThanOrEqual(3);
  expect(view.lastFrame()).toContain('> connection 15');
  expect(view.lastFrame()).not.toContain('connection 0\n');
});
