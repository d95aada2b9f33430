import type { StoreDocument } from '../domain/index.js';

/** Deep copy of parsed JSON. Several times faster than structuredClone on 30,000 small records. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = cloneJson(value[i]);
    return copy as T;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = cloneJson((value as Record<string, unknown>)[key]);
      // Plain assignment of "__proto__" would set the prototype instead of copying the key.
      if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
      else copy[key] = item;
    }
    return copy as T;
  }
  return value;
}

export interface LazyDraft {
  /** What the edit changes: looks and behaves like a deep copy of the base document. */
  readonly draft: StoreDocument;
  /**
   * Ends the edit: root sections the edit never touched become the base's own (unchanged)
   * values again, and their names are returned as `untouched`.
   */
  settle(): { readonly untouched: ReadonlySet<string> };
}

/**
 * A private copy of the document for an edit, copied per root section on first access. Most
 * edits touch one section (muting a category touches `notifications` only), so saving a store
 * with 10,000 connections does not copy them all; untouched sections also keep their cached
 * serialisation.
 */
export function lazyDraft(base: StoreDocument): LazyDraft {
  const draft: Record<string, unknown> = {};
  const source = base as unknown as Record<string, unknown>;
  const define = (key: string, value: unknown) => Object.defineProperty(draft, key, { value, writable: true, enumerable: true, configurable: true });
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === null || typeof value !== 'object') {
      define(key, value);
      continue;
    }
    Object.defineProperty(draft, key, {
      enumerable: true,
      configurable: true,
      get() {
        const copy = cloneJson(value);
        define(key, copy);
        return copy;
      },
      set(next: unknown) {
        define(key, next);
      },
    });
  }
  return {
    draft: draft as unknown as StoreDocument,
    settle() {
      const untouched = new Set<string>();
      for (const key of Object.keys(draft)) {
        const descriptor = Object.getOwnPropertyDescriptor(draft, key);
        if (descriptor?.get) {
          define(key, source[key]);
          untouched.add(key);
        }
      }
      return { untouched };
    },
  };
}
