import type { Alert, Location, RunResult, Service, StoreDocument } from '../domain/index.js';
import { deriveAlerts, isObsolete } from '../domain/index.js';

export interface DashboardSummary {
  readonly connections: {
    readonly total: number;
    /** Counts by Type and Location, in the order the card lists them. */
    readonly byType: ReadonlyArray<{ readonly service: Service; readonly location: Location; readonly label: string; readonly count: number }>;
    readonly obsolete: number;
  };
  readonly alerts: {
    readonly permanent: number;
    readonly events: number;
    /** Permanent alerts first, then events (newest first), as `deriveAlerts` orders them. */
    readonly list: readonly Alert[];
  };
  readonly jobs: {
    readonly total: number;
    readonly byResult: Readonly<Record<RunResult | 'never', number>>;
  };
}

const TYPES: ReadonlyArray<{ service: Service; location: Location; label: string }> = [
  { service: 'exchange', location: 'online', label: 'Exchange Online' },
  { service: 'exchange', location: 'onpremises', label: 'Exchange Server' },
  { service: 'sharepoint', location: 'online', label: 'SharePoint Online' },
  { service: 'sharepoint', location: 'onpremises', label: 'SharePoint Server' },
];

/** What the Dashboard cards show; muted alert categories are left out, as everywhere. */
export function dashboardSummary(doc: StoreDocument, now: Date, alerts: readonly Alert[] = deriveAlerts(doc, now)): DashboardSummary {
  const counts = new Map<string, number>();
  let obsolete = 0;
  for (const c of doc.connections) {
    const key = `${c.service}/${c.location}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (isObsolete(c)) obsolete += 1;
  }
  const byResult: Record<RunResult | 'never', number> = { succeeded: 0, warning: 0, failed: 0, stopped: 0, never: 0 };
  for (const job of doc.jobs) byResult[job.lastRun?.result ?? 'never'] += 1;
  const permanent = alerts.filter((a) => a.permanent).length;
  return {
    connections: {
      total: doc.connections.length,
      byType: TYPES.map((t) => ({ ...t, count: counts.get(`${t.service}/${t.location}`) ?? 0 })),
      obsolete,
    },
    alerts: { permanent, events: alerts.length - permanent, list: alerts },
    jobs: { total: doc.jobs.length, byResult },
  };
}
