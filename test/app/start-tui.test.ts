import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

// A CI variable in the admin's environment must not blank the panel (Ink renders nothing until exit
// when it believes it runs under CI). Set before anything could load ink.
vi.hoisted(() => {
  process.env.CI = 'true';
});

const { startTui, NOT_A_TTY_MESSAGE } = await import('../../src/app/start-tui.js');
const { MemoryStore } = await import('./helpers/memory-store.js');
const { migratedFixture } = await import('./helpers/documents.js');
const { fakeAuth } = await import('./helpers/fake-auth.js');
const { FakeStdin } = await import('./helpers/fake-stdin.js');

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  output = '';
  write(data: string, callback?: () => void): boolean {
    this.output += data;
    callback?.();
    return true;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ctx = () => ({ store: new MemoryStore(migratedFixture()), now: () => new Date('2026-11-20T10:00:00Z'), auth: async () => fakeAuth() });

/** Waits for what the panel draws; the limit only stops a hung test (start-up on a loaded machine takes seconds). */
async function until(test: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

afterEach(() => vi.restoreAllMocks());

describe('startTui', () => {
  it('refuses to run without a terminal: one line pointing at the commands, exit 2', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    const stdin = Object.assign(new FakeStdin(), { isTTY: false });
    const code = await startTui({ ctx: ctx(), color: false, ascii: false, host: 'h', stdin: stdin as unknown as NodeJS.ReadStream, stdout: new FakeStdout() as unknown as NodeJS.WriteStream });
    expect(code).toBe(2);
    expect(errors.join('')).toBe(`${NOT_A_TTY_MESSAGE}\n`);
    expect(NOT_A_TTY_MESSAGE).toContain('backup-panel connections list');
  });

  it('draws on the alternate screen even with CI set, redraws whole on resize, and restores the screen when q quits', async () => {
    const stdout = new FakeStdout();
    const stdin = new FakeStdin();
    const running = startTui({ ctx: ctx(), color: false, ascii: false, host: 'backup01', stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream });
    await until(() => stdout.output.includes('Defined server connections'));
    expect(stdout.output.startsWith('\x1b[?1049h')).toBe(true);
    // Never a frame as tall as the terminal: Ink would clear the whole screen on every update.
    expect(stdout.output).not.toContain('\x1b[2J\x1b[3J');

    stdout.columns = 100;
    const before = stdout.output.length;
    stdout.emit('resize');
    await until(() => stdout.output.slice(before).includes('Defined server connections'));
    // A new size is drawn whole: cleared first, then every line at its row.
    expect(stdout.output.slice(before)).toContain('\x1b[H\x1b[2J');

    stdin.type('q');
    expect(await running).toBe(0);
    expect(stdout.output.endsWith('\x1b[?1049l')).toBe(true);
  });
});
