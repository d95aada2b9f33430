import { appendFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { cleanup, KEYS, renderSized, unwrap, type Screen } from '../app/helpers/render.js';
import { openFixture, type Fixture } from './helpers/context.js';
import { userNameOf } from '../../src/fs/index.js';

/** The user the audit log names for this process (as the store's actor does). */
const me = () => userNameOf(process.getuid?.() ?? -1) ?? `uid ${process.getuid?.() ?? -1}`;

/**
 * Issue 16 item 9, the panel's half: the Audit view (6) shows who changed what, from where and
 * when, newest first, read from the real audit log beside a temp store; `/` filters; a log of
 * thousands of changes is read as a window; a change made in the panel shows at once.
 */

let fixture: Fixture | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

interface Line {
  readonly ts: string;
  readonly action: string;
  readonly entity?: { type: string; id?: string } | null;
  readonly fields?: string[];
  readonly details?: Record<string, string | number | boolean>;
  readonly user?: string;
  readonly host?: string;
  readonly claimed?: { sudoUser?: string; sshClient?: string };
}

let serial = 0;

/** A line as another session (or an older release) wrote it to `<store>.audit.log`. */
function line(l: Line): string {
  serial += 1;
  const entry = {
    id: serial.toString(16).padStart(16, '0'),
    ts: l.ts,
    action: l.action,
    entity: l.entity ?? null,
    fields: l.fields ?? [],
    details: l.details ?? {},
    revisionBefore: 1,
    revisionAfter: 2,
    actor: { uid: 1001, user: l.user ?? 'carol', pid: 4242, host: l.host ?? 'old-host', ...(l.claimed ? { claimed: l.claimed } : {}) },
  };
  return JSON.stringify(entry) + '\n';
}

async function panel(size = { columns: 120, rows: 30 }): Promise<Screen> {
  fixture ??= await openFixture();
  return renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host="backup01" pollMs={100} />, size);
}

