/**
 * The store file is `JSON.stringify(doc, null, 2)` (human-readable, diff-friendly), built per root
 * section so that sections an edit did not touch reuse their encoded bytes from the last save:
 * stringifying and UTF-8-encoding 10,000 connections and 20,000 jobs on every save would cost half
 * of the save budget. The cache is keyed by the section object; validated documents are never
 * mutated (edits work on copies).
 */
const sectionBytes = new WeakMap<object, { readonly key: string; readonly bytes: Buffer }>();

const OPEN = Buffer.from('{\n');
const SEPARATOR = Buffer.from(',\n');
const CLOSE = Buffer.from('\n}\n');

function sectionFor(key: string, value: unknown): Buffer {
  const cacheable = value !== null && typeof value === 'object';
  if (cacheable) {
    const cached = sectionBytes.get(value);
    if (cached && cached.key === key) return cached.bytes;
  }
  // `{\n  "key": value\n}` is indented exactly as inside the whole document; keep the middle.
  const wrapped = JSON.stringify({ [key]: value }, null, 2);
  const bytes = Buffer.from(wrapped.slice(2, -2), 'utf8');
  if (cacheable) sectionBytes.set(value, { key, bytes });
  return bytes;
}

/** The bytes of `JSON.stringify(doc, null, 2) + '\n'`. */
export function serializeDocument(doc: object): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined || typeof value === 'function') continue;
    if (parts.length > 0) parts.push(SEPARATOR);
    parts.push(sectionFor(key, value));
  }
  if (parts.length === 0) return Buffer.from('{}\n');
  return Buffer.concat([OPEN, ...parts, CLOSE]);
}

/** `to` has the same content as `from` (a validated copy of an untouched section): share its bytes. */
export function shareSerialization(from: unknown, to: unknown): void {
  if (from === null || typeof from !== 'object' || to === null || typeof to !== 'object') return;
  const cached = sectionBytes.get(from);
  if (cached) sectionBytes.set(to, cached);
}

/** Bytes per root section as saved (cached sections cost nothing), for naming what grew. */
export function sectionSizes(doc: object): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined || typeof value === 'function') continue;
    sizes.set(key, sectionFor(key, value).length);
  }
  return sizes;
}
