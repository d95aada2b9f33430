import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Connection, StoreDocument } from '../../src/domain/index.js';
import type { StoreChange } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import { runWriter, writerBundle } from './helpers/children.js';
import { sha256, v1StoreDir } from './helpers/tmp.js';

beforeAll(async () => {
  await writerBundle();
});

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Replaces the file the way an editor or another program would (write elsewhere, rename). */
async function replaceExternally(path: string, content: string): Promise<void> {
  const temp = join(path, '..', 'hand-edit.tmp');
  await writeFile(temp, content, { mode: 0o600 });
  await rename(temp, path);
}

describe('watching the store', () => {
  it('reports other processes’ saves as external and its own as not, and ignores invalid content until it is fixed', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path });
    const changes: StoreChange[] = [];
    const unsubscribe = store.subscribe((change) => changes.push(change), 20);

    await runWriter(['mute', path, 'connection-failed']);
    await until(() => changes.length === 1);
    expect(changes[0]).toMatchObject({ external: true, document: { notifications: { muted: ['connection-failed'] } } });
    expect(store.current().notifications.muted).toEqual(['connection-failed']);

    await store.update((draft) => {
      draft.notifications.muted = [];
      return { change: { action: 'alerts.unmute' }, result: undefined };
    });
    expect(changes).toHaveLength(2);
    expect(changes[1]).toMatchObject({ external: false, document: { notifications: { muted: [] } } });

    // A broken hand edit: ignored, the last good document stays.
    const good = store.current();
    const text = await readFile(path, 'utf8');
    await replaceExternally(path, text.slice(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(changes).toHaveLength(2);
    expect(store.current()).toBe(good);
    await expect(store.reload()).rejects.toMatchObject({ code: 'invalid' });

    // Fixed: picked up.
    const fixed = JSON.parse(text) as Record<string, unknown>;
    await replaceExternally(path, JSON.stringify({ ...fixed, revision: (fixed.revision as number) + 5, notifications: { muted: ['job-failed'] } }, null, 2));
    await until(() => changes.length === 3);
    expect(changes[2]).toMatchObject({ external: true, document: { revision: (fixed.revision as number) + 5 } });

    // A save on top of a hand edit is based on the file, not on memory.
    await store.update((draft) => {
      draft.notifications.muted.push('credential-expiring');
      return { change: { action: 'alerts.mute' }, result: undefined };
    });
    expect(store.current().notifications.muted).toEqual(['job-failed', 'credential-expiring']);

    unsubscribe();
    await runWriter(['mute', path, 'connection-failed']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(changes).toHaveLength(4);
    expect(await store.reload()).toBe(true);
    expect(await store.reload()).toBe(false);
    await store.close();
  });

  it('a same-size hand edit in place (same inode) is noticed by the next save', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path });
    const text = await readFile(path, 'utf8');
    const edited = text.replace('"admin@contoso.onmicrosoft.com"', '"ADMIN@contoso.onmicrosoft.com"');
    expect(edited.length).toBe(text.length);
    await writeFile(path, edited); // in place, as some editors save
    await store.update((draft) => {
      draft.notifications.muted = ['job-failed'];
      return { change: { action: 'alerts.mute' }, result: undefined };
    });
    expect(store.current().connections[0]?.displayName).toBe('ADMIN@contoso.onmicrosoft.com');
    expect(JSON.parse(await readFile(path, 'utf8')).connections[0].displayName).toBe('ADMIN@contoso.onmicrosoft.com');
    await store.close();
  });

  it('refuses to save over a file that became invalid or newer since it was opened', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path });
    const text = await readFile(path, 'utf8');

    await replaceExternally(path, text.replace('"schemaVersion": 2', '"schemaVersion": 9'));
    let before = await sha256(path);
    await expect(store.update(() => ({ change: { action: 'x' }, result: 1 }))).rejects.toMatchObject({ code: 'newer-version' });
    expect(await sha256(path)).toBe(before);

    await replaceExternally(path, '{"schemaVersion": 2, "revision": ');
    before = await sha256(path);
    await expect(store.update(() => ({ change: { action: 'x' }, result: 1 }))).rejects.toMatchObject({ code: 'invalid' });
    expect(await sha256(path)).toBe(before);
    await store.close();
  });

  it('never writes a document that fails validation (a bug in an edit)', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path });
    const before = await sha256(path);
    const revision = store.current().revision;
    const error = await store
      .update((draft) => {
        const first = draft.connections[0];
        if (first) first.displayName = '';
        draft.jobs.push({ id: 'j-9', name: 'orphan', kind: 'backup', connectionId: 'nope', continuous: false });
        return { change: { action: 'bug' }, result: undefined };
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid' });
    expect((error as Error).message).toContain(`refusing to save ${path}: the change would make the store invalid (connections[0].displayName: must not be empty`);
    expect((error as Error).message).toContain('nothing was written');
    expect(await sha256(path)).toBe(before);
    expect(store.current().revision).toBe(revision);
    expect(store.current().connections[0]?.displayName).toBe('admin@contoso.onmicrosoft.com');
    await store.close();
  });

  // A save re-checks only the sections its edit touched (the rest are the validated document's own),
  // but the rules that tie sections together always see all of them.
  it.each([
    ['a job (jobs touched) naming a connection that does not exist', (d: StoreDocument) => void d.jobs.push({ id: 'j-9', name: 'orphan', kind: 'backup', connectionId: 'nope', continuous: false }), "no connection with id 'nope'"],
    ['removing a connection a job uses (only connections touched)', (d: StoreDocument) => void d.connections.splice(0, 1), "no connection with id 'c-1'"],
    ['a second connection with an existing id', (d: StoreDocument) => void d.connections.push({ ...(d.connections[1] as Connection), id: 'c-1' }), "duplicate connection id 'c-1'"],
    ['a muted entry that is not a text (only notifications touched)', (d: StoreDocument) => void (d.notifications.muted as unknown[]).push(7), 'notifications.muted[0]'],
  ])('refuses %s and writes nothing', async (_name, edit, message) => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path });
    const before = await sha256(path);
    const error = await store
      .update((draft) => {
        edit(draft);
        return { change: { action: 'bug' }, result: undefined };
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid' });
    expect((error as Error).message).toContain(message);
    expect(await sha256(path)).toBe(before);
    await store.close();
  });
});
