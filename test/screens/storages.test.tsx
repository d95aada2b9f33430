import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { Secret } from '../../src/domain/index.js';
import { attachStorage } from '../../src/repository/index.js';
import { runCycle } from '../../src/services/cycles.js';
import { cleanup, KEYS, renderSized, unwrap, type Screen } from '../app/helpers/render.js';
import { engineWorld, type EngineWorld } from '../engine/world.js';

/**
 * The Storages tab and Browse against the sandbox: the list with its figures, New storage and its
 * recovery key shown once, Check, Browse with the `/` filter, Export to a folder and a restore job
 * made from Browse that puts the items back in the sandbox mailbox. Real store, engine and storage.
 */

let world: EngineWorld;
let scratch: string;
const UPN = 'admin@contoso.onmicrosoft.com';

beforeAll(async () => {
  world = await engineWorld({ mailboxes: 2, messages: 6, largeMessages: 0, files: 0, largeFiles: 0 });
  await world.addConnection({ id: 'c-exo', service: 'exchange' });
  world.sandbox.mail.addMessage(UPN, 'inbox', { subject: 'Quarterly figures', body: 'The figures for the quarter.' });
  world.sandbox.mail.addMessage(UPN, 'inbox', { subject: 'Lunch on Friday', body: 'Pizza?' });
  world.sandbox.mail.addMessage(UPN, 'inbox', { subject: 'Old newsletter', body: 'Read me and forget me.' });
  const jobId = await world.addJob('Mail', 'c-exo', [UPN]);
  const { record } = await runCycle(world.ctx, jobId);
  expect(record.result).toBe('succeeded');
  scratch = await mkdtemp(join(tmpdir(), 'bp-storages-screen-'));
}, 180_000);
afterAll(() => world?.close());
afterEach(() => cleanup());

async function panel(size = { columns: 100, rows: 30 }): Promise<Screen> {
  const screen = await renderSized(<App ctx={world.ctx} color={false} ascii={false} host="backup01" pollMs={100} />, size);
  await screen.press('5');
  await screen.waitFor((f) => f.includes('Storages (') && f.includes('30 days'));
  return screen;
}

async function type(screen: Screen, text: string): Promise<void> {
  for (const ch of text) await screen.press(ch);
}

/** Browse 'Main' down to the Inbox of the mailbox backed up. */
async function browseInbox(screen: Screen): Promise<string> {
  await screen.press(KEYS.enter);
  await screen.waitFor((f) => f.includes('Main (1)') && f.includes(UPN));
  await screen.press(KEYS.enter);
  await screen.waitFor((f) => f.includes(`Main / ${UPN}`) && f.includes('Inbox/'));
  // Straight to the Inbox with the filter, as on a mailbox with many folders.
  await screen.press('/');
  await type(screen, 'inbox');
  await screen.press(KEYS.enter);
  await screen.waitFor((f) => /\(1 of \d+\)/.test(f));
  await screen.press(KEYS.enter);
  return screen.waitFor((f) => f.includes(`Main / ${UPN} / Inbox`) && f.includes('Quarterly figures'));
}

