import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef } from '../../src/domain/index.js';
import { openStore } from '../../src/store/index.js';
import { startWriter, writerBundle } from './helpers/children.js';
import { isTempName, listDir, tempDir } from './helpers/tmp.js';

const KILLS = 200;
const LANES = 2;

beforeAll(async () => {
  await writerBundle();
});

/** A store with 150 connections (≈100 KB), so that a kill often lands in the middle of a write. */
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
  readonly revisions: number[];
  readonly tempsSeen: number;
}

async function lane(kills: number): Promise<LaneResult> {
  const { dir, path } = await bigStore();
  const revisions: number[] = [];
  let tempsSeen = 0;
  for (let i = 0; i < kills; i++) {
    const child = await startWriter(['loop', path]);
    const first = await child.firstLine;
    if (first !== '"ready"') throw new Error(`writer did not start: ${first} ${(await child.done).stderr}`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
    child.process.kill('SIGKILL');
    const { signal, stderr } = await child.done;
    if (signal !== 'SIGKILL') throw new Error(`writer ended by itself: ${stderr}`);

    // Whatever the moment of the kill, the file is one complete, valid state a save wrote…
    const reader = await openStore({ path, readOnly: true });
    const doc = reader.current();
    revisions.push(doc.revision);
    if (doc.revision > 1) {
      expect(doc.notifications.muted).toEqual([`gen-${doc.revision}`]);
      const c0 = doc.connections[0] as Connection;
      if (c0.credential.kind !== 'basic') throw new Error('expected basic');
      expect(reader.reveal(c0.credential.password, connectionSecretRef('c-0', CONNECTION_SECRET_FIELDS.password)).reveal()).toBe(`pw-${doc.revision}`);
    }
    expect(doc.connections).toHaveLength(150);
    await reader.close();
    // …and any temp file left behind is private.
    for (const name of (await listDir(dir)).filter(isTempName)) {
      tempsSeen++;
      const mode = await stat(join(dir, name)).then((s) => s.mode & 0o777, () => 0o600);
      expect(mode, name).toBe(0o600);
    }
  }
  // The next save (a new process, after the last kill) succeeds and removes the leftovers.
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
  return { revisions, tempsSeen };
}

describe('kill -9 during saves', () => {
  it(`${KILLS} SIGKILLs at random moments never leave a torn or invalid store`, async () => {
    const results = await Promise.all(Array.from({ length: LANES }, () => lane(KILLS / LANES)));
    const revisions = results.flatMap((r) => r.revisions);
    expect(revisions).toHaveLength(KILLS);
    // The writers really were saving around the kills: generations were committed between kills.
    const committed = results.reduce((n, r) => n + (r.revisions.at(-1) ?? 1) - 1, 0);
    expect(committed).toBeGreaterThan(KILLS / 4);
    for (const r of results) {
      // Revisions only move forward: nothing committed was ever lost to a later kill.
      expect(r.revisions).toEqual([...r.revisions].sort((a, b) => a - b));
    }
    console.info(`kill -9: ${KILLS} kills, final revisions ${results.map((r) => r.revisions.at(-1)).join(', ')}, leftover temps seen ${results.reduce((n, r) => n + r.tempsSeen, 0)}`);
  }, 120_000);
});
