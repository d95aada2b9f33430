import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoreDocument } from '../../src/domain/index.js';
import { openStore } from '../../src/store/index.js';
import { FIXTURE_V1 } from '../helpers/cli.js';
import { tempDir } from './helpers/files.js';
import { KEY, Panel } from './helpers/panel.js';
import { run } from './helpers/programs.js';

/**
 * LOAD (≈60 s of wall time, part of `npm test`): two panels in real terminals and one CLI loop edit
 * the same store at once. Panels toggle "Obsolete connection in use" in Notification options and
 * save (both edit the same form: they conflict with each other), and dismiss the oldest event
 * alert (the same one, often); the CLI mutes and unmutes another category and dismisses events too.
 * Every action's outcome is read off that session's own screen (or exit code), then checked
 * against the audit log: whatever a session was told was saved is in the log, whatever is not in
 * the log was shown to that session as a conflict, the revisions form one unbroken chain, and the
 * file is valid. No timing is asserted; the waits are generous for 2 slow cores.
 */

const DURATION_MS = 60_000;
const EVENTS = 300;
const TOGGLED = 'obsolete-connection';
const CLI_CATEGORY = 'credential-expiring';

interface AuditLine {
  readonly ts: string;
  readonly action: string;
  readonly entity: { type: string; id?: string } | null;
  readonly details: Record<string, string | number | boolean>;
  readonly revisionBefore: number | null;
  readonly revisionAfter: number;
  readonly actor: { pid: number };
}

interface Action {
  readonly who: string;
  readonly pid: number;
  readonly kind: 'options' | 'dismiss' | 'mute' | 'unmute';
  /** The alert the session acted on, where its screen (or output) named it. */
  alertId?: string;
  /** The alert selected on screen just before the key was pressed. */
  readonly intended?: string;
  readonly start: number;
  end: number;
  /** What the session was shown: saved, a conflict/refusal, or nothing conclusive (checked against the log). */
  outcome: 'saved' | 'conflict' | 'unknown';
  shown: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const stop = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > stop) return undefined;
    await sleep(20);
  }
}

/** Which layer the panel shows, from its footer of key hints. */
function layer(panel: Panel): 'alerts' | 'form' | 'message' | 'other' {
  const lines = panel.lines().filter((l) => l.trim() !== '');
  const footer = lines.at(-1) ?? '';
  if (/^\s*⏎ close\s*$/.test(footer)) return 'message';
  if (footer.includes('toggle')) return 'form';
  if (footer.includes('dismiss') && lines.some((l) => /Bad news: /.test(l))) return 'alerts';
  return 'other';
}

async function toAlerts(panel: Panel): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const now = layer(panel);
    if (now === 'alerts') return;
    await panel.press(now === 'message' ? KEY.enter : now === 'form' ? KEY.esc : '3');
    await until(() => (layer(panel) === now ? undefined : true), 3000);
  }
  throw new Error(`could not get back to Bad news:\n${panel.text()}`);
}

async function saveOptions(who: string, panel: Panel): Promise<Action> {
  await toAlerts(panel);
  await panel.press('n');
  if (!(await until(() => (layer(panel) === 'form' ? true : undefined), 10_000))) throw new Error(`no form:\n${panel.text()}`);
  await panel.press(KEY.space);
  // Hold the form open a little, as a person would: another session may save meanwhile.
  await sleep(Math.random() * 400);
  const action: Action = { who, pid: panel.pid, kind: 'options', start: Date.now(), end: 0, outcome: 'unknown', shown: '' };
  await panel.press(KEY.enter);
  const after = await until(() => {
    const now = layer(panel);
    return now === 'message' || now === 'alerts' ? now : undefined;
  }, 20_000);
  action.end = Date.now();
  action.shown = panel.flowed();
  if (after === 'alerts') action.outcome = 'saved';
  else if (after === 'message') action.outcome = /Changed by another session/.test(action.shown) ? 'conflict' : 'unknown';
  return action;
}

