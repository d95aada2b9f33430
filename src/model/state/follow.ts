import { followItems } from '../list/list.js';
import { alertsLayout, tableLayout } from '../layout.js';
import { visibleAlerts, visibleJobs, visibleStorages } from './list-bindings.js';
import type { AppState, ViewData } from './types.js';

/**
 * The lists made from the document (Jobs, Storages) keep their cursor on the same item when
 * another session or a finished cycle changes the document, or stay as close as they can.
 */
export function followHeadless(state: AppState, previous: ViewData, data: ViewData): AppState {
  const page = tableLayout(state.size, state.banner).rows;
  const jobsBefore = visibleJobs(state, previous)[state.jobsPane.list.cursor]?.id;
  const jobs = visibleJobs(state, data);
  const jobList = followItems(state.jobsPane.list, jobsBefore, { count: jobs.length, page, idAt: (i) => jobs[i]?.id }, undefined);
  const storagesBefore = visibleStorages(state, previous)[state.storagesPane.list.cursor]?.id;
  const storages = visibleStorages(state, data);
  const storageList = followItems(state.storagesPane.list, storagesBefore, { count: storages.length, page, idAt: (i) => storages[i]?.id }, undefined);
  const alertsBefore = visibleAlerts(state, previous)[state.alertsPane.list.cursor]?.id;
  const alerts = visibleAlerts(state, data);
  const alertList = followItems(state.alertsPane.list, alertsBefore, { count: alerts.length, page: alertsLayout(state.size, state.banner).rows, idAt: (i) => alerts[i]?.id }, undefined);
  let next = state;
  if (alertList !== state.alertsPane.list) next = { ...next, alertsPane: { list: alertList } };
  if (jobList !== state.jobsPane.list) next = { ...next, jobsPane: { ...next.jobsPane, list: jobList } };
  if (storageList !== state.storagesPane.list) next = { ...next, storagesPane: { ...next.storagesPane, list: storageList } };
  // A job deleted elsewhere takes its details with it.
  if (next.view === 'job' && !data.jobs.some((j) => j.id === next.jobsPane.detail)) next = { ...next, view: 'jobs', jobsPane: { ...next.jobsPane, detail: undefined } };
  return next;
}
