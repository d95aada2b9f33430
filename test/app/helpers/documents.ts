import type { Connection, Job, StoreDocument } from '../../../src/domain/index.js';
import { SEALED_STUB } from './memory-store.js';

const basic = (userName: string) => ({ kind: 'basic' as const, userName, password: SEALED_STUB });

/** The version-1 fixture as the migration leaves it (three [obsolete] Microsoft 365 connections). */
export function migratedFixture(): StoreDocument {
  const connections: Connection[] = [
    { id: 'c-1', service: 'exchange', location: 'online', displayName: 'admin@contoso.onmicrosoft.com', created: '2020-03-02T09:15:00Z', obsoleteSince: '2026-11-01T00:00:00Z', credential: basic('admin@contoso.onmicrosoft.com') },
    { id: 'c-2', service: 'sharepoint', location: 'online', displayName: 'contoso.sharepoint.com', url: 'https://contoso.sharepoint.com', created: '2020-03-02T09:20:00Z', obsoleteSince: '2026-11-01T00:00:00Z', credential: basic('admin@contoso.onmicrosoft.com') },
    { id: 'c-3', service: 'exchange', location: 'onpremises', displayName: 'ex01.corp.contoso.com', server: 'ex01.corp.contoso.com', created: '2019-11-12T16:00:00Z', credential: basic('CORP\\svc-backup') },
    { id: 'c-4', service: 'sharepoint', location: 'onpremises', displayName: 'sp.corp.contoso.com', url: 'https://sp.corp.contoso.com', created: '2019-11-12T16:05:00Z', credential: basic('CORP\\svc-backup') },
    { id: 'c-5', service: 'exchange', location: 'online', displayName: 'backup@fabrikam.onmicrosoft.com', created: '2021-01-18T11:40:00Z', obsoleteSince: '2026-11-01T00:00:00Z', credential: basic('backup@fabrikam.onmicrosoft.com') },
    { id: 'c-6', service: 'exchange', location: 'onpremises', displayName: 'Autodiscover (corp.contoso.com)', server: null, created: '2019-11-13T08:00:00Z', credential: basic('svc-backup@corp.contoso.com') },
  ];
  const jobs: Job[] = [
    { id: 'j-1', name: 'Mailboxes - nightly', kind: 'backup', connectionId: 'c-1', continuous: true, lastRun: { at: '2020-06-20T01:00:00Z', result: 'succeeded' } },
    { id: 'j-2', name: 'SharePoint sites - weekly', kind: 'backup', connectionId: 'c-2', continuous: false, lastRun: { at: '2020-06-14T03:00:00Z', result: 'succeeded' } },
    { id: 'j-3', name: 'On-prem mailboxes', kind: 'backup', connectionId: 'c-3', continuous: true, lastRun: { at: '2020-06-20T02:00:00Z', result: 'succeeded' } },
    { id: 'j-4', name: 'Restore CEO mailbox', kind: 'restore', connectionId: 'c-1', continuous: false },
    { id: 'j-5', name: 'Fabrikam mailboxes', kind: 'backup', connectionId: 'c-5', continuous: true, lastRun: { at: '2020-06-19T23:00:00Z', result: 'failed' } },
  ];
  return {
    schemaVersion: 2,
    revision: 1,
    connections,
    jobs,
    alerts: [{ id: 'a-1', category: 'job-failed', created: '2020-06-19T23:02:00Z', jobId: 'j-5', message: "Job 'Fabrikam mailboxes' failed: the server did not respond." }],
    notifications: { muted: [] },
  };
}

/** `count` connections (every third one obsolete) and no jobs: the windowing benchmark's data. */
export function manyConnections(count: number): StoreDocument {
  const connections: Connection[] = [];
  for (let i = 0; i < count; i++) {
    const id = `c-${i + 1}`;
    if (i % 3 === 0) {
      connections.push({ id, service: 'exchange', location: 'online', displayName: `admin${i}@tenant${i}.onmicrosoft.com`, created: '2020-01-01T00:00:00Z', credential: basic(`admin${i}@tenant${i}.onmicrosoft.com`) });
    } else if (i % 3 === 1) {
      connections.push({ id, service: 'sharepoint', location: 'onpremises', displayName: `sp${i}.corp.example.com`, url: `https://sp${i}.corp.example.com`, created: '2020-01-01T00:00:00Z', credential: basic('CORP\\svc') });
    } else {
      connections.push({ id, service: 'exchange', location: 'onpremises', displayName: `ex${i}.corp.example.com`, server: `ex${i}.corp.example.com`, created: '2020-01-01T00:00:00Z', credential: basic('CORP\\svc') });
    }
  }
  return { schemaVersion: 2, revision: 1, connections, jobs: [], alerts: [], notifications: { muted: [] } };
}