async function dismissOldest(who: string, panel: Panel): Promise<Action | undefined> {
  await toAlerts(panel);
  await panel.press('G');
  const seen = await until(() => /^› .*Load event #(\d+)\./m.exec(panel.text())?.[1], 3000);
  if (!seen) return undefined;
  const action: Action = { who, pid: panel.pid, kind: 'dismiss', intended: `load-${seen}`, start: Date.now(), end: 0, outcome: 'unknown', shown: '' };
  await panel.press('x');
  const after = await until(() => (layer(panel) === 'message' ? 'message' : panel.text().includes('Alert dismissed: ') ? 'saved' : undefined), 3000);
  action.end = Date.now();
  action.shown = panel.flowed();
  if (after === 'saved') {
    action.outcome = 'saved';
    // The notice names what was dismissed: that, not the selection seen before the key, is what the user was told.
    const told = /Alert dismissed: Load event #(\d+)\./.exec(action.shown)?.[1];
    if (told) action.alertId = `load-${told}`;
  }
  else if (after === 'message') {
    const lost = /No alert '(load-\d+)' to dismiss/.exec(action.shown)?.[1];
    if (lost) {
      action.outcome = 'conflict';
      action.alertId = lost;
    }
  }
  return action;
}

describe('LOAD (≈60 s): two panels and a CLI loop on one store', () => {
  it(
    'no lost update: every save a session was told about is in the audit log, every other action showed that session a conflict',
    async () => {
      const dir = await tempDir();
      const path = join(dir, 'store.json');
      await copyFile(FIXTURE_V1, path);
      // Migrate, then add the event alerts the sessions will dismiss: older than every other alert, so
      // the last row of Bad news (G) is the oldest of them, load-1 first.
      const setup = await openStore({ path });
      await setup.update((draft) => {
        for (let n = 1; n <= EVENTS; n++) {
          draft.alerts.push({ id: `load-${n}`, category: 'connection-failed', connectionId: 'c-3', created: new Date(Date.UTC(2019, 0, 1, 0, 0, n)).toISOString(), message: `Load event #${n}.` });
        }
        return { change: { action: 'test.prepare' }, result: undefined };
      });
      const initial = setup.current();
      await setup.close();
      const auditStart = (await readFile(`${path}.audit.log`, 'utf8')).trim().split('\n').length;

      const panels = await Promise.all([Panel.open(['--store', path], { cols: 100, rows: 30 }), Panel.open(['--store', path], { cols: 100, rows: 30 })]);
      const actions: Action[] = [];
      try {
        for (const p of panels) await p.waitFor('Defined server connections', 30_000);
        const deadline = Date.now() + DURATION_MS;

        const tui = async (who: string, panel: Panel) => {
          for (let i = 0; Date.now() < deadline; i++) {
            const action = i % 2 === 0 ? await saveOptions(who, panel) : await dismissOldest(who, panel);
            if (action) actions.push(action);
          }
        };
        const cli = async () => {
          for (let i = 0; Date.now() < deadline; i++) {
            if (i % 4 === 3) {
              const list = await run(['alerts', 'list', '--json', '--store', path]);
              const events = (JSON.parse(list.stdout) as Array<{ id: string; category: string }>).filter((a) => a.id.startsWith('load-'));
              const id = events.at(-1)?.id;
              if (!id) continue;
              const start = Date.now();
              const result = await run(['alerts', 'dismiss', id, '--store', path]);
              actions.push({
                who: 'cli',
                pid: result.pid ?? -1,
                kind: 'dismiss',
                alertId: id,
                start,
                end: Date.now(),
                outcome: result.code === 0 && result.stdout.includes(`Dismissed alert '${id}'.`) ? 'saved' : result.stderr.includes(`No alert '${id}' to dismiss`) ? 'conflict' : 'unknown',
                shown: result.stdout + result.stderr,
              });
            } else {
              const kind = (i - Math.floor(i / 4)) % 2 === 0 ? 'mute' : 'unmute';
              const start = Date.now();
              const result = await run(['alerts', kind, CLI_CATEGORY, '--store', path]);
              actions.push({
                who: 'cli',
                pid: result.pid ?? -1,
                kind,
                start,
                end: Date.now(),
                outcome: result.code === 0 && /^(Muted|Unmuted): /.test(result.stdout) ? 'saved' : 'unknown',
                shown: result.stdout + result.stderr,
              });
            }
          }
        };
        await Promise.all([tui('A', panels[0] as Panel), tui('B', panels[1] as Panel), cli()]);
        for (const p of panels) {
          await p.press(KEY.ctrlC);
          expect(await p.exited(20_000)).toBe(0);
        }
      } finally {
        for (const p of panels) p.kill();
      }

      // The file is valid and every change is one audit line, in one unbroken chain of revisions.
      const final = await openStore({ path, readOnly: true });
      const doc: StoreDocument = final.current();
      await final.close();
      const audit = (await readFile(`${path}.audit.log`, 'utf8'))
        .trim()
        .split('\n')
        .slice(auditStart)
        .map((l) => JSON.parse(l) as AuditLine);
      audit.forEach((line, i) => {
        expect(line.revisionBefore).toBe(initial.revision + i);
        expect(line.revisionAfter).toBe(initial.revision + i + 1);
      });
      expect(doc.revision).toBe(initial.revision + audit.length);

      // Each action against the log: its session's pid, its kind, within the time it was under way.
      const logAction = { options: 'alerts.notification-options', dismiss: 'alerts.dismiss', mute: 'alerts.mute', unmute: 'alerts.unmute' } as const;
      const claimed = new Set<AuditLine>();
      // A dismiss key that arrives just as another session's change removes the selected alert acts
      // on the neighbour the cursor moved to (the notice names the one dismissed, and the match above holds it to that): counted for the report.
      let neighbour = 0;
      const problems: string[] = [];
      for (const a of actions) {
        const matches = audit.filter((l) => {
          const ts = Date.parse(l.ts);
          return l.actor.pid === a.pid && l.action === logAction[a.kind] && ts >= a.start - 20 && ts <= a.end + 20 && (a.alertId === undefined || l.entity?.id === a.alertId);
        });
        for (const m of matches) claimed.add(m);
        if (a.kind === 'dismiss' && matches.length === 1 && a.intended && matches[0]?.entity?.id !== a.intended) neighbour += 1;
        const where = `${a.who} ${a.kind}${a.alertId ? ` ${a.alertId}` : ''}${a.intended && a.intended !== a.alertId ? ` (selected: ${a.intended})` : ''} (${a.outcome})`;
        if (matches.length > 1) problems.push(`${where}: ${matches.length} audit lines`);
        if (a.outcome === 'saved' && matches.length !== 1) problems.push(`${where}: told "saved", not in the audit log — a lost update`);
        if (a.outcome === 'conflict' && matches.length !== 0) problems.push(`${where}: told "conflict", yet saved`);
        if (matches.length === 0 && a.outcome !== 'conflict') problems.push(`${where}: not saved and no conflict shown: ${a.shown.slice(0, 300)}`);
      }
      const sessions = new Set(actions.map((a) => a.pid));
      for (const line of audit) if (sessions.has(line.actor.pid) && !claimed.has(line)) problems.push(`audit line nobody was told about: ${JSON.stringify(line)}`);
      expect(problems).toEqual([]);

      // What the log says happened is what the file holds.
      let muted = [...initial.notifications.muted];
      const dismissed: string[] = [];
      for (const line of audit) {
        if (line.action === 'alerts.notification-options') {
          const next = String(line.details.muted).split(',').filter(Boolean);
          // A panel's save changes the one category it toggled, never undoing another session's change.
          const changed = [...next.filter((c) => !muted.includes(c)), ...muted.filter((c) => !next.includes(c))];
          expect(changed).toEqual([TOGGLED]);
          muted = next;
        }
        if (line.action === 'alerts.mute') muted = [...muted, String(line.details.category)];
        if (line.action === 'alerts.unmute') muted = muted.filter((c) => c !== line.details.category);
        if (line.action === 'alerts.dismiss') dismissed.push(line.entity?.id ?? '');
      }
      expect([...doc.notifications.muted].sort()).toEqual(muted.sort());
      expect(new Set(dismissed).size).toBe(dismissed.length);
      const left = new Set(doc.alerts.map((a) => a.id));
      expect(initial.alerts.filter((a) => !left.has(a.id)).map((a) => a.id).sort()).toEqual([...dismissed].sort());

      // Every session worked and some lost: the test really exercised conflicts.
      const count = (who: string, outcome: Action['outcome']) => actions.filter((a) => a.who === who && a.outcome === outcome).length;
      for (const who of ['A', 'B', 'cli']) expect(count(who, 'saved'), `${who} saved`).toBeGreaterThan(0);
      expect(actions.filter((a) => a.kind === 'options' && a.outcome === 'conflict').length).toBeGreaterThan(0);
      // The CLI toggles a category nobody else touches: each toggle changed it (no stale overwrite undid one).
      expect(actions.filter((a) => (a.kind === 'mute' || a.kind === 'unmute') && a.outcome !== 'saved')).toEqual([]);
      console.info(
        `load: ${actions.length} actions; ` +
          ['A', 'B', 'cli'].map((w) => `${w} ${count(w, 'saved')} saved / ${count(w, 'conflict')} conflicts / ${count(w, 'unknown')} unconfirmed on screen`).join('; ') +
          `; ${audit.length} revisions; ${neighbour} dismissals landed on the neighbour of an alert another session had just removed`,
      );
    },
    DURATION_MS + 90_000,
  );
});
