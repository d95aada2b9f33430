import { cellWidth } from '../../text/cells.js';

export interface TabText {
  readonly key: string;
  readonly label: string;
  /** A shorter name for narrow terminals (the label's first four characters if not given). */
  readonly short?: string | undefined;
  readonly active: boolean;
}

export interface FittedTabs {
  /** Whether the program name still fits before the tabs. */
  readonly showName: boolean;
  /** Each tab's text, without the padding around it. */
  readonly labels: readonly string[];
}

const shortOf = (tab: TabText) => tab.short ?? Array.from(tab.label).slice(0, 4).join('');

/** A tab is drawn as ` 1 Label ` (or `[1 Label]` when active without reverse video): 3 cells around it. */
const drawnWidth = (labels: readonly string[]) => labels.reduce((sum, label) => sum + cellWidth(label) + 2, 0);

/**
 * The tab texts that fit in `width` next to `name`: full names, then short ones for the inactive
 * tabs, then those without the program name, then short ones for all. Every tab keeps a name: a bare digit tells a
 * newcomer nothing.
 */
export function fitTabs(tabs: readonly TabText[], width: number, name: string): FittedTabs {
  const full = tabs.map((t) => `${t.key} ${t.label}`);
  const mixed = tabs.map((t) => `${t.key} ${t.active ? t.label : shortOf(t)}`);
  const short = tabs.map((t) => `${t.key} ${shortOf(t)}`);
  const nameWidth = cellWidth(name);
  for (const labels of [full, mixed]) if (nameWidth + drawnWidth(labels) <= width) return { showName: true, labels };
  // The tab you are on keeps its whole name before the program's name does.
  if (drawnWidth(mixed) <= width) return { showName: false, labels: mixed };
  return { showName: nameWidth + drawnWidth(short) <= width, labels: short };
}
