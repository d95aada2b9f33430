import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import { v1StoreDir } from './helpers/tmp.js';

/** The audit log read newest first (the panel's Audit view): the same records as oldest first, reversed. */

function entry(i: number, pad = 0): string {
  return JSON.stringify({
    id: i.toString(16).padStart(16, '0'),
    ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    action: 'job.edit',
    entity: { type: 'job', id: `j-${i}` },
    fields: ['schedule'],
    details: pad ? { note: 'x'.repeat(pad) } : {},
    revisionBefore: i,
    revisionAfter: i + 1,
    actor: { uid: 0, user: 'root', pid: 1, host: 'h' },
  });
}

const key = (r: AuditRecord) => ('unreadable' in r ? 'unreadable' : r.id);

async function both(content: string): Promise<{ forward: string[]; backward: string[] }> {
  const { path } = await v1StoreDir();
  const store = await openStore({ path, readOnly: true });
  await writeFile(`${path}.audit.log`, content, { mode: 0o600 });
  const forward: string[] = [];
  for await (const r of store.auditLog()) forward.push(key(r));
  const backward: string[] = [];
  for await (const r of store.auditLog({ newestFirst: true })) backward.push(key(r));
  await store.close();
  return { forward, backward };
}

describe('audit log newest first', () => {
  it('gives every line of a log many chunks long, in reverse, with lines across chunk boundaries', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => entry(i, i % 7 === 0 ? 900 : 0));
    const { forward, backward } = await both(lines.join('\n') + '\n');
    expect(forward).toHaveLength(3000);
    expect(backward).toEqual([...forward].reverse());
  });

  it('skips blank lines, counts broken and over-long lines (also one longer than a chunk), and reads a last line without its newline', async () => {
    const huge = entry(2, 200 * 1024);
    const content = [entry(0), '', '{"broken', entry(1), huge, entry(3), '   ', entry(4)].join('\n');
    const { forward, backward } = await both(content);
    expect(forward).toEqual([entry(0), 'x', entry(1), 'x', entry(3), entry(4)].map((l) => (l === 'x' ? 'unreadable' : (JSON.parse(l) as { id: string }).id)));
    expect(backward).toEqual([...forward].reverse());
  });

  it('an empty or missing log has no records', async () => {
    expect((await both('')).backward).toEqual([]);
  });
});
