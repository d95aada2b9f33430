import type { ServiceContext, ServiceRegistration } from '../services/index.js';
import { describeError, HEARTBEAT_MS, metricsText, registerService, ServiceError, writeMetricsFile } from '../services/index.js';
import type { ServiceLog } from './log.js';
import { jobLabel } from './log.js';
import { Scheduler } from './scheduler.js';

/**
 * `backup-panel service` (contracts §8.3): runs in the foreground until SIGTERM, SIGINT or SIGHUP
 * (systemd Type=simple), or with `once` until every cycle due at the start has run. On a signal
 * it stops starting cycles, asks the running ones to end at the next item boundary (recorded
 * `stopped` and resumed at the next start), aborts requests still under way after `graceMs`, and
 * returns by `deadlineMs` whatever happens, so that the process exits 0 within systemd's patience
 * and the contract's 10 seconds. A second signal aborts the requests at once.
 */

export interface ServiceRunOptions {
  readonly ctx: ServiceContext;
  readonly log: ServiceLog;
  readonly version: string;
  readonly maxCycles: number;
  readonly once?: boolean;
  /** Rewritten after cycles end and every few minutes (node_exporter's textfile collector). */
  readonly metricsFile?: string;
  readonly graceMs?: number;
  readonly deadlineMs?: number;
  /** Where signals come from (the process; tests pass an emitter). */
  readonly signals?: NodeJS.EventEmitter;
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
const METRICS_EVERY_MS = 5 * 60_000;
const METRICS_AFTER_CYCLE_MS = 2_000;

/** Returns the exit code: 0, or with `once` 1 when a cycle failed or could not start. */
export async function runService(options: ServiceRunOptions): Promise<number> {
  const { ctx, log } = options;
  if (ctx.store.readOnly) throw new ServiceError('refused', `The store is open read-only (${ctx.store.readOnlyReason ?? 'by request'}); the backup service needs to record its cycles.`);
  // Signals are ours from here on: a SIGTERM while starting up ends the service as cleanly as later.
  let signalled: string | undefined;
  let cancelRequests = () => {};
  let cleanupSignals = () => {};
  const stopRequested = new Promise<string>((resolve) => {
    const onSignal = (signal: string) => {
      if (signalled) {
        cancelRequests();
        return;
      }
      signalled = signal;
      resolve(signal);
    };
    for (const signal of SIGNALS) (options.signals ?? process).on(signal, onSignal);
    cleanupSignals = () => {
      for (const signal of SIGNALS) (options.signals ?? process).off(signal, onSignal);
    };
  });
  let registration: ServiceRegistration;
  try {
    registration = await registerService(ctx, { version: options.version, maxCycles: options.maxCycles });
  } catch (error) {
    cleanupSignals();
    throw error;
  }
  log.info(`backup service ${options.version} started (pid ${process.pid}, store ${ctx.store.path}, at most ${options.maxCycles} cycles at once${options.once ? ', once' : ''})`);

  let metricsTimer: NodeJS.Timeout | undefined;
  let metricsProblem = '';
  const writeMetrics = async () => {
    if (!options.metricsFile) return;
    try {
      await writeMetricsFile(options.metricsFile, await metricsText(ctx));
      metricsProblem = '';
    } catch (error) {
      const message = describeError(error, 'cli').message;
      if (message !== metricsProblem) log.warning(`could not write the metrics file ${options.metricsFile}: ${message}`);
      metricsProblem = message;
    }
  };
  const metricsSoon = () => {
    if (!options.metricsFile || metricsTimer) return;
    metricsTimer = setTimeout(() => {
      metricsTimer = undefined;
      void writeMetrics();
    }, METRICS_AFTER_CYCLE_MS);
  };

  let beatProblem = '';
  const beat = () =>
    registration.heartbeat(scheduler.running).then(
      () => (beatProblem = ''),
      (error: unknown) => {
        const message = describeError(error, 'cli').message;
        if (message !== beatProblem) log.warning(`could not write the service status beside the store: ${message}`);
        beatProblem = message;
      },
    );
  const scheduler: Scheduler = new Scheduler({
    ctx,
    log,
    maxCycles: options.maxCycles,
    ...(options.once ? { once: true } : {}),
    onChange: () => {
      void beat();
      metricsSoon();
    },
  });

  const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
  const metricsEvery = options.metricsFile ? setInterval(() => void writeMetrics(), METRICS_EVERY_MS) : undefined;
  const unsubscribe = ctx.store.subscribe((change) => {
    if (change.fileMissing === true) log.warning(`the store file ${ctx.store.path} is gone; no cycle starts until it is back`);
    scheduler.storeChanged(change.external);
  }, 1000);

  cancelRequests = () => scheduler.cancelRequests();
  void writeMetrics();
  if (!options.once && !signalled) scheduler.kick();
  const ended = signalled ?? (await Promise.race([stopRequested, options.once ? scheduler.whenIdle().then(() => 'once') : new Promise<never>(() => {})]));
  unsubscribe();
  clearInterval(heartbeat);
  if (metricsEvery) clearInterval(metricsEvery);
  if (metricsTimer) clearTimeout(metricsTimer);

  const running = scheduler.running.length;
  if (ended !== 'once') {
    log.info(`stopping (${ended}): ${running ? `${running} running cycle${running === 1 ? '' : 's'} end${running === 1 ? 's' : ''} at the next item and ${running === 1 ? 'is' : 'are'} recorded as stopped` : 'no cycle running'}`);
  }
  await registration.stopping().catch(() => undefined);
  const unrecorded = await scheduler.stop({ graceMs: options.graceMs ?? 3_000, deadlineMs: options.deadlineMs ?? 7_000 });
  for (const job of unrecorded) log.error(`${jobLabel(job)}: its cycle did not end in time and was not recorded; the next start resumes it`);
  cleanupSignals();
  await writeMetrics();
  await registration.stopped().catch(() => undefined);
  log.info(options.once && ended === 'once' ? `backup service stopped: every due cycle ran once (${scheduler.failedCycles} failed)` : 'backup service stopped');
  return options.once && ended === 'once' && scheduler.failedCycles > 0 ? 1 : 0;
}
