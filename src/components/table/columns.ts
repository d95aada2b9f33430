export interface ColumnSpec {
  readonly title: string;
  /** Fixed width in cells; the flexible columns share what is left. */
  readonly width?: number;
  /** Share of the remaining width for flexible columns. */
  readonly grow?: number;
  readonly min?: number;
}

/** Widths for `columns` across `total` cells, with one space between columns. */
export function columnWidths(columns: readonly ColumnSpec[], total: number): number[] {
  const gaps = Math.max(0, columns.length - 1);
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const growTotal = columns.reduce((sum, c) => sum + (c.width === undefined ? (c.grow ?? 1) : 0), 0);
  const room = Math.max(0, total - fixed - gaps);
  let given = 0;
  const flexIndexes = columns.flatMap((c, i) => (c.width === undefined ? [i] : []));
  const widths = columns.map((c) => {
    if (c.width !== undefined) return c.width;
    const w = Math.max(c.min ?? 1, Math.floor((room * (c.grow ?? 1)) / Math.max(1, growTotal)));
    given += w;
    return w;
  });
  // Rounding leftovers go to the last flexible column, so the row fills the width exactly.
  const last = flexIndexes[flexIndexes.length - 1];
  if (last !== undefined) widths[last] = Math.max(1, (widths[last] ?? 0) + room - given);
  return widths;
}
