/**
 * kill -9 of a writer at moments chosen from its own progress output (never from time): after
 * each, `check` passes, every cycle the writer reported committed is there with its content, and
 * the next writer takes over the dead one's lock and carries on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Secret } from '../../src/domain/index.js';
import { openStorage } from '../../src/repository/index.js';
import { itemContent } from './helpers/data.js';
import { childBundle, startWriter } from './helpers/children.js';
import { newStorage, readContent, sha256 } from './helpers/storage.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 100);
const LANES = 4;
const CYCLES_PER_RUN = 4;
/** Lines one run prints: per cycle and source 10 puts and a commit, plus pack/index/snapshot events. */
const LINES_PER_RUN = CYCLES_PER_RUN * 2 * 14;

/** A small seeded generator, so a failing lane can be told apart and replayed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const KEYS = { A: 'mailbox:a', B: 'mailbox:b' } as const;

/** Verifies the storage against what the writers reported committed; returns the cycle each source is at. */
async function verify(dir: string, key: Secret, committed: Record<'A' | 'B', number>, pick: () => number): Promise<Record<'A' | 'B', number>> {
  const storage = await openStorage(dir, key);
  const report = await storage.check();
  expect(report.problems).toEqual([]);
  const at = { A: 0, B: 0 };
  for (const name of ['A', 'B'] as const) {
    const reader = await storage.latest(KEYS[name]);
    const cycle = Number((reader?.cursor(null) ?? 'cycle-0').slice(6));
    // Nothing committed is lost: the latest snapshot is the last reported commit or a later one.
    expect(cycle).toBeGreaterThanOrEqual(committed[name]);
    at[name] = cycle;
    if (!reader) continue;
    for (let c = 1; c <= cycle; c++) {
      for (let i = 0; i < 10; i++) {
        const item = await reader.getItem(`f${c % 3}`, `c${c}-i${i}`);
        expect(item, `${name} cycle ${c} item ${i}`).toBeDefined();
        expect(Boolean(item!.deletedAt)).toBe(i === 1 && c < cycle);
      }
    }
    // Content of the newest cycle, and of one earlier cycle, byte for byte.
    for (const c of new Set([cycle, 1 + Math.floor(pick() * cycle)])) {
      for (let i = 0; i < 10; i++) {
        const item = (await reader.getItem(`f${c % 3}`, `c${c}-i${i}`))!;
        expect(sha256(await readContent(storage, item.content))).toBe(sha256(itemContent(name, c, i)));
      }
    }
  }
  return at;
}

async function lane(seed: number, kills: number): Promise<{ kills: number; cycles: number }> {
  const pick = random(seed);
  const { dir, masterKey } = await newStorage();
  const committed = { A: 0, B: 0 };
  let killed = 0;
  while (killed < kills) {
    const target = 1 + Math.floor(pick() * LINES_PER_RUN);
    const writer = await startWriter(dir, masterKey, ['cycles', String(CYCLES_PER_RUN)]);
    const reached = await writer.waitFor((_line) => writer.lines.length >= target).catch(() => undefined);
    if (reached !== undefined) writer.process.kill('SIGKILL');
    const { signal, code, stderr } = await writer.exited;
    // Read every line it printed before it died.
    for (const line of writer.lines) {
      const match = /^committed ([AB]) (\d+)$/.exec(line);
      if (match) committed[match[1] as 'A' | 'B'] = Math.max(committed[match[1] as 'A' | 'B'], Number(match[2]));
    }
    if (signal === 'SIGKILL') killed++;
    else expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const at = await verify(dir, masterKey, committed, pick);
    committed.A = at.A;
    committed.B = at.B;
  }
  // A following write completes, over the dead writers' leftovers, with nothing lost.
  const last = await startWriter(dir, masterKey, ['cycles', '1']);
  expect(await last.exited).toMatchObject({ code: 0, signal: null, stderr: '' });
  expect(last.lines.at(-1)).toBe('done');
  const final = await verify(dir, masterKey, { A: committed.A + 1, B: committed.B + 1 }, pick);
  return { kills: killed, cycles: final.A + final.B };
}

describe('crash safety', () => {
  beforeAll(async () => {
    await childBundle();
  });

  it(`survives ${KILLS} kill -9 of a writer at moments taken from its progress`, async () => {
    const seed = Date.now() % 100_000;
    const per = KILLS / LANES;
    const results: { kills: number; cycles: number }[] = [];
    // Two lanes at a time: the machine has two cores.
    for (let l = 0; l < LANES; l += 2) results.push(...(await Promise.all([lane(seed + l, per), lane(seed + l + 1, per)])));
    expect(results.reduce((sum, r) => sum + r.kills, 0), `seed ${seed}`).toBe(KILLS);
    // The cycles did advance between kills (the test is not killing idle writers).
    expect(results.every((r) => r.cycles > 4)).toBe(true);
  }, 900_000);
});
