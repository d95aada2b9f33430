import { Secret, type SealedSecret, type StoreDocument } from '../../../src/domain/index.js';
import type { AuditActor, Edit, Store, StoreChange, UpdateOptions } from '../../../src/store/api.js';
import type { AuditEntry } from '../../../src/store/audit-log.js';
import type { AuditRecord } from '../../../src/store/audit-read.js';
import { StoreError } from '../../../src/store/api.js';

export const SEALED_STUB: SealedSecret = { $enc: 'v1', kid: '0123456789abcdef', iv: 'AAAA', ct: 'AAAA', tag: 'AAAA' };

/**
 * An in-memory Store for unit tests of the app's parts and for the benchmark (10,000 rows). Screen
 * tests use the real store on a temp file instead.
 */
export class MemoryStore implements Store {
  readonly path: string;
  readOnly: boolean;
  readOnlyReason: string | undefined;
  #doc: StoreDocument;
  readonly #listeners = new Set<(change: StoreChange) => void>();
  /** The audit log: one entry per update, as the file store writes them; tests may push more. */
  readonly audit: AuditRecord[] = [];
  actor: AuditActor = { uid: 1000, user: 'admin', pid: 4242, host: 'backup01' };

  constructor(doc: StoreDocument, options: { path?: string; readOnly?: boolean } = {}) {
    this.#doc = doc;
    this.path = options.path ?? '/memory/store.json';
    this.readOnly = options.readOnly ?? false;
    this.readOnlyReason = this.readOnly ? 'opened with --read-only' : undefined;
  }

  current(): StoreDocument {
    return this.#doc;
  }

  async update<T>(edit: Edit<T>, options: UpdateOptions = {}): Promise<T> {
    if (this.readOnly) throw new StoreError('read-only', 'The store is open read-only.');
    if (options.expectRevision !== undefined && options.expectRevision !== this.#doc.revision) {
      throw new StoreError('conflict', 'Another session saved the store since this was loaded.');
    }
    const draft = structuredClone(this.#doc);
    const outcome = edit(draft, { seal: () => SEALED_STUB, now: new Date() });
    if (outcome === 'unchanged') return undefined as T;
    const revision = this.#doc.revision + 1;
    const entry: AuditEntry = {
      id: revision.toString(16).padStart(16, '0'),
      ts: new Date().toISOString(),
      action: outcome.change.action,
      entity: outcome.change.entity ?? null,
      fields: outcome.change.fields ?? [],
      details: outcome.change.details ?? {},
      revisionBefore: this.#doc.revision,
      revisionAfter: revision,
      actor: this.actor,
    };
    this.audit.push(entry);
    this.#set({ ...draft, revision }, false);
    return outcome.result;
  }

  /** Another session's save; `notify: false` is a save this process has not polled yet. */
  external(change: (draft: StoreDocument) => void, options: { notify?: boolean } = {}): void {
    const draft = structuredClone(this.#doc);
    change(draft);
    const next = { ...draft, revision: this.#doc.revision + 1 };
    if (options.notify === false) this.#doc = next;
    else this.#set(next, true);
  }

  async reload(): Promise<boolean> {
    return false;
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async *auditLog(options: { readonly newestFirst?: boolean } = {}): AsyncIterable<AuditRecord> {
    yield* options.newestFirst ? [...this.audit].reverse() : this.audit;
  }

  reveal(): Secret {
    return new Secret('not-a-real-password');
  }

  async close(): Promise<void> {}

  #set(doc: StoreDocument, external: boolean): void {
    this.#doc = doc;
    for (const listener of this.#listeners) listener({ document: doc, external });
  }
}
