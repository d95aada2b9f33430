import type { Job, ServiceLiveness } from '../domain/index.js';
import { ALERT_CATEGORIES, CYCLE_RESULTS, deriveAlerts } from '../domain/index.js';
import type { ServiceContext } from './context.js';
import type { MetricFamily, Sample } from './prometheus.js';
import { exposition } from './prometheus.js';
import { serviceStatus } from './service-status.js';
import { storageRows } from './storages.js';

/**
 * `metrics` (contracts §8.4): the state of the backup server in the Prometheus text format, for
 * node_exporter's textfile collector. Per job its last cycle (result, end, duration, items, bytes,
 * errors), whether it runs and when its next cycle is due; per storage its size; alerts per
 * category; whether the backup service runs. Jobs and storages are labelled by id and name
 * (`job_id`, `job_name`: not `job`, which Prometheus sets to the scrape job).
 */

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function jobLabels(job: Job): Record<string, string> {
  return { job_id: job.id, job_name: job.name };
}

function lastSuccess(job: Job): string | undefined {
  const cycle = job.cycles?.find((c) => c.result === 'succeeded' || c.result === 'warning');
  if (cycle) return cycle.endedAt;
  return job.lastRun && (job.lastRun.result === 'succeeded' || job.lastRun.result === 'warning') ? job.lastRun.at : undefined;
}

export async function metricsText(ctx: Pick<ServiceContext, 'store' | 'now'>): Promise<string> {
  const now = ctx.now();
  const doc = ctx.store.current();
  const status = await serviceStatus(ctx);
  const liveness: ServiceLiveness = status.running ? { running: true } : { running: false, ...(status.lastSeen ? { lastSeen: status.lastSeen } : {}) };
  const running = new Set(status.runningCycles.map((c) => c.jobId));
  const next = new Map(status.nextDue.map((d) => [d.jobId, d.at]));

  const family = (name: string, help: string, samples: Sample[], type: 'gauge' | 'counter' = 'gauge'): MetricFamily => ({ name: `backup_panel_${name}`, help, type, samples });
  const perJob = (value: (job: Job) => number | undefined): Sample[] =>
    doc.jobs.flatMap((job) => {
      const v = value(job);
      return v === undefined || !Number.isFinite(v) ? [] : [{ labels: jobLabels(job), value: v }];
    });

  const results: Sample[] = [];
  const items: Sample[] = [];
  for (const job of doc.jobs) {
    const result = job.cycles?.[0]?.result ?? job.lastRun?.result;
    if (result) for (const r of CYCLE_RESULTS) results.push({ labels: { ...jobLabels(job), result: r }, value: r === result ? 1 : 0 });
    const last = job.cycles?.[0];
    if (last) {
      for (const [action, value] of [['scanned', last.scanned], ['backed_up', last.backedUp], ['removed', last.removed], ['restored', last.restored]] as const) {
        items.push({ labels: { ...jobLabels(job), action }, value });
      }
    }
  }

  const storages = await storageRows(ctx);
  const alerts = deriveAlerts(doc, now, { service: liveness });
  const families: MetricFamily[] = [
    family('service_up', 'Whether the backup service runs for this store (1) or not (0).', [{ value: status.running ? 1 : 0 }]),
    family('service_start_time_seconds', 'When the running backup service started (Unix time).', status.since ? [{ value: seconds(status.since) }] : []),
    family('job_running', 'Whether a cycle of the job runs now (started by the service, jobs run or the panel).', perJob((job) => (running.has(job.id) ? 1 : 0))),
    family('job_last_cycle_result', "The result of the job's last cycle: 1 for the result it had, 0 for the others.", results),
    family('job_last_cycle_end_timestamp_seconds', "When the job's last cycle ended (Unix time).", perJob((job) => {
      const at = job.cycles?.[0]?.endedAt ?? job.lastRun?.at;
      return at ? seconds(at) : undefined;
    })),
    family('job_last_cycle_duration_seconds', "How long the job's last cycle ran.", perJob((job) => {
      const c = job.cycles?.[0];
      return c ? Math.max(0, (Date.parse(c.endedAt) - Date.parse(c.startedAt)) / 1000) : undefined;
    })),
    family('job_last_cycle_items', "Items of the job's last cycle, by what happened to them.", items),
    family('job_last_cycle_bytes', "Bytes the job's last cycle read from the source or wrote back to it.", perJob((job) => job.cycles?.[0]?.bytes)),
    family('job_last_cycle_errors', "Errors of the job's last cycle.", perJob((job) => {
      const c = job.cycles?.[0];
      return c ? (c.errorCount ?? c.errors.length) : undefined;
    })),
    family('job_last_success_timestamp_seconds', 'When a cycle of the job last ended succeeded or with warnings (Unix time), as far as its kept history tells.', perJob((job) => {
      const at = lastSuccess(job);
      return at ? seconds(at) : undefined;
    })),
    family('job_next_cycle_timestamp_seconds', "When the backup service starts the job's next cycle (Unix time; now when due).", perJob((job) => {
      const at = next.get(job.id);
      return at ? seconds(at) : undefined;
    })),
    family('storage_size_bytes', 'Bytes the storage holds on disk (compressed, encrypted, deduplicated).', storages.flatMap((s) => (s.bytesStored === null ? [] : [{ labels: { storage_id: s.id, storage_name: s.name }, value: s.bytesStored }]))),
    family('storage_original_bytes', "Bytes of the latest snapshots' items as the sources served them.", storages.flatMap((s) => (s.bytesOriginal === null ? [] : [{ labels: { storage_id: s.id, storage_name: s.name }, value: s.bytesOriginal }]))),
    family('storage_items', "Items in the storage's latest snapshots.", storages.flatMap((s) => (s.items === null ? [] : [{ labels: { storage_id: s.id, storage_name: s.name }, value: s.items }]))),
    family('storage_readable', 'Whether the storage could be opened and read (1) or not (0).', storages.map((s) => ({ labels: { storage_id: s.id, storage_name: s.name }, value: s.problem === undefined ? 1 : 0 }))),
    family('alerts', 'Alerts on the Bad news card, by category (muted categories count 0).', ALERT_CATEGORIES.map((category) => ({ labels: { category }, value: alerts.filter((a) => a.category === category).length }))),
  ];
  return exposition(families);
}
