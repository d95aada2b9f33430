/**
 * Store figures on a large store: 10,000 connections and 20,000 jobs (a realistic mix of
 * Microsoft 365 and on-premises connections, every secret sealed). Medians of several runs.
 * `npx tsx bench/store.ts` prints a table; `npm run bench` includes it.
 */
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Connection, Job, StoreDocument } from '../src/domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef } from '../src/domain/index.js';
import type { EditTools, Store } from '../src/store/index.js';
import { openStore } from '../src/store/index.js';

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
}

const CONNECTIONS = 10_000;
const JOBS = 20_000;
const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function time(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function connection(i: number, tools: EditTools | undefined): Connection {
  const id = `c-${i}`;
  const seal = (value: string, field: (typeof CONNECTION_SECRET_FIELDS)[keyof typeof CONNECTION_SECRET_FIELDS]) =>
    tools ? tools.seal(value, connectionSecretRef(id, field)) : (undefined as never);
  const created = new Date(Date.UTC(2019, 0, 1) + i * 3_600_000).toISOString();
  const tenant = `tenant${i % 500}`;
  switch (i % 5) {
    case 0:
      return {
        id, displayName: `admin@${tenant}.onmicrosoft.com`, created, service: 'exchange', location: 'online',
        obsoleteSince: '2025-01-01T00:00:00.000Z',
        credential: { kind: 'basic', userName: `admin@${tenant}.onmicrosoft.com`, password: seal(`Pw-${i}-Winter!`, CONNECTION_SECRET_FIELDS.password) },
      };
    case 1:
      return {
        id, displayName: `${tenant}.onmicrosoft.com`, created, service: 'exchange', location: 'online', mailbox: `backup@${tenant}.onmicrosoft.com`,
        credential: {
          kind: 'app-secret', tenantId: `${tenant}.onmicrosoft.com`, clientId: '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
          clientSecret: seal(`sEcReT~${i}~abcdefghijklmnopqrstuvwxyz0123`, CONNECTION_SECRET_FIELDS.clientSecret), expiresAt: '2027-06-30T00:00:00.000Z',
        },
      };
    case 2:
      return {
        id, displayName: `${tenant}.sharepoint.com`, created, service: 'sharepoint', location: 'online', url: `https://${tenant}.sharepoint.com`,
        credential: {
          kind: 'app-secret', tenantId: `${tenant}.onmicrosoft.com`, clientId: '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
          clientSecret: seal(`sp-secret-${i}-0123456789abcdef`, CONNECTION_SECRET_FIELDS.clientSecret),
        },
        legacyAccount: { kind: 'basic', userName: `admin@${tenant}.onmicrosoft.com`, password: seal(`Legacy-${i}!`, CONNECTION_SECRET_FIELDS.legacyPassword) },
      };
    case 3:
      return {
        id, displayName: `ex${i}.corp.contoso.com`, created, service: 'exchange', location: 'onpremises', server: i % 10 === 3 ? null : `ex${i}.corp.contoso.com`,
        credential: { kind: 'basic', userName: 'CORP\\svc-backup', password: seal(`S3rv1ce-${i}`, CONNECTION_SECRET_FIELDS.password) },
      };
    default:
      return {
        id, displayName: `sp${i}.corp.contoso.com`, created, service: 'sharepoint', location: 'onpremises', url: `https://sp${i}.corp.contoso.com`,
        credential: { kind: 'basic', userName: 'CORP\\svc-backup', password: seal(`S3rv1ce-${i}`, CONNECTION_SECRET_FIELDS.password) },
      };
  }
}

function job(i: number): Job {
  return {
    id: `j-${i}`,
    name: `${i % 2 ? 'Mailboxes' : 'Sites'} ${i} - ${i % 3 ? 'nightly' : 'weekly'}`,
    kind: i % 7 === 0 ? 'restore' : 'backup',
    connectionId: `c-${i % CONNECTIONS}`,
    continuous: i % 2 === 0,
    ...(i % 4 ? { lastRun: { at: new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString(), result: i % 13 ? 'succeeded' : 'failed' } } : {}),
  } as Job;
}

/** The same connections as version 1 wrote them (plaintext passwords, `type`/`location`). */
function v1Document(): object {
  const connections = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const c = connection(i, undefined);
    connections.push({
      id: c.id, type: c.service, location: c.location === 'online' ? 'office365' : 'onpremises', displayName: c.displayName,
      ...('url' in c ? { url: c.url } : {}), ...('server' in c ? { server: c.server } : {}),
      userName: `admin@tenant${i % 500}.onmicrosoft.com`, password: `Pw-${i}-Winter!`, created: c.created,
    });
  }
  const jobs = [];
  for (let i = 0; i < JOBS; i++) jobs.push(job(i));
  return { version: 1, connections, jobs, alerts: [], notifications: { disabled: [] } };
}

