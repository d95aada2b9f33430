import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { CLI } from '../helpers/cli.js';

/** Keys as a terminal sends them (xterm, normal cursor mode). */
export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  space: ' ',
  backspace: '\x7f',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  ctrlC: '\x03',
} as const;

/**
 * No wait ends sooner than this, whatever a test asks: waits are for what the panel shows, and a
 * loaded 2-core CI machine can take far longer than a quiet one. The limit only stops a hung test.
 */
const HANG_GUARD_MS = 60_000;

export interface PanelOptions {
  readonly cols?: number;
  readonly rows?: number;
  readonly env?: Record<string, string | undefined>;
  readonly term?: string;
  /** The program to run: the built dist/cli.js unless a test runs a private copy. */
  readonly cli?: string;
  /** Run as this user (the test process is root in CI). */
  readonly uid?: number;
  readonly gid?: number;
  readonly cwd?: string;
}

/**
 * The built program in a real pseudo-terminal, its output fed into a headless xterm: the screen
 * a user would see, read back as text.
 */
export class PanelSession {
  readonly #pty: pty.IPty;
  readonly #term: xterm.Terminal;
  #raw = '';
  #exit: Promise<number>;
  #exited = false;

  constructor(args: readonly string[], options: PanelOptions = {}) {
    const cols = options.cols ?? 80;
    const rows = options.rows ?? 24;
    this.#term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
    const env: Record<string, string> = {};
    // A UTF-8 xterm unless a test says otherwise: the panel picks ASCII by itself from the locale.
    const terminal = { TERM: options.term ?? 'xterm', LANG: 'C.UTF-8', LC_ALL: undefined, LC_CTYPE: undefined };
    for (const [key, value] of Object.entries({ ...process.env, ...terminal, ...options.env })) {
      if (value !== undefined) env[key] = value;
    }
    this.argv = [process.execPath, options.cli ?? CLI, ...args];
    this.env = env;
    // The harness itself may run under CI=…; the panel must draw anyway (it neutralises CI itself).
    this.#pty = pty.spawn(process.execPath, this.argv.slice(1), {
      name: env.TERM ?? 'xterm',
      cols,
      rows,
      env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
    this.#pty.onData((data) => {
      this.#raw += data;
      this.#term.write(data);
    });
    this.#exit = new Promise((resolve) =>
      this.#pty.onExit(({ exitCode }) => {
        // node-pty reports the exit after the last output; xterm parses writes later, in order:
        // the empty write's callback says the screen holds everything the program wrote.
        this.#term.write('', () => {
          this.#exited = true;
          resolve(exitCode);
        });
      }),
    );
  }

  /** What was started, for the scans that look for secrets in every child's argv and environment. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;

  get pid(): number {
    return this.#pty.pid;
  }

  get hasExited(): boolean {
    return this.#exited;
  }

  /** Everything the program wrote, escapes included. */
  get raw(): string {
    return this.#raw;
  }

  /** The visible screen, one string per row, trailing spaces trimmed. */
  lines(): string[] {
    const buffer = this.#term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < this.#term.rows; i++) out.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
    return out;
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** The screen as one paragraph: box borders dropped and wrapped lines joined. */
  flowed(): string {
    return this.lines()
      .map((l) => l.replace(/[│|╭╮╰╯─]/g, ' ').trim())
      .filter(Boolean)
      .join(' ')
      .replace(/\s+/g, ' ');
  }

  /** Waits until the screen (as drawn, or flowed into one paragraph) shows the pattern. */
  async waitFor(pattern: RegExp | string | ((session: PanelSession) => boolean), timeoutMs = 15_000): Promise<void> {
    const matches = () =>
      typeof pattern === 'function'
        ? pattern(this)
        : typeof pattern === 'string'
          ? this.text().includes(pattern) || this.flowed().includes(pattern)
          : pattern.test(this.text()) || pattern.test(this.flowed());
    const started = Date.now();
    const limit = Math.max(timeoutMs, HANG_GUARD_MS);
    // The xterm parser applies writes asynchronously; poll the parsed screen.
    while (!matches()) {
      if (this.#exited) throw new Error(`the panel exited while waiting for ${String(pattern)}; last screen:\n${this.text()}`);
      if (Date.now() - started > limit) {
        throw new Error(`screen did not show ${String(pattern)} within ${timeoutMs} ms; it shows:\n${this.text()}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async waitForGone(pattern: RegExp | string, timeoutMs = 15_000): Promise<void> {
    const matches = () => (typeof pattern === 'string' ? this.text().includes(pattern) : pattern.test(this.text()));
    const started = Date.now();
    const limit = Math.max(timeoutMs, HANG_GUARD_MS);
    while (matches()) {
      if (Date.now() - started > limit) throw new Error(`screen still shows ${String(pattern)} after ${timeoutMs} ms:\n${this.text()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Sends keys one at a time, as a person types, letting the screen settle in between. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.#pty.write(key);
      await new Promise((r) => setTimeout(r, key === KEY.esc ? 120 : 60));
    }
  }

  async type(text: string): Promise<void> {
    for (const ch of text) await this.press(ch);
  }

  resize(cols: number, rows: number): void {
    this.#pty.resize(cols, rows);
    this.#term.resize(cols, rows);
  }

  exited(timeoutMs = 10_000): Promise<number> {
    const limit = Math.max(timeoutMs, HANG_GUARD_MS);
    return Promise.race([
      this.#exit,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`the panel did not exit within ${limit} ms:\n${this.text()}`)), limit)),
    ]);
  }

  kill(): void {
    try {
      this.#pty.kill('SIGKILL');
    } catch {
      // already gone
    }
    this.#term.dispose();
  }
}

/**
 * From Manage server connections with an obsolete online connection selected: Edit → Automatic
 * registration → its permissions → the device-code sign-in. Returns the code shown to the admin.
 */
export async function editToDeviceCode(panel: PanelSession): Promise<string> {
  await panel.press('e');
  await panel.waitFor('(•) Automatic registration');
  await panel.press(KEY.enter);
  await panel.waitFor('Mail.ReadWrite (Microsoft Graph)');
  await panel.press(KEY.enter);
  await panel.waitFor(/Enter code\s+[A-Z0-9]{8}/);
  return /Enter code\s+([A-Z0-9]{8})/.exec(panel.text())?.[1] ?? '';
}
