import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../helpers/cli.js';

/**
 * `backup-panel service` as systemd runs it: the built program, no terminal, its stderr read line
 * by line. Tests wait for the lines the service logs (events), never for a time.
 */

/** No wait ends sooner than this: a hang guard for a loaded CI machine, not a budget. */
const HANG_GUARD_MS = 240_000;

export class ServiceProcess {
  readonly child: ChildProcess;
  #stderr = '';
  #stdout = '';
  #listeners = new Set<() => void>();
  readonly #exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  constructor(args: readonly string[], env: Record<string, string>) {
    const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
    // Not under systemd: plain lines with a time, not journal priorities.
    delete childEnv.JOURNAL_STREAM;
    this.child = spawn(process.execPath, [CLI, 'service', ...args], { env: childEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.#stderr += d;
      for (const listener of this.#listeners) listener();
    });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.#stdout += d));
    this.#exit = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        resolve({ code, signal, at: performance.now() });
        for (const listener of this.#listeners) listener();
      }),
    );
  }

  get stderr(): string {
    return this.#stderr;
  }

  get stdout(): string {
    return this.#stdout;
  }

  /** Complete lines logged so far. */
  lines(): string[] {
    const all = this.#stderr.split('\n');
    all.pop();
    return all;
  }

  /** Resolves with the lines once `done` holds for them; rejects if the process exits first. */
  until(done: (lines: string[]) => boolean, what: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      let exited = false;
      void this.#exit.then(() => (exited = true));
      const check = () => {
        const lines = this.lines();
        if (done(lines)) {
          cleanup();
          resolve(lines);
        } else if (exited || this.child.exitCode !== null) {
          cleanup();
          reject(new Error(`the service exited while waiting for ${what}:\n${this.#stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`the service did not log ${what} within ${HANG_GUARD_MS} ms:\n${this.#stderr}`));
      }, HANG_GUARD_MS);
      const cleanup = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Waits for a line matching `pattern` (the `nth` one, from 1). */
  line(pattern: RegExp, nth = 1): Promise<string> {
    return this.until((lines) => lines.filter((l) => pattern.test(l)).length >= nth, String(pattern)).then((lines) => lines.filter((l) => pattern.test(l))[nth - 1]!);
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
    return Promise.race([
      this.#exit,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the service did not exit:\n${this.#stderr}`)), HANG_GUARD_MS).unref()),
    ]);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** The activity period of a day three days from now, all day: never open today (nor tomorrow). */
export function closedActivityPeriod(now = new Date()): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][(now.getDay() + 3) % 7]!;
  return `${day} 00:00-23:59`;
}

/** The result words of a service log's cycle-end lines for a job name. */
export function cycleEnds(lines: readonly string[], name: string): string[] {
  const re = new RegExp(`job '${name}' \\([^)]*\\): cycle (succeeded|warning|failed|stopped)`);
  return lines.flatMap((l) => {
    const m = re.exec(l);
    return m ? [m[1]!] : [];
  });
}

/** The most cycles the log shows running at once (a start line opens one, an end line closes it). */
export function mostAtOnce(lines: readonly string[]): number {
  let running = 0;
  let most = 0;
  for (const line of lines) {
    if (/: cycle started$/.test(line)) most = Math.max(most, ++running);
    else if (/: cycle (succeeded|warning|failed|stopped)/.test(line)) running -= 1;
  }
  return most;
}
