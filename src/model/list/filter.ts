/**
 * The `/` filter over a list's items: what matches, computed once per items array and filter text.
 * The lowercased text of each item is made once per items array (a new document, a new listing),
 * so typing into the filter of 20,000 jobs scans strings and builds nothing per key; moving the
 * cursor does no filtering at all.
 */

interface Memo<T> {
  readonly haystacks: readonly string[];
  text: string;
  result: readonly T[];
}

const memos = new WeakMap<readonly unknown[], Memo<unknown>>();

function memoOf<T>(items: readonly T[], haystack: (item: T) => string): Memo<T> {
  let memo = memos.get(items) as Memo<T> | undefined;
  if (!memo) {
    memo = { haystacks: items.map((item) => haystack(item).toLowerCase()), text: '', result: items };
    memos.set(items, memo as Memo<unknown>);
  }
  return memo;
}

/** Makes the lowercased texts now (with a new document), so that the first key typed into the filter builds nothing. */
export function prepareFilter<T>(items: readonly T[], haystack: (item: T) => string): void {
  memoOf(items, haystack);
}

export function filterItems<T>(items: readonly T[], text: string, haystack: (item: T) => string): readonly T[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return items;
  const memo = memoOf(items, haystack);
  if (memo.text !== needle) {
    const { haystacks } = memo;
    memo.result = items.filter((_item, i) => haystacks[i]?.includes(needle));
    memo.text = needle;
  }
  return memo.result;
}
