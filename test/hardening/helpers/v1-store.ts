import fc from 'fast-check';
import { hostileText } from './hostile.js';

/** One hostile record set: what an admin (or an attacker with write access) typed into a version-1 store. */
export interface HostileRecord {
  readonly displayName: string;
  readonly userName: string;
  readonly jobName: string;
  readonly alertMessage: string;
}

export function hostileRecord(long = false): fc.Arbitrary<HostileRecord> {
  return fc.record({
    displayName: hostileText({ long }),
    userName: hostileText(),
    jobName: hostileText({ long }),
    alertMessage: hostileText({ long }),
  });
}

const KINDS = [
  { type: 'exchange', location: 'onpremises', server: 'ex01.corp.contoso.com' },
  { type: 'exchange', location: 'office365' },
  { type: 'sharepoint', location: 'onpremises', url: 'https://sp.corp.contoso.com' },
  { type: 'sharepoint', location: 'office365', url: 'https://contoso.sharepoint.com' },
] as const;

/**
 * A version-1 store (contracts §3) holding the records: connection h<i> (kinds in turn, so h0 is
 * on-premises Exchange and h2 on-premises SharePoint), job j<i> on it, and a job-failed event a<i>.
 */
export function hostileV1Store(records: readonly HostileRecord[]): string {
  return JSON.stringify(
    {
      version: 1,
      connections: records.map((r, i) => ({
        id: `h${i}`,
        ...KINDS[i % KINDS.length],
        displayName: r.displayName,
        userName: r.userName,
        password: 'S3rv1ce-Backup',
        created: '2020-03-02T09:15:00Z',
      })),
      jobs: records.map((r, i) => ({ id: `j${i}`, name: r.jobName, kind: 'backup', connectionId: `h${i}`, continuous: false, lastRun: { at: '2020-06-20T01:00:00Z', result: 'failed' } })),
      alerts: records.map((r, i) => ({ id: `a${i}`, type: 'job-failed', created: '2020-06-19T23:02:00Z', jobId: `j${i}`, message: r.alertMessage })),
      notifications: { disabled: [] },
    },
    null,
    2,
  );
}