describe('Storages tab with the sandbox', () => {
  it('lists each storage with its size, items and retention, read from its folder', async () => {
    const screen = await panel();
    const frame = await screen.waitFor((f) => /Main\s+\d+\s+[\d.]+ [KMG]?B/.test(f));
    expect(frame).toMatch(/Storage\s+Items\s+Stored\s+Original\s+Retention/);
    expect(frame).toContain("Used by job 'Mail'.");
  }, 60_000);

  it('New storage: location, retention, then the recovery key shown once with the instruction to keep it', async () => {
    const screen = await panel();
    await screen.press('n');
    await screen.waitFor((f) => f.includes('New storage') && f.includes('Location'));
    const path = join(scratch, 'archive');
    await type(screen, path);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Keep deleted items'));
    await screen.press('\u0015');
    await type(screen, '90');
    await screen.press(KEYS.enter);
    const summary = unwrap(await screen.waitFor((f) => f.includes('Summary') && f.includes('Finish')));
    expect(summary).toContain(`Folder ${path}`);
    expect(summary).toContain('Display name archive');
    expect(summary).toContain('Keep deleted items 90 days');
    await screen.press(KEYS.enter);
    const shown = await screen.waitFor((f) => f.includes('shown this once'));
    expect(unwrap(shown)).toContain('Keep it somewhere safe, away from this server');
    const record = world.store.current().storages?.find((s) => s.name === 'archive');
    expect(record).toMatchObject({ path, retentionDays: 90 });
    // The key drawn is the one that opens the storage without this store.
    const key = shown.match(/[A-Z0-9]{4}(?:-[A-Z0-9]{4}){7}/)?.[0];
    expect(key).toBeTruthy();
    const attached = await attachStorage(path, new Secret(key!));
    await attached.storage.close();
    await screen.press(KEYS.enter);
    const after = await screen.waitFor((f) => f.includes('Storages (2)') && f.includes('archive'));
    expect(after).not.toContain(key!);
    // Nothing brings it back: browsing the new storage and coming back never draws it.
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('archive (0)'));
    await screen.press(KEYS.escape);
    await screen.waitFor((f) => f.includes('Storages (2)'));
    expect(screen.frames.slice(screen.frames.indexOf(after)).some((f) => f.includes(key!))).toBe(false);
  }, 120_000);

  it('Check reads every object with progress and says the storage is sound', async () => {
    const screen = await panel();
    await screen.waitFor((f) => f.includes('Main'));
    await screen.press('c');
    await screen.waitFor((f) => f.includes("Checking storage 'Main'"));
    const done = unwrap(await screen.waitFor((f) => f.includes('Storage sound')));
    expect(done).toMatch(/Storage sound: \d+ files?, \d+ objects? read and authenticated\./);
    expect(screen.frames.some((f) => /read \d+ of \d+ files/.test(f) || f.includes('Starting'))).toBe(true);
  }, 120_000);

  it('Browse: sources, folders, items with date, size and title; / filters each level', async () => {
    const screen = await panel();
    await screen.waitFor((f) => f.includes('Main'));
    const inbox = await browseInbox(screen);
    expect(inbox).toMatch(/Quarterly figures\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+[\d.]+ [KMG]?B/);
    expect(inbox).toContain('Lunch on Friday');
    await screen.press('/');
    await type(screen, 'lunch');
    const filtered = await screen.waitFor((f) => /Inbox \(1 of \d+\)/.test(f));
    expect(filtered).toContain('Lunch on Friday');
    expect(filtered).not.toContain('Quarterly figures');
    // Esc clears the filter, Esc again goes up a level: that level's own list.
    await screen.press(KEYS.escape);
    await screen.waitFor((f) => f.includes('Lunch on Friday') && f.includes('Quarterly figures'));
    await screen.press(KEYS.escape);
    await screen.waitFor((f) => f.includes(`Main / ${UPN} (`) && !f.includes('Lunch on Friday'));
  }, 120_000);

  it('Browse marks what was deleted at the source and is still kept (within retention)', async () => {
    const gone = world.sandbox.mail.messages(UPN, 'inbox').find((m) => m.subject === 'Old newsletter');
    world.sandbox.mail.deleteMessage(UPN, gone!.id);
    const job = world.store.current().jobs.find((j) => j.name === 'Mail');
    const { record } = await runCycle(world.ctx, job!.id);
    expect(record.result).toBe('succeeded');
    const screen = await panel();
    await screen.waitFor((f) => f.includes('Main'));
    const inbox = await browseInbox(screen);
    expect(inbox).toMatch(/Old newsletter\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+[\d.]+ [KMG]?B\s+deleted/);
    expect(inbox).not.toMatch(/Quarterly figures.*deleted/);
  }, 180_000);

  it('Export writes the marked items to a folder on the server', async () => {
    const screen = await panel();
    await screen.waitFor((f) => f.includes('Main'));
    await browseInbox(screen);
    await screen.press('/');
    await type(screen, 'quarterly');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.space);
    await screen.waitFor((f) => f.includes('1 marked'));
    await screen.press('x');
    await screen.waitFor((f) => f.includes('Export to a folder on this server'));
    const out = join(scratch, 'export');
    await type(screen, out);
    await screen.press(KEYS.enter);
    const done = unwrap(await screen.waitFor((f) => f.includes('Exported 1 item')));
    expect(done).toContain(`to ${out}`);
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(dir, e.name));
        else files.push(join(dir, e.name));
      }
    };
    await walk(out);
    const mails = files.filter((f) => f.endsWith('.eml'));
    expect(mails).toHaveLength(1);
    expect(await readFile(mails[0]!, 'utf8')).toContain('Quarterly figures');
  }, 120_000);

  it('New restore job from Browse: the marked items are back in the sandbox mailbox', async () => {
    const screen = await panel();
    await screen.waitFor((f) => f.includes('Main'));
    await browseInbox(screen);
    // Two items, marked one by one.
    for (const subject of ['Quarterly figures', 'Lunch on Friday']) {
      await screen.press('/');
      await type(screen, subject);
      await screen.press(KEYS.enter);
      await screen.press(KEYS.space);
      // Esc clears the kept filter (and stays on the level); the marks stay.
      await screen.press(KEYS.escape);
      await screen.waitFor((f) => /Inbox \(\d+\)/.test(f));
    }
    await screen.waitFor((f) => f.includes('2 marked'));
    await screen.press('r');
    await screen.waitFor((f) => f.includes('New restore job') && f.includes('Server connection'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Restore to') && f.includes('Where they came from'));
    await screen.press(KEYS.enter);
    const summary = unwrap(await screen.waitFor((f) => f.includes('Summary')));
    expect(summary).toContain(`2 items of ${UPN}`);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Jobs (') && /Restore .*succeeded/.test(f));
    // Into a new folder "Restored <date>" (with the folders they came from below it).
    const restored = world.sandbox.mail.folders(UPN).filter((f) => f.path.startsWith('Restored '));
    expect(restored.length).toBeGreaterThan(0);
    const subjects = restored.flatMap((f) => world.sandbox.mail.messages(UPN, f.id).map((m) => m.subject)).sort();
    expect(subjects).toEqual(['Lunch on Friday', 'Quarterly figures']);
  }, 180_000);

  it('New restore job from the Jobs tab: storage, source, a folder, another mailbox of the tenant, summary', async () => {
    const { tenantSources } = await import('../../src/services/tenant-sources.js');
    const other = (await tenantSources(world.ctx, 'c-exo')).map((s) => s.name).find((name) => name !== UPN && name.endsWith('@contoso.onmicrosoft.com'));
    expect(other).toBeDefined();
    const screen = await panel();
    await screen.press('4');
    await screen.waitFor((f) => f.includes('Jobs ('));
    await screen.press('n');
    await screen.waitFor((f) => f.includes('Restore job'));
    await screen.press(KEYS.down);
    await screen.press(KEYS.enter);
    // Storage: the Storages tab says what comes next.
    await screen.waitFor((f) => f.includes('New restore job: choose the storage') && f.includes('Storages ('));
    await screen.press(KEYS.enter);
    // Source, then the folder: marked whole.
    await screen.waitFor((f) => f.includes(UPN));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Inbox/'));
    await screen.press('/');
    await type(screen, 'inbox');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.space);
    await screen.waitFor((f) => f.includes('1 marked'));
    await screen.press('r');
    await screen.waitFor((f) => f.includes('New restore job') && f.includes('Server connection'));
    await screen.press(KEYS.enter);
    // Target: another mailbox, picked from the tenant's live list.
    await screen.waitFor((f) => f.includes('Where they came from'));
    await screen.press(KEYS.right);
    await screen.waitFor((f) => f.includes('Mailbox or site'));
    await screen.waitFor((f) => f.includes(other!));
    await screen.press(KEYS.tab);
    await screen.waitFor((f) => /› Mailbox or site/.test(f));
    await screen.press('/');
    await type(screen, other!);
    await screen.press(KEYS.enter);
    await screen.press(KEYS.enter);
    const summary = unwrap(await screen.waitFor((f) => f.includes('Summary')));
    expect(summary).toContain(`folder Inbox of ${UPN}`);
    expect(summary).toContain(`Into ${other}, folder "Restored <date>"`);
    await screen.press(KEYS.enter);
    const job = () => world.store.current().jobs.find((j) => j.kind === 'restore' && j.restore?.to === other);
    await screen.waitFor(() => job()?.cycles?.[0]?.result === 'succeeded');
    const restored = world.sandbox.mail.folders(other!).filter((f) => f.path.startsWith('Restored '));
    const subjects = restored.flatMap((f) => world.sandbox.mail.messages(other!, f.id).map((m) => m.subject));
    expect(subjects).toEqual(expect.arrayContaining(['Quarterly figures', 'Lunch on Friday']));
  }, 180_000);

});
