import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseStorage, checkStorage, runCycle } from '../../src/services/index.js';
import { CLI } from '../helpers/cli.js';
import { engineWorld, type EngineWorld } from './world.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 100);
const UPN = 'admin@contoso.onmicrosoft.com';

/** A small deterministic generator, so a failing run can be repeated (the seed is in the test name). */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);

/** Item ids the storage holds for the mailbox's Inbox (live or deleted), from its latest snapshot. */
async function committed(world: EngineWorld): Promise<Set<string>> {
  try {
    const listing = await browseStorage(world.ctx, world.storageId, `${UPN}/Inbox`);
    return new Set(listing.entries.filter((e) => e.kind === 'item').map((e) => e.id ?? ''));
  } catch {
    return new Set();
  }
}

describe('crash safety: kill -9 during cycles, at moments chosen from the engine’s own events', () => {
  let world: EngineWorld;
  let store: string;

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 1, messages: 4, largeMessages: 0, files: 0, largeFiles: 0 });
    await world.addConnection({ id: 'c-exo', service: 'exchange' });
    await world.addJob('Mail', 'c-exo', [UPN]);
    store = join(world.dir, 'store.json');
  }, 60_000);
  afterAll(() => world?.close());

  it(`${KILLS} kills (seed ${SEED}): the storage always checks sound, nothing committed is lost, the next cycle completes`, async () => {
    const random = prng(SEED);
    const env = { ...process.env, NO_COLOR: '1', BACKUP_PANEL_M365_ENDPOINT: world.sandbox.url };
    let killed = 0;
    let completed = 0;
    for (let round = 0; round < KILLS; round++) {
      // New work for every cycle: a message or two, sometimes a deletion.
      world.sandbox.mail.addMessage(UPN, 'inbox', { subject: `Crash round ${round}` });
      if (random() < 0.5) world.sandbox.mail.addMessage(UPN, 'inbox', { subject: `Crash round ${round} b`, large: random() < 0.2 });
      if (random() < 0.2) {
        const victim = world.sandbox.mail.messages(UPN, 'inbox')[0];
        if (victim) world.sandbox.mail.deleteMessage(UPN, victim.id);
      }
      const before = await committed(world);
      const target = 1 + Math.floor(random() * 12);
      const child = spawn(process.execPath, [CLI, 'jobs', 'run', 'Mail', '--events', '--store', store], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let events = 0;
      let buffer = '';
      const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        buffer += d;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('event: ') && ++events === target) child.kill('SIGKILL');
      });
      const code = await exit;
      if (code === null) killed++;
      else {
        expect(code, `round ${round}`).toBe(0);
        completed++;
      }
      const report = await checkStorage(world.ctx, world.storageId);
      expect(report.problems, `round ${round}`).toEqual([]);
      expect(report.sound).toBe(true);
      const after = await committed(world);
      for (const id of before) expect(after.has(id), `round ${round}: ${id} was committed before the kill`).toBe(true);
    }
    // Most rounds end in a kill (the target event comes before the cycle's last); the others complete.
    expect(killed).toBeGreaterThan(KILLS / 4);
    expect(killed + completed).toBe(KILLS);
    await world.store.reload();
    const last = await runCycle(world.ctx, (world.store.current().jobs.find((j) => j.name === 'Mail') ?? { id: '' }).id);
    expect(last.record.result, JSON.stringify(last.record.errors)).toBe('succeeded');
    const held = await committed(world);
    for (const m of world.sandbox.mail.messages(UPN, 'inbox')) expect(held.has(m.id)).toBe(true);
  }, 900_000);
});