async function populate(store: Store): Promise<void> {
  await store.update((draft, tools) => {
    for (let i = 0; i < CONNECTIONS; i++) draft.connections.push(connection(i, tools));
    for (let i = 0; i < JOBS; i++) draft.jobs.push(job(i));
    return { change: { action: 'bench.populate' }, result: undefined };
  });
}

const toggleMute = (draft: StoreDocument) => {
  const muted = draft.notifications.muted;
  draft.notifications.muted = muted.includes('job-failed') ? muted.filter((c) => c !== 'job-failed') : [...muted, 'job-failed'];
  return { change: { action: 'alerts.mute', entity: { type: 'notifications' as const }, fields: ['notifications.muted'] }, result: undefined };
};

const renameOne = (draft: StoreDocument) => {
  const target = draft.connections[4321];
  if (target) target.displayName = `renamed-${Date.now()}`;
  return { change: { action: 'connection.rename', entity: { type: 'connection' as const, id: 'c-4321' }, fields: ['displayName'] }, result: undefined };
};

export async function benchStore(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'backup-panel-bench-'));
  try {
    const path = join(dir, 'store.json');
    const setup = await openStore({ path });
    await populate(setup);
    await setup.close();
    const size = (await stat(path)).size;

    const openTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let store: Store | undefined;
      openTimes.push(await time(async () => void (store = await openStore({ path }))));
      await store?.close();
    }

    const store = await openStore({ path });
    const firstSave = await time(() => store.update(toggleMute));
    const muteTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) muteTimes.push(await time(() => store.update(toggleMute)));
    const renameTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) renameTimes.push(await time(() => store.update(renameOne)));
    await store.close();

    const v1Path = join(dir, 'v1-source.json');
    await writeFile(v1Path, JSON.stringify(v1Document(), null, 2) + '\n', { mode: 0o600 });
    const migrateTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const target = join(dir, `migrate-${run}`, 'store.json');
      await mkdir(join(dir, `migrate-${run}`), { mode: 0o700 });
      await copyFile(v1Path, target);
      let migrated: Store | undefined;
      migrateTimes.push(await time(async () => void (migrated = await openStore({ path: target }))));
      await migrated?.close();
    }

    return [
      { name: 'store file size', value: Math.round(size / 1024 / 1024 * 10) / 10, unit: 'MB' },
      { name: 'open (read + parse + validate)', value: median(openTimes), unit: 'ms', target: '≤ 150 ms' },
      { name: 'save: mute a category', value: median(muteTimes), unit: 'ms', target: '≤ 100 ms' },
      { name: 'save: rename one connection', value: median(renameTimes), unit: 'ms', target: '≤ 100 ms' },
      { name: 'save: first after open (cold)', value: firstSave, unit: 'ms' },
      { name: 'open + migrate from version 1', value: median(migrateTimes), unit: 'ms' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await benchStore();
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const row of rows) {
    const value = `${Number.isInteger(row.value) ? row.value : row.value.toFixed(1)} ${row.unit}`;
    process.stdout.write(`${row.name.padEnd(width)}  ${value.padStart(10)}${row.target ? `   target ${row.target}` : ''}\n`);
  }
}

/** A store of 10,000 connections and 20,000 jobs at `path` (for the terminal benchmarks). */
export async function writeLargeStore(path: string): Promise<void> {
  const store = await openStore({ path });
  try {
    await populate(store);
  } finally {
    await store.close();
  }
}
