/**
 * Item pages (DESIGN.md, "Item pages"): a folder's items sorted by id, cut after every item whose
 * id hashes to 0 mod PAGE_BOUNDARY (so an insertion changes one page, not its neighbours' edges),
 * at most PAGE_MAX items each. Compact JSON arrays inside a sealed `p` object.
 */
import { StorageError } from './api.js';
import type { ContentRef, ItemEntry, ItemKind, ItemVersion } from './api.js';

export const PAGE_BOUNDARY = 512;
export const PAGE_MAX = 4096;

/** What a folder keeps of each page: enough to find an item, count and expire without reading it. */
export interface PageRef {
  /** The first item id in the page. */
  readonly first: string;
  /** The page object's id (hex). */
  readonly id: string;
  readonly n: number;
  readonly bytes: number;
  readonly deleted: number;
  /** The earliest deletion or replacement in the page (ISO), when it has one: prune reads only due pages. */
  readonly expiry: string | null;
}

export type PageSummary = Omit<PageRef, 'first' | 'id'>;

/** FNV-1a over UTF-16 code units: stable, cheap; pages are sealed, so it needs no key. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function isBoundary(itemId: string): boolean {
  return fnv1a(itemId) % PAGE_BOUNDARY === 0;
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits sorted items into pages. */
export function splitPages(items: readonly ItemEntry[]): ItemEntry[][] {
  const pages: ItemEntry[][] = [];
  let page: ItemEntry[] = [];
  for (const item of items) {
    page.push(item);
    if (isBoundary(item.id) || page.length >= PAGE_MAX) {
      pages.push(page);
      page = [];
    }
  }
  if (page.length) pages.push(page);
  return pages;
}

/** Bytes an item holds at the source: its content and its kept versions. */
export function itemBytes(item: ItemEntry): number {
  return item.size + (item.versions?.reduce((sum, v) => sum + v.content.size, 0) ?? 0);
}

/** When the item's oldest deletion or replacement happened, if it has one. */
export function itemExpiry(item: ItemEntry): string | null {
  let earliest: string | null = item.deletedAt ?? null;
  for (const v of item.versions ?? []) if (earliest === null || v.replacedAt < earliest) earliest = v.replacedAt;
  return earliest;
}

export function summarise(items: Iterable<ItemEntry>): PageSummary {
  let n = 0;
  let bytes = 0;
  let deleted = 0;
  let expiry: string | null = null;
  for (const item of items) {
    n++;
    bytes += itemBytes(item);
    if (item.deletedAt) deleted++;
    const e = itemExpiry(item);
    if (e !== null && (expiry === null || e < expiry)) expiry = e;
  }
  return { n, bytes, deleted, expiry };
}

type Extra = Readonly<Record<string, string | number | boolean | null>>;
type EncodedVersion = [string, number, string, string];
type EncodedItem = [string, string, string | null, string, ItemKind, string, number, Extra | null, string | null, EncodedVersion[] | null];

function encodeItem(item: ItemEntry): EncodedItem {
  const versions = item.versions?.length ? item.versions.map((v): EncodedVersion => [v.content.id, v.content.size, v.date, v.replacedAt]) : null;
  return [item.id, item.name, item.title ?? null, item.date, item.kind, item.content.id, item.content.size, item.extra ?? null, item.deletedAt ?? null, versions];
}

function decodeItem(e: EncodedItem): ItemEntry {
  const [id, name, title, date, kind, contentId, size, extra, deletedAt, versions] = e;
  const content: ContentRef = { id: contentId, size };
  const item: { -readonly [K in keyof ItemEntry]: ItemEntry[K] } = { id, name, date, kind, content, size };
  if (title !== null) item.title = title;
  if (extra !== null) item.extra = extra;
  if (deletedAt !== null) item.deletedAt = deletedAt;
  if (versions !== null) item.versions = versions.map(([vid, vsize, vdate, replacedAt]): ItemVersion => ({ content: { id: vid, size: vsize }, date: vdate, replacedAt }));
  return item;
}

export function encodePage(items: readonly ItemEntry[]): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, items: items.map(encodeItem) }));
}

export function decodePage(plain: Buffer, where: string): ItemEntry[] {
  try {
    const parsed = JSON.parse(plain.toString('utf8')) as { v?: unknown; items?: unknown };
    if (parsed.v !== 1 || !Array.isArray(parsed.items)) throw new Error('shape');
    return (parsed.items as EncodedItem[]).map(decodeItem);
  } catch {
    throw new StorageError('damaged', `${where} is not a valid page of items`);
  }
}
