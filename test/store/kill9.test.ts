import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef } from '../../src/domain/index.js';
import { openStore } from '../../src/store/index.js';
import { startWriter, writerBundle } from './helpers/children.js';
import { isTempName, listDir, tempDir } from './helpers/tmp.js';

/**
 * kill -9 inside saves. The child stops at a chosen file operation of a save and says so; the
 * parent kills it there. Every operation of the save (temp file, fsync, backup link, rename,
 * directory fsync, audit log) gets killed at, in turn, on any machine at any speed: nothing here
 * depends on timing (issue 11, item 14). What must hold after each kill: the file is one whole
 * valid state, no committed revision is lost, a leftover temp is private; and once the store is
 * opened again, the audit log has exactly one line per committed revision.
 */

const LANES = 2;
/** More than the file operations of one save, so that every one is a kill point (the last few finish the save). */
const CALLS = 36;

beforeAll(async () => {
  await writerBundle();
});

/** A store with 150 connections (≈100 KB), so that the file operations carry real data. */
async function bigStore(): Promise<{ dir: string; path: string }> {
  const dir = await tempDir('store-kill-');
  const path = join(dir, 'store.json');
  const store = await openStore({ path });
  await store.update((draft, tools) => {
    for (let i = 0; i < 150; i++) {
      const id = `c-${i}`;
      draft.connections.push({
        id, displayName: `server-${i}.corp.contoso.com`, created: '2020-01-01T00:00:00Z', service: 'exchange', location: 'onpremises', server: `server-${i}.corp.contoso.com`,
        credential: { kind: 'basic', userName: `CORP\\svc-${i}`, password: tools.seal(`pw-${i}`, connectionSecretRef(id, CONNECTION_SECRET_FIELDS.password)) },
      });
    }
    return { change: { action: 'test.populate' }, result: undefined };
  });
  await store.close();
  return { dir, path };
}

interface LaneResult {
  readonly paused: Map<string, number>;
  readonly kills: number;
  readonly completed: number;
}

async function lane(offset: number): Promise<LaneResult> {
  const { dir, path } = await bigStore();
  const paused = new Map<string, number>();
  let kills = 0;
  let completed = 0;
  let committed = 1;
  for (let call = offset; call < CALLS; call += LANES) {
    // One full save first (so the kill finds a .bak and a non-empty log), then the one that stops.
    const child = await startWriter(['crash', path, '1', String(call)]);
    const line = await child.waitForLine(/^"(paused \d+ \w+|completed)"$/);
    if (line === undefined) throw new Error(`writer ended without pausing: ${(await child.done).stderr}`);
    const saved = Number(/^"saved (\d+)"$/m.exec((await child.waitForLine(/^"saved \d+"$/)) ?? '')?.[1]);
    expect(saved).toBe(committed + 1);
    committed = saved;
    if (line === '"completed"') {
      completed++;
      committed += 1;
      await child.done;
    } else {
      const [, generation, op] = /^"paused (\d+) (\w+)"$/.exec(line) as RegExpExecArray;
      expect(Number(generation)).toBe(committed + 1);
      paused.set(`${call}:${op}`, Number(generation));
      child.process.kill('SIGKILL');
      const { signal } = await child.done;
      expect(signal).toBe('SIGKILL');
      kills++;
    }

    // Whatever the operation the kill landed on, the file is one whole state a save wrote…
    const reader = await openStore({ path, readOnly: true });
    const doc = reader.current();
    // …and nothing committed was lost: the revision is the last one saved, or the one in flight if it got renamed in.
    expect([committed, committed + 1]).toContain(doc.revision);
    committed = doc.revision;
    expect(doc.notifications.muted).toEqual([`gen-${doc.revision}`]);
    const c0 = doc.connections[0] as Connection;
    if (c0.credential.kind !== 'basic') throw new Error('expected basic');
    expect(reader.reveal(c0.credential.password, connectionSecretRef('c-0', CONNECTION_SECRET_FIELDS.password)).reveal()).toBe(`pw-${doc.revision}`);
    expect(doc.connections).toHaveLength(150);
    await reader.close();
    // …and any temp file left behind is private.
    for (const name of (await listDir(dir)).filter(isTempName)) {
      const mode = await stat(join(dir, name)).then((s) => s.mode & 0o777, () => 0o600);
      expect(mode, name).toBe(0o600);
    }
  }

  // The next save (a new process, after the last kill) succeeds and removes the leftovers…
  const store = await openStore({ path, lockTiming: { waitMs: 5_000 } });
  const before = store.current().revision;
  await store.update((draft) => {
    draft.notifications.muted = ['after-the-kills'];
    return { change: { action: 'test.final' }, result: undefined };
  });
  expect(store.current().revision).toBe(before + 1);
  await store.close();
  expect((await listDir(dir)).filter(isTempName)).toEqual([]);
  expect(JSON.parse(await readFile(path, 'utf8')).notifications.muted).toEqual(['after-the-kills']);
  // …and the audit log holds exactly one line for every committed revision: none lost to a kill, none for a save that did not land.
  const lines = (await readFile(`${path}.audit.log`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; revisionAfter: number });
  const byRevision = new Map<number, Set<string>>();
  for (const l of lines) byRevision.set(l.revisionAfter, (byRevision.get(l.revisionAfter) ?? new Set()).add(l.id));
  expect([...byRevision.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: before + 2 }, (_, i) => i));
  for (const [revision, ids] of byRevision) expect(ids.size, `revision ${revision}`).toBe(1);
  return { paused, kills, completed };
}

describe('kill -9 during saves', () => {
  it(`a SIGKILL at each file operation of a save never leaves a torn store, never loses a committed revision or its audit line`, async () => {
    const results = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    const ops = new Set(results.flatMap((r) => [...r.paused.keys()].map((k) => k.split(':')[1])));
    // The kills covered the save from the temp file to the audit line.
    for (const op of ['open', 'write', 'sync', 'link', 'rename', 'close']) expect(ops, op).toContain(op);
    expect(results.reduce((n, r) => n + r.completed, 0)).toBeGreaterThan(0); // CALLS reaches past the end of a save
    console.info(`kill -9: ${results.reduce((n, r) => n + r.kills, 0)} kills at ${[...ops].join(', ')}`);
  }, 600_000); // a hang guard: each kill point is a process start, slow on a loaded machine
});
