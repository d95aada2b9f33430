import * as z from 'zod';
import { IsoInstant, NonEmpty } from '../../domain/index.js';

/**
 * The version-1 store as the previous release wrote it (contracts §3). Frozen history: it does not
 * follow later changes to the domain. Loose objects: unknown fields are kept and carried over.
 */
const V1ConnectionBase = {
  id: NonEmpty,
  displayName: NonEmpty,
  userName: NonEmpty,
  password: z.string(),
  created: IsoInstant,
};

export const V1Connection = z.discriminatedUnion('type', [
  z.discriminatedUnion('location', [
    z.looseObject({ ...V1ConnectionBase, type: z.literal('exchange'), location: z.literal('office365') }),
    z.looseObject({
      ...V1ConnectionBase,
      type: z.literal('exchange'),
      location: z.literal('onpremises'),
      /** A host name, or null (or absent) for Autodiscover. */
      server: z.string().min(1).nullable().optional(),
    }),
  ]),
  z.looseObject({ ...V1ConnectionBase, type: z.literal('sharepoint'), location: z.enum(['office365', 'onpremises']), url: z.url() }),
]);
export type V1Connection = z.infer<typeof V1Connection>;

export const V1Job = z.looseObject({
  id: NonEmpty,
  name: NonEmpty,
  kind: z.enum(['backup', 'restore']),
  connectionId: NonEmpty,
  continuous: z.boolean().optional(),
  lastRun: z.looseObject({ at: IsoInstant, result: z.enum(['succeeded', 'warning', 'failed']) }).optional(),
});

export const V1_EVENT_TYPES = ['job-failed', 'connection-failed'] as const;

const V1EventAlert = z.looseObject({
  id: NonEmpty,
  type: z.enum(V1_EVENT_TYPES),
  created: IsoInstant,
  message: z.string(),
  jobId: z.string().optional(),
  connectionId: z.string().optional(),
});

export function isV1EventAlert(alert: Record<string, unknown>): boolean {
  return (V1_EVENT_TYPES as readonly unknown[]).includes(alert.type);
}

/** Alerts of the two event types become v2 alerts; anything else is kept aside untouched, so it is not checked. */
export const V1Alert = z.looseObject({}).superRefine((alert, ctx) => {
  if (!isV1EventAlert(alert)) return;
  const result = V1EventAlert.safeParse(alert);
  for (const issue of result.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

export const V1Document = z
  .looseObject({
    version: z.literal(1),
    connections: z.array(V1Connection).default([]),
    jobs: z.array(V1Job).default([]),
    alerts: z.array(V1Alert).default([]),
    notifications: z.looseObject({ disabled: z.array(z.string()).default([]) }).default({ disabled: [] }),
  })
  .superRefine((doc, ctx) => {
    const ids = new Set<string>();
    doc.connections.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'id'], message: `duplicate connection id '${c.id}'` });
      ids.add(c.id);
    });
  });
export type V1Document = z.infer<typeof V1Document>;
