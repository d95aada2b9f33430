import * as z from 'zod';
import { EventAlert, NotificationSettings } from './alert.js';
import { Connection } from './connection.js';
import { Job } from './job.js';
import { IsoInstant } from './primitives.js';
import { Storage } from './storage.js';

/** The schema version this build reads and writes. Version 1 is the pre-Modern-Auth release. */
export const CURRENT_SCHEMA_VERSION = 2;

const DocumentShape = z.looseObject({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  /** Incremented by every save; a save based on an older revision is a conflict. */
  revision: z.number().int().nonnegative(),
  updatedAt: IsoInstant.optional(),
  connections: z.array(Connection),
  jobs: z.array(Job),
  /** Added with the backup engine; older files have none. */
  storages: z.array(Storage).optional(),
  alerts: z.array(EventAlert),
  notifications: NotificationSettings,
});

type DocumentValue = z.infer<typeof DocumentShape>;

/** The cross-record rules a hand edit could break: unique ids, jobs pointing at connections. */
function crossRecordRules(doc: DocumentValue, ctx: z.RefinementCtx): void {
  const connectionIds = new Set<string>();
  doc.connections.forEach((c, i) => {
    if (connectionIds.has(c.id)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'id'], message: `duplicate connection id '${c.id}'` });
    connectionIds.add(c.id);
  });
  const storageIds = new Set<string>();
  (doc.storages ?? []).forEach((s, i) => {
    if (storageIds.has(s.id)) ctx.addIssue({ code: 'custom', path: ['storages', i, 'id'], message: `duplicate storage id '${s.id}'` });
    storageIds.add(s.id);
  });
  const jobIds = new Set<string>();
  doc.jobs.forEach((j, i) => {
    if (jobIds.has(j.id)) ctx.addIssue({ code: 'custom', path: ['jobs', i, 'id'], message: `duplicate job id '${j.id}'` });
    jobIds.add(j.id);
    if (!connectionIds.has(j.connectionId)) {
      ctx.addIssue({ code: 'custom', path: ['jobs', i, 'connectionId'], message: `no connection with id '${j.connectionId}'` });
    }
    if (j.storageId !== undefined && !storageIds.has(j.storageId)) {
      ctx.addIssue({ code: 'custom', path: ['jobs', i, 'storageId'], message: `no storage with id '${j.storageId}'` });
    }
  });
  const alertIds = new Set<string>();
  doc.alerts.forEach((a, i) => {
    if (alertIds.has(a.id)) ctx.addIssue({ code: 'custom', path: ['alerts', i, 'id'], message: `duplicate alert id '${a.id}'` });
    alertIds.add(a.id);
  });
}

/** The store document (current version), with the cross-record rules. */
export const StoreDocument = DocumentShape.superRefine(crossRecordRules);
export type StoreDocument = z.infer<typeof StoreDocument>;

export function emptyDocument(): StoreDocument {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, revision: 0, connections: [], jobs: [], storages: [], alerts: [], notifications: { muted: [] } };
}

type Section = Exclude<keyof typeof DocumentShape.shape, 'schemaVersion' | 'revision' | 'updatedAt'>;
const SECTIONS: readonly Section[] = ['connections', 'jobs', 'storages', 'alerts', 'notifications'];
const trusting = new Map<string, typeof StoreDocument>();

/**
 * The document schema, except that the named root sections are taken as they are: for a save,
 * whose untouched sections are the validated document's own values. Re-checking 30,000 records
 * nobody changed was most of a save's time. The cross-record rules still see every section.
 */
export function storeDocumentTrusting(sections: Iterable<string>): typeof StoreDocument {
  const trusted = SECTIONS.filter((s) => new Set(sections).has(s));
  if (trusted.length === 0) return StoreDocument;
  const key = trusted.join(',');
  let schema = trusting.get(key);
  if (!schema) {
    const asIs = Object.fromEntries(trusted.map((s) => [s, z.custom()]));
    // The trusted sections hold values of the real schema's output type, so the output type is the same.
    schema = DocumentShape.extend(asIs).superRefine((doc, ctx) => crossRecordRules(doc as DocumentValue, ctx)) as unknown as typeof StoreDocument;
    trusting.set(key, schema);
  }
  return schema;
}

/** The storages of a document (files written before the engine have none). */
export function storagesOf(doc: Pick<StoreDocument, 'storages'>): readonly Storage[] {
  return doc.storages ?? [];
}
