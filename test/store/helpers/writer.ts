/**
 * A child process for the multi-process tests, bundled once with esbuild and run with plain node.
 * It drives the real store code. Modes:
 *   crash <store> <saves> <call>   <saves> saves of the next generation (printing "saved N"), then one
 *                              more that stops at its <call>-th file operation, printing "paused N <op>",
 *                              and waits there to be killed (prints "completed" if that save has fewer)
 *   cycles <store> <n> <category> [nolock]   n × (mute, unmute) of a category without expectRevision;
 *                              prints "ready" once open and starts when a line (or the end) arrives on
 *                              stdin, so that a parent can start several at the same moment
 *   mute <store> <category>    one mute, then exit
 *   watch <store>              read + validate the raw file in a tight loop and subscribe, until stdin closes
 *   open <store>               open and report (for permission tests as another user)
 *   hold-lock <store>          take the store lock and wait to be killed
 */
import { readFile } from 'node:fs/promises';
import { connectionSecretRef, StoreDocument } from '../../../src/domain/index.js';
import type { Store } from '../../../src/store/index.js';
import type { FsFacade } from '../../../src/store/index.js';
import { nodeFs, openStore, StoreError, storeFiles } from '../../../src/store/index.js';
import { acquireStoreLock, DEFAULT_LOCK_TIMING, noLock } from '../../../src/store/lock.js';

const [mode, path, ...rest] = process.argv.slice(2);

function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

async function setMuted(store: Store, category: string, muted: boolean): Promise<void> {
  await store.update((draft) => {
    const present = draft.notifications.muted.includes(category);
    if (present === muted) throw new Error(`lost update: ${category} already ${muted ? 'muted' : 'unmuted'}`);
    draft.notifications.muted = muted ? [...draft.notifications.muted, category] : draft.notifications.muted.filter((c) => c !== category);
    return { change: { action: muted ? 'alerts.mute' : 'alerts.unmute', entity: { type: 'notifications' }, fields: ['notifications.muted'], details: { category } }, result: undefined };
  });
}

async function main(): Promise<void> {
  if (!path) throw new Error('usage: writer <mode> <store> …');
  switch (mode) {
    case 'crash': {
      // The kill lands at a chosen file operation of a save (the parent kills on "paused"), never
      // at a moment that depends on how fast this machine is.
      const saves = Number(rest[0]);
      const call = Number(rest[1]);
      let armed = false;
      let calls = 0;
      const pause = (op: string) => async () => {
        if (!armed) return;
        if (calls++ === call) {
          print(`paused ${generationInFlight} ${op}`);
          setInterval(() => undefined, 60_000); // keeps the process alive…
          await new Promise(() => undefined); // …here, until SIGKILL
        }
      };
      let generationInFlight = 0;
      const fs = Object.fromEntries(
        Object.entries(nodeFs).map(([op, fn]) => [op, async (...args: unknown[]) => {
          await pause(op)();
          return (fn as (...a: unknown[]) => unknown)(...args);
        }]),
      ) as unknown as FsFacade;
      const store = await openStore({ path, fs });
      const save = () =>
        store.update((draft, tools) => {
          const generation = draft.revision + 1;
          draft.notifications.muted = [`gen-${generation}`];
          const first = draft.connections[0];
          if (first && first.credential.kind === 'basic') {
            first.credential.password = tools.seal(`pw-${generation}`, connectionSecretRef(first.id, 'credential.password'));
          }
          return { change: { action: 'test.generation', fields: ['notifications.muted', 'credential.password'] }, result: undefined };
        });
      for (let i = 0; i < saves; i++) {
        await save();
        print(`saved ${store.current().revision}`);
      }
      generationInFlight = store.current().revision + 1;
      armed = true;
      await save();
      print('completed');
      await store.close();
      return;
    }
    case 'cycles': {
      const [count, category, lock] = rest;
      const store = await openStore({ path, ...(lock === 'nolock' ? { locker: noLock } : {}), lockTiming: { waitMs: 30_000 } });
      print('ready');
      await new Promise<void>((resolve) => {
        process.stdin.once('data', () => resolve());
        process.stdin.once('end', () => resolve());
      });
      let lost = 0;
      for (let i = 0; i < Number(count); i++) {
        for (const muted of [true, false]) {
          try {
            await setMuted(store, String(category), muted);
          } catch (error) {
            if (error instanceof StoreError) throw error;
            lost++;
          }
        }
      }
      await store.close();
      print({ lost });
      return;
    }
    case 'mute': {
      const store = await openStore({ path });
      await setMuted(store, String(rest[0]), true);
      print({ revision: store.current().revision });
      await store.close();
      return;
    }
    case 'watch': {
      let reads = 0;
      let invalid = 0;
      let notifications = 0;
      let maxRevision = 0;
      const store = await openStore({ path, readOnly: true });
      store.subscribe(() => notifications++, 5);
      let stop = false;
      process.stdin.on('data', () => undefined);
      process.stdin.on('end', () => (stop = true));
      print('ready');
      while (!stop) {
        reads++;
        try {
          const doc = StoreDocument.parse(JSON.parse(await readFile(path, 'utf8')));
          maxRevision = Math.max(maxRevision, doc.revision);
        } catch {
          invalid++;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Once more after the writers finished (however few reads a loaded machine allowed meanwhile).
      try {
        maxRevision = Math.max(maxRevision, StoreDocument.parse(JSON.parse(await readFile(path, 'utf8'))).revision);
      } catch {
        invalid++;
      }
      await store.reload();
      await store.close();
      print({ reads, invalid, notifications, maxRevision, lastSeen: store.current().revision });
      return;
    }
    case 'open': {
      try {
        const store = await openStore({ path });
        let update: unknown = null;
        try {
          await setMuted(store, 'job-failed', true);
          update = 'saved';
        } catch (error) {
          update = error instanceof StoreError ? { code: error.code, message: error.message } : String(error);
        }
        print({ ok: true, readOnly: store.readOnly, reason: store.readOnlyReason, connections: store.current().connections.length, update });
        await store.close();
      } catch (error) {
        print(error instanceof StoreError ? { ok: false, code: error.code, message: error.message } : { ok: false, message: String(error) });
      }
      return;
    }
    case 'hold-lock': {
      await acquireStoreLock(storeFiles(path), DEFAULT_LOCK_TIMING);
      print('ready');
      setInterval(() => undefined, 60_000); // stay alive, holding the lock, until killed
      return;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
