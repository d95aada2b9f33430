import { displayText } from '../domain/display-text.js';

/** Edit distance (insert, delete, substitute, swap two neighbours), for "did you mean". */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The candidate a typo most likely meant: a prefix of it, or within a third of its length in edits. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  if (typed.length >= 2) {
    const prefixed = candidates.filter((c) => c.startsWith(typed));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = distance(typed, name);
    if (d <= Math.max(1, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** The one line for a command the program does not have (contracts §7: bad input, exit 2). */
export function unknownCommandLine(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  const hint = match ? ` (did you mean '${match}'?)` : '';
  return `unknown command '${displayText(word, { maxLength: 40 })}'${hint}; see 'backup-panel --help' for the commands`;
}
