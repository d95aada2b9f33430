import type { ServiceLiveness, StoreDocument } from '../../domain/index.js';
// Single modules, not the services barrel: this is on the way to the first frame.
import { listAlerts, notificationOptions } from '../../services/alerts.js';
import { connectionRows } from '../../services/connection-rows.js';
import { jobRows } from '../../services/job-rows.js';
import { dashboardSummary } from '../../services/dashboard-summary.js';
import type { ConnectionsOrder, DocumentData, ViewData } from './types.js';
import { connectionHaystack, connectionsView } from './connection-groups.js';
import { prepareFilter } from '../list/filter.js';

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

/**
 * Derived data, computed once per document (and the shown connections once per filter text and
 * order): moving the cursor over 10,000 rows must not redo any of it.
 */
export class ViewDataCache {
  #doc: StoreDocument | undefined;
  #service: ServiceLiveness | undefined;
  #data: DocumentData | undefined;
  #view: ViewData | undefined;
  #filter = '';
  #order: ConnectionsOrder = 'saved';

  get(doc: StoreDocument, filter: string, now: () => Date, service?: ServiceLiveness, order: ConnectionsOrder = 'saved'): ViewData {
    if (doc !== this.#doc || service !== this.#service || !this.#data) {
      this.#doc = doc;
      this.#service = service;
      this.#data = documentData(doc, now(), service);
      // Manage's `/` filter over 10,000 connections: its texts are made with the document, not on the first key.
      prepareFilter(this.#data.connections, connectionHaystack);
      this.#view = undefined;
    }
    if (!this.#view || filter !== this.#filter || order !== this.#order) {
      this.#filter = filter;
      this.#order = order;
      this.#view = { ...this.#data, ...connectionsView(this.#data.connections, filter, order) };
    }
    return this.#view;
  }
}
