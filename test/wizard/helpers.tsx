import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { App } from '../../src/app/App.js';
import type { DemoAppHooks } from '../../src/app/container/options.js';
import { KEYS, renderSized, type Screen } from '../app/helpers/render.js';
import { openFixture, type Fixture, type FixtureOptions } from '../screens/helpers/context.js';

export { KEYS };
export const CTRL_B = '\x02';
export const CTRL_U = '\x15';

export interface WizardRun {
  readonly fixture: Fixture;
  readonly screen: Screen;
  /** The store file's bytes when the test started. */
  readonly before: string;
}

export async function storeBytes(fixture: Fixture): Promise<string> {
  return readFile(fixture.store.path, 'utf8');
}

/** The panel on the real store (temp copy of the v1 fixture) and the real auth against the sandbox. */
export async function start(options: FixtureOptions & { demo?: boolean; demoApp?: (fixture: Fixture) => Promise<DemoAppHooks>; size?: { columns: number; rows: number }; pollMs?: number } = {}): Promise<WizardRun> {
  const fixture = await openFixture(options);
  await fixture.sandbox();
  const before = await storeBytes(fixture);
  const demoApp = options.demoApp ? await options.demoApp(fixture) : undefined;
  const screen = await renderSized(
    <App ctx={fixture.ctx} color={false} ascii={false} host="backup01" demo={options.demo} demoApp={demoApp} {...(options.pollMs ? { pollMs: options.pollMs } : {})} />,
    options.size ?? { columns: 80, rows: 24 },
  );
  return { fixture, screen, before };
}

/** Manage server connections with the cursor on the row whose name contains `name`. */
export async function selectConnection(screen: Screen, name: string): Promise<void> {
  await screen.press('2');
  for (let i = 0; i < 10; i += 1) {
    const selected = screen.frame().split('\n').find((l) => l.startsWith('›')) ?? '';
    if (selected.includes(name)) return;
    await screen.press('j');
  }
  throw new Error(`no connection ${name}:\n${screen.frame()}`);
}

export async function typeText(screen: Screen, text: string): Promise<void> {
  // One write, as a paste arrives: every character is applied in order.
  await screen.pressTogether(text);
}

/** Presses `key` until the frame shows `re` (Tab through fields, for example). */
export async function pressUntil(screen: Screen, key: string, test: (frame: string) => boolean, max = 12): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (test(screen.frame())) return;
    await screen.press(key);
  }
  if (!test(screen.frame())) throw new Error(`never got there:\n${screen.frame()}`);
}

/** The line of the focused field (it starts with the pointer after the step area's indent). */
export function focusedLine(frame: string): string {
  return frame.split('\n').find((l) => /^\s*› /.test(l)) ?? '';
}

export async function focusField(screen: Screen, label: string): Promise<void> {
  await pressUntil(screen, KEYS.tab, (f) => focusedLine(f).trimStart().startsWith(`› ${label}`));
}

export async function writeTemp(fixture: Fixture, name: string, content: string): Promise<string> {
  const path = join(fixture.store.path, '..', name);
  await writeFile(path, content, { mode: 0o600 });
  return path;
}

export function userCodeOf(frame: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const lines = frame.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  for (const line of lines) {
    const code = /^\s*Enter code\s+([A-Z0-9]{6,})\s*$/.exec(line)?.[1];
    if (code) return code;
  }
  return undefined;
}

export const EXCHANGE_ROLES = ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'];
export const SHAREPOINT_ROLES = ['Sites.FullControl.All', 'User.Read.All'];

/** Waits for the verification to end (passed or failed). */
export async function verified(screen: Screen, timeoutMs = 30_000): Promise<string> {
  return screen.waitFor((f) => f.includes('Enter: Summary') || f.includes('A check failed') || /Verification could not run/.test(f), timeoutMs);
}

/** From the device-code step: reads the code on the screen and lets the sandbox approve it. */
export async function approveFromScreen(run: WizardRun, upn?: string): Promise<string> {
  const frame = await run.screen.waitFor((f) => userCodeOf(f) !== undefined, 15_000);
  const code = userCodeOf(frame) as string;
  (await run.fixture.sandbox()).approveDeviceCode(code, upn);
  return code;
}

/** Summary → Finish, and back on Manage server connections with the saved notice. */
export async function finish(screen: Screen): Promise<string> {
  await screen.waitFor((f) => f.includes('Nothing has been saved yet. Enter: Finish.'));
  await screen.press(KEYS.enter);
  return screen.waitFor((f) => f.includes('Manage server connections') && /saved|created/.test(f), 10_000);
}

export function rowOf(frame: string, name: string): string {
  return frame.split('\n').find((l) => l.includes(name) && /Exchange|SharePoint/.test(l)) ?? '';
}

/** A frame's text as one line (wrapped sentences read whole). */
export function unwrapFrame(frame: string): string {
  return frame
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');
}