async function openAudit(screen: Screen): Promise<string> {
  await screen.press('6');
  return screen.waitFor((f) => /Audit \(/.test(f) && !f.includes('Reading the audit log.'));
}

/** The data rows of the table, top to bottom (the selected one starts with the pointer). */
const tableRows = (frame: string) => frame.split('\n').filter((l) => /^[› ] \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z/.test(l));

describe('Audit view', () => {
  it('lists who, from where, what and when, newest first; Enter shows the whole change, with what was only claimed', async () => {
    fixture = await openFixture();
    const log = `${fixture.store.path}.audit.log`;
    await appendFile(log, line({ ts: '2026-11-20T11:00:00.000Z', action: 'alerts.mute', entity: { type: 'store' }, fields: ['notifications.muted'], details: { category: 'job-failed' } }));
    await appendFile(log, line({ ts: '2026-11-20T12:30:00.000Z', action: 'connection.edit', entity: { type: 'connection', id: 'c-3' }, fields: ['server'], user: 'dave', host: 'admin-host', claimed: { sudoUser: 'alice', sshClient: '203.0.113.7' } }));
    const screen = await panel();
    const frame = await openAudit(screen);
    // The tab bar names the view, and its key.
    expect(frame).toContain('6 Audit');
    expect(frame).toContain('Audit (3)');
    expect(frame).toMatch(/When \(UTC\)\s+Who\s+From\s+What/);
    const rows = tableRows(frame);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^› 2026-11-20 12:30:00Z\s+dave \(claimed: sudo.*\s+admin-host.*\s+connection\.edit connection 'ex01\.corp/);
    // Under the table, the selected change's what, who and from where in full.
    expect(frame).toContain(" connection.edit connection 'ex01.corp.contoso.com' (c-3): server");
    expect(frame).toContain(' dave (claimed: sudo by alice) · from admin-host (claimed: ssh from 203.0.113.7)');
    expect(rows[1]).toMatch(/2026-11-20 11:00:00Z\s+carol\s+old-host\s+alerts\.mute: notifications\.muted, category=job-f/);
    // The oldest: the migration of the version-1 fixture when the store was opened, by whoever runs the test.
    expect(rows[2]).toContain('store.migrate');

    await screen.press(KEYS.enter);
    const detail = unwrap(screen.frame());
    expect(detail).toContain('Change of 2026-11-20 12:30:00Z');
    expect(detail).toContain("Entity: connection 'ex01.corp.contoso.com' (c-3)");
    expect(detail).toContain('Fields: server');
    expect(detail).toContain('Process: dave (uid 1001), process 4242 on admin-host');
    expect(detail).toContain('Claimed: sudo by alice; SSH from 203.0.113.7 (only the environment says so: not proven)');
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('Audit (3)');
    // The help lists the view's keys; q goes back to the Dashboard.
    await screen.press('?');
    const help = unwrap(screen.frame());
    expect(help).toContain('Read the audit log again');
    expect(help).toContain('Go to Audit');
    await screen.press(KEYS.escape);
    // r reads the log again: a line another program appended shows.
    await appendFile(log, line({ ts: '2026-11-20T13:00:00.000Z', action: 'job.run', entity: { type: 'job', id: 'j-1' }, user: 'frank' }));
    await screen.press('r');
    const refreshed = await screen.waitFor((f) => f.includes('Audit (4)'));
    expect(tableRows(refreshed)[0]).toContain('frank');
    await screen.press('q');
    expect(screen.frame()).not.toContain('When (UTC)');
    expect(screen.frame()).toContain('[1 Dashboard]');
  });

  it('/ filters the changes (who, from where, what, when) as on the other lists; Esc clears', async () => {
    fixture = await openFixture();
    const log = `${fixture.store.path}.audit.log`;
    await appendFile(log, line({ ts: '2026-11-20T11:00:00.000Z', action: 'alerts.mute', details: { category: 'job-failed' }, user: 'carol' }));
    await appendFile(log, line({ ts: '2026-11-20T11:05:00.000Z', action: 'job.delete', entity: { type: 'job', id: 'j-9' }, user: 'erin', host: 'far-away' }));
    const screen = await panel();
    await openAudit(screen);
    await screen.press('/');
    await screen.pressTogether('far-aw');
    let frame = screen.frame();
    expect(frame).toContain('Audit (1 of 3)');
    expect(tableRows(frame)).toHaveLength(1);
    expect(tableRows(frame)[0]).toContain('erin');
    await screen.press(KEYS.enter);
    // A kept filter: Enter now opens the change under it.
    await screen.press(KEYS.enter);
    expect(unwrap(screen.frame())).toContain('Action: job.delete');
    await screen.press(KEYS.escape);
    await screen.press('/');
    await screen.press(KEYS.escape);
    frame = screen.frame();
    expect(frame).toContain('Audit (3)');
    expect(tableRows(frame)).toHaveLength(3);
    // Ctrl-R reads the log again, as r does.
    await appendFile(log, line({ ts: '2026-11-20T11:10:00.000Z', action: 'job.run', entity: { type: 'job', id: 'j-1' }, user: 'grace' }));
    await screen.press('\u0012');
    expect(tableRows(await screen.waitFor((f) => f.includes('Audit (4)')))[0]).toContain('grace');
  });

  it('a long What in the change in full wraps under its value column, not at the frame', async () => {
    fixture = await openFixture();
    const fields = ['server', 'userName', 'password', 'tenant', 'clientId', 'certificate', 'mailbox', 'legacyAccount', 'displayName'];
    await appendFile(`${fixture.store.path}.audit.log`, line({ ts: '2027-01-01T10:00:00.000Z', action: 'connection.edit', entity: { type: 'connection', id: 'c-3' }, fields, user: 'dave' }));
    const screen = await panel({ columns: 80, rows: 30 });
    await openAudit(screen);
    await screen.press(KEYS.enter);
    const lines = (await screen.waitFor((f) => f.includes('Change of 2027-01-01'))).split('\n');
    const at = lines.findIndex((l) => l.includes('What:'));
    expect(at).toBeGreaterThan(-1);
    const value = lines[at].indexOf('What:') + 'What:      '.length;
    expect(lines[at].slice(value)).toMatch(/^connection\.edit/);
    // The next line continues the value under its first character, and the line after is Action.
    const next = lines[at + 1];
    expect(next.slice(lines[at].indexOf('What:'), value).trim()).toBe('');
    expect(next.charAt(value)).not.toBe(' ');
    expect(next).not.toContain('Action:');
    expect(lines.slice(at, at + 4).join(' ')).toContain('displayName');
  });

  it('a hostile log cannot drive the terminal: control and bidi characters from the file are drawn escaped, in the table and in full', async () => {
    fixture = await openFixture();
    await appendFile(`${fixture.store.path}.audit.log`, line({ ts: '2026-11-20T11:00:00.000Z', action: 'job.edit\u202e', entity: { type: 'job', id: 'j-\u001b[2J' }, user: 'mal\u001b]0;pwned\u0007lory', host: 'h\u009b31m' }));
    const screen = await panel();
    const frame = await openAudit(screen);
    expect(tableRows(frame)[0]).toContain('mal');
    await screen.press(KEYS.enter);
    for (const f of [frame, screen.frame()]) for (const bad of ['\u001b', '\u0007', '\u202e', '\u009b']) expect(f).not.toContain(bad);
  });

  it('a log of 5,000 changes is read as a window from its end: the newest 1,000, said on screen, and only the rows in view drawn', async () => {
    fixture = await openFixture();
    const lines: string[] = [];
    for (let i = 1; i <= 5000; i += 1) lines.push(line({ ts: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString(), action: 'job.edit', entity: { type: 'job', id: `job-${i}` }, fields: ['schedule'] }));
    await appendFile(`${fixture.store.path}.audit.log`, lines.join(''));
    const screen = await panel({ columns: 100, rows: 24 });
    const frame = await openAudit(screen);
    expect(frame).toContain('Audit (the newest 1000)');
    expect(frame).toContain('Older changes are not shown here: audit list shows them all');
    const rows = tableRows(frame);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(20);
    expect(rows[0]).toContain('job job-5000');
    expect(rows[1]).toContain('job job-4999');
    expect(frame).not.toContain('job-4000');
    await screen.press('G');
    const last = tableRows(screen.frame());
    expect(last.at(-1)).toMatch(/^› .*job job-4001:/);
    expect(last.length).toBe(rows.length);
  });

  it('a change made in the panel shows at once, with the user who made it', async () => {
    fixture = await openFixture();
    const screen = await panel();
    await openAudit(screen);
    expect(screen.frame()).toContain('Audit (1)');
    // Rename a connection in Manage server connections, then back to Audit.
    await screen.press('2');
    await screen.press('r');
    expect(screen.frame()).toContain('Rename server connection');
    await screen.press('\u0015');
    await screen.pressTogether('Zurich mail');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes("renamed to 'Zurich mail'"));
    await screen.press('6');
    const frame = await screen.waitFor((f) => f.includes('Audit (2)'));
    const top = tableRows(frame)[0] ?? '';
    expect(top).toContain(me());
    expect(top).toContain("connection.rename connection 'Zurich mail' (c-1)");

    // While the view is open, a change saved by this session's store appears without a key.
    await fixture.ctx.store.update((draft) => {
      draft.notifications.muted = ['job-failed'];
      return { change: { action: 'alerts.mute', details: { category: 'job-failed' } }, result: undefined };
    });
    const after = await screen.waitFor((f) => f.includes('Audit (3)'));
    expect(tableRows(after)[0]).toContain('alerts.mute');
  });
});
