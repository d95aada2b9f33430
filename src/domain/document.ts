import * as z from 'zod';
import { EventAlert, NotificationSettings } from './alert.js';
import { Connection } from './connection.js';
import { Job } from './job.js';
import { IsoInstant } from './primitives.js';

/** The schema version this build reads and writes. Version 1 is the pre-Modern-Auth release. */
export const CURRENT_SCHEMA_VERSION = 2;

const DocumentShape = z.looseObject({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  /** Incremented by every save; a save based on an older revision is a conflict. */
  revision: z.number().int().nonnegative(),
  updatedAt: IsoInstant.optional(),
  connections: z.array(Connection),
  jobs: z.array(Job),
  alerts: z.array(EventAlert),
  notifications: NotificationSettings,
});

/** The store document (current version), with the cross-record rules a hand edit could break. */
export const StoreDocument = DocumentShape.superRefine((doc, ctx) => {
  const connectionIds = new Set<string>();
  doc.connections.forEach((c, i) => {
    if (connectionIds.has(c.id)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'id'], message: `duplicate connection id '${c.id}'` });
    connectionIds.add(c.id);
  });
  const jobIds = new Set<string>();
  doc.jobs.forEach((j, i) => {
    if (jobIds.has(j.id)) ctx.addIssue({ code: 'custom', path: ['jobs', i, 'id'], message: `duplicate job id '${j.id}'` });
    jobIds.add(j.id);
    if (!connectionIds.has(j.connectionId)) {
      ctx.addIssue({ code: 'custom', path: ['jobs', i, 'connectionId'], message: `no connection with id '${j.connectionId}'` });
    }
  });
  const alertIds = new Set<string>();
  doc.alerts.forEach((a, i) => {
    if (alertIds.has(a.id)) ctx.addIssue({ code: 'custom', path: ['alerts', i, 'id'], message: `duplicate alert id '${a.id}'` });
    alertIds.add(a.id);
  });
});
export type StoreDocument = z.infer<typeof StoreDocument>;

export function emptyDocument(): StoreDocument {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, revision: 0, connections: [], jobs: [], alerts: [], notifications: { muted: [] } };
}
