/** The folder tree as the user sees it: parents before children, every folder reachable. */

interface TreeNode {
  readonly id: string;
  parentId: string | null;
}

/**
 * Orders folders parents first. A folder whose parent is unknown, or that is its own ancestor (a
 * source can report moves in any order), is put at the top level rather than lost.
 */
export function orderFolders<T extends TreeNode>(nodes: readonly T[]): T[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string | null, T[]>();
  for (const node of nodes) {
    if (node.parentId !== null && (!byId.has(node.parentId) || node.parentId === node.id)) node.parentId = null;
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  const ordered: T[] = [];
  const placed = new Set<string>();
  const visit = (parent: string | null) => {
    for (const child of children.get(parent) ?? []) {
      if (placed.has(child.id)) continue;
      placed.add(child.id);
      ordered.push(child);
      visit(child.id);
    }
  };
  visit(null);
  // What is left is in a cycle: cut it at one folder and place the rest under it.
  for (const node of nodes) {
    if (placed.has(node.id)) continue;
    node.parentId = null;
    placed.add(node.id);
    ordered.push(node);
    visit(node.id);
  }
  return ordered;
}
