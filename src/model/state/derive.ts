import type { ServiceLiveness, StoreDocument } from '../../domain/index.js';
import type { ConnectionRow } from '../../services/index.js';
// Single modules, not the services barrel: this is on the way to the first frame.
import { listAlerts, notificationOptions } from '../../services/alerts.js';
import { connectionRows } from '../../services/connection-rows.js';
import { jobRows } from '../../services/job-rows.js';
import { dashboardSummary } from '../../services/dashboard-summary.js';
import type { ConnectionsOrder, DocumentData, ViewData } from './types.js';

/** `service`: whether the backup service runs (the container watches it); unknown yet, no service-stopped alert. */
export function documentData(doc: StoreDocument, now: Date, service?: ServiceLiveness): DocumentData {
  const alerts = listAlerts(doc, now, service ? { service } : {});
  return {
    revision: doc.revision,
    doc,
    connections: connectionRows(doc),
    jobs: jobRows(doc),
    alerts,
    categories: notificationOptions(doc),
    summary: dashboardSummary(doc, now, alerts),
  };
}

function haystack(row: ConnectionRow): string {
  return `${row.name} ${row.typeLabel} ${row.locationLabel} ${row.authType}${row.obsolete ? ' [obsolete]' : ''} ${row.tenant ?? ''}`.toLowerCase();
}

/** Grouped by tenant (on-premises last), by name within a tenant; a stable sort keeps the saved order of equals. */
export function byTenant(rows: readonly ConnectionRow[]): ConnectionRow[] {
  const key = (r: ConnectionRow) => (r.tenant ? `0${r.tenant.toLowerCase()}` : '1');
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)) || a.name.localeCompare(b.name));
}

/**
 * Derived data, computed once per document (and the filtered list once per filter text): moving
 * the cursor over 10,000 rows must not redo any of it.
 */
export class ViewDataCache {
  #doc: StoreDocument | undefined;
  #service: ServiceLiveness | undefined;
  #data: DocumentData | undefined;
  #haystacks: string[] = [];
  #view: ViewData | undefined;
  #filter = '';
  #order: ConnectionsOrder = 'saved';

  get(doc: StoreDocument, filter: string, now: () => Date, service?: ServiceLiveness, order: ConnectionsOrder = 'saved'): ViewData {
    if (doc !== this.#doc || service !== this.#service || !this.#data) {
      this.#doc = doc;
      this.#service = service;
      this.#data = documentData(doc, now(), service);
      this.#haystacks = this.#data.connections.map(haystack);
      this.#view = undefined;
    }
    if (!this.#view || filter !== this.#filter || order !== this.#order) {
      const needle = filter.trim().toLowerCase();
      const rows = this.#data.connections;
      const matching = needle ? rows.filter((_row, i) => this.#haystacks[i]?.includes(needle)) : rows;
      const visibleConnections = order === 'tenant' ? byTenant(matching) : matching;
      this.#filter = filter;
      this.#order = order;
      this.#view = { ...this.#data, visibleConnections };
    }
    return this.#view;
  }
}
