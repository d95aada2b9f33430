import { describe, expect, it } from 'vitest';
import { ViewDataCache } from '../../src/model/state/derive.js';
import { initialState, reduce, type Action } from '../../src/model/state/reducer.js';
import type { AppState, ViewData } from '../../src/model/state/types.js';
import type { CommandId } from '../../src/model/keymap/commands.js';
import { manyConnections, migratedFixture } from './helpers/documents.js';

const now = () => new Date('2026-11-20T10:00:00Z');
const fixtureData = new ViewDataCache().get(migratedFixture(), '', now);

function run(state: AppState, data: ViewData, ...commands: CommandId[]) {
  let current = state;
  const intents = [];
  for (const command of commands) {
    const t = reduce(current, { type: 'command', command }, data);
    current = t.state;
    intents.push(...t.intents);
  }
  return { state: current, intents };
}

const start = (patch: Partial<AppState> = {}) => ({ ...initialState({ size: { columns: 80, rows: 24 }, readOnly: false }), ...patch });

describe('reducer', () => {
  it('moves by rows, pages of the visible height, and to either end, keeping the cursor in view', () => {
    const data = new ViewDataCache().get(manyConnections(1000), '', now);
    const at = start({ view: 'connections' });
    expect(run(at, data, 'list.down', 'list.down').state.lists.connections).toEqual({ cursor: 2, offset: 0 });
    // 14 rows at 80x24: the third detail line (id, tenant, cloud) took one.
    expect(run(at, data, 'list.page-down').state.lists.connections).toEqual({ cursor: 14, offset: 1 });
    expect(run(at, data, 'list.bottom').state.lists.connections).toEqual({ cursor: 999, offset: 986 });
    expect(run(at, data, 'list.bottom', 'list.page-up', 'list.top').state.lists.connections).toEqual({ cursor: 0, offset: 0 });
    expect(run(at, data, 'list.up').state.lists.connections).toEqual({ cursor: 0, offset: 0 });
  });

  it('cycles the Dashboard cards and opens the one selected', () => {
    const { state } = run(start(), fixtureData, 'card.next', 'card.next', 'card.open');
    expect(state.view).toBe('jobs');
    expect(run(start(), fixtureData, 'card.previous').state.card).toBe('jobs');
  });

  it('Esc in a filtered list clears the filter first, then goes back', () => {
    const filtered = start({ view: 'connections', filter: { text: 'fab', editing: false } });
    const once = run(filtered, fixtureData, 'nav.back').state;
    expect(once).toMatchObject({ view: 'connections', filter: { text: '' } });
    expect(run(once, fixtureData, 'nav.back').state.view).toBe('dashboard');
  });

  it('edits the filter from the keys typed while it has the keyboard, and resets the cursor when it changes', () => {
    let state = start({ view: 'connections', filter: { text: '', editing: true }, lists: { ...start().lists, connections: { cursor: 3, offset: 0 } } });
    for (const key of [{ name: 'f', text: 'f' }, { name: 'a', text: 'a' }, { name: 'backspace', text: '' }]) {
      state = reduce(state, { type: 'text', key } as Action, fixtureData).state;
    }
    expect(state.filter.text).toBe('f');
    expect(state.lists.connections.cursor).toBe(0);
  });

  it('asks the container to act, never acting itself', () => {
    const jobs = start({ view: 'jobs' });
    expect(run(jobs, fixtureData, 'jobs.run').intents).toEqual([]);
    expect(run(jobs, fixtureData, 'jobs.run').state.modal).toMatchObject({ kind: 'confirm', title: 'Obsolete server connection', onYes: { kind: 'run', jobId: 'j-1' } });
    const connections = start({ view: 'connections' });
    expect(run(connections, fixtureData, 'list.down', 'connections.test').intents).toEqual([{ type: 'run', op: { kind: 'test-connection', connectionId: 'c-2', name: 'contoso.sharepoint.com' } }]);
    expect(run(connections, fixtureData, 'list.down', 'connections.test').state).toMatchObject({ running: { kind: 'test-connection' }, modal: { kind: 'progress', done: false } });
    expect(run(start({ view: 'dashboard' }), fixtureData, 'app.quit').intents).toEqual([{ type: 'quit' }]);
  });

  it('a destructive question answers No to Enter unless the admin moved to Yes', () => {
    const asking = run(start({ view: 'connections' }), fixtureData, 'list.bottom', 'connections.delete').state;
    expect(asking.modal).toMatchObject({ kind: 'confirm', title: 'Delete server connection', choice: 'no' });
    const op = { kind: 'delete-connection', connectionId: 'c-6', name: 'Autodiscover (corp.contoso.com)', basedOn: fixtureData.doc.connections[5] };
    expect(run(asking, fixtureData, 'confirm.choose')).toMatchObject({ intents: [], state: { modal: undefined, running: undefined } });
    expect(run(asking, fixtureData, 'confirm.switch', 'confirm.choose').intents).toEqual([{ type: 'run', op }]);
    expect(run(asking, fixtureData, 'confirm.yes').intents).toEqual([{ type: 'run', op }]);
    expect(run(asking, fixtureData, 'confirm.no').intents).toEqual([]);
  });

  it('decides busy and read-only in one place: a second operation waits, a read-only store refuses every change', () => {
    const testing = run(start({ view: 'connections' }), fixtureData, 'connections.test').state;
    const second = run({ ...testing, modal: undefined }, fixtureData, 'connections.test');
    expect(second.intents).toEqual([]);
    expect(second.state.notice?.text).toBe('Another operation is still running; wait for it to finish.');
    const readOnly = start({ view: 'connections', readOnly: true, readOnlyReason: 'opened with --read-only' });
    for (const command of ['connections.new', 'connections.edit', 'connections.delete'] as const) {
      const refused = run(readOnly, fixtureData, 'list.bottom', command);
      expect(refused.intents).toEqual([]);
      expect(refused.state.modal).toMatchObject({ kind: 'message', title: 'The store is read-only' });
      expect(refused.state.modal?.kind === 'message' && refused.state.modal.text).toMatch(/open read-only \(opened with --read-only\)\. Nothing was changed\./);
    }
    // A test changes nothing the admin asked for: it still runs.
    expect(run(readOnly, fixtureData, 'connections.test').intents).toHaveLength(1);
  });

  it('words what operations come back with, and re-reads the store after a refused stale save', () => {
    const testing = run(start({ view: 'connections' }), fixtureData, 'connections.test').state;
    const checks = [{ id: 'a', name: 'Token', status: 'pass' as const, message: 'ok' }, { id: 'b', name: 'Mailbox', status: 'fail' as const, message: 'no' }];
    const done = reduce(testing, { type: 'operation.done', result: { kind: 'test-connection', checks, recorded: true } }, fixtureData).state;
    expect(done.running).toBeUndefined();
    expect(done.modal).toMatchObject({ kind: 'progress', done: true, outcome: { tone: 'error', text: 'Test failed at "Mailbox". A "Connection test failed" alert was added to Bad news.' } });
    const cancelled = reduce(testing, { type: 'operation.failed', error: { kind: 'cancelled', message: 'Cancelled.' }, aborted: true }, fixtureData).state;
    expect(cancelled.modal).toMatchObject({ outcome: { tone: 'warning', text: 'Test cancelled.' } });
    const saving = run(start({ view: 'alerts' }), fixtureData, 'alerts.options', 'notifications.toggle', 'notifications.save').state;
    const stale = reduce(saving, { type: 'operation.failed', error: { kind: 'conflict', message: 'Changed meanwhile.' }, aborted: false }, fixtureData);
    expect(stale.state.modal).toMatchObject({ kind: 'message', title: 'Changed by another session' });
    expect(stale.intents).toEqual([{ type: 'reload-store', then: { type: 'command', command: 'alerts.options' } }]);
  });

  it('Notification options: Space toggles the form; Enter asks to save what the form shows', () => {
    const alerts = start({ view: 'alerts' });
    const { state, intents } = run(alerts, fixtureData, 'alerts.options', 'notifications.toggle', 'list.down', 'notifications.toggle', 'notifications.toggle', 'notifications.save');
    expect(state.view).toBe('notifications');
    expect(intents).toEqual([{ type: 'run', op: { kind: 'save-notifications', muted: ['obsolete-connection'], basedOn: [] } }]);
    const saved = reduce(state, { type: 'operation.done', result: { kind: 'save-notifications' } }, fixtureData).state;
    expect(saved).toMatchObject({ view: 'alerts', running: undefined, notice: { text: 'Notification options saved; muted: 1 category.' } });
    expect(run(state, fixtureData, 'notifications.cancel').state).toMatchObject({ view: 'alerts', notifications: undefined });
  });

  it('Esc on a running check asks to cancel it; on a finished one closes it', () => {
    const running = start({ modal: { kind: 'progress', title: 't', results: [], done: false, cancelling: false } });
    expect(run(running, fixtureData, 'progress.cancel')).toMatchObject({ intents: [{ type: 'cancel-operation' }], state: { modal: { cancelling: true } } });
    const done = start({ modal: { kind: 'progress', title: 't', results: [], done: true, cancelling: false } });
    expect(run(done, fixtureData, 'progress.cancel').state.modal).toBeUndefined();
  });

  it('keeps the cursor on the same item when the document changes under it', () => {
    const cache = new ViewDataCache();
    const before = cache.get(migratedFixture(), '', now);
    const doc = migratedFixture();
    doc.connections = doc.connections.filter((c) => c.id !== 'c-2');
    doc.revision += 1;
    const after = cache.get(doc, '', now);
    const at = start({ view: 'connections', lists: { ...start().lists, connections: { cursor: 4, offset: 0 } } });
    const { state } = reduce(at, { type: 'document', previous: before, external: true }, after);
    expect(state.notice?.text).toBe('Another session changed the store; the view shows the new data.');
    expect(after.visibleConnections[state.lists.connections.cursor]?.id).toBe('c-5');
  });

  it('computes rows once per document and the filter once per text', () => {
    const cache = new ViewDataCache();
    const doc = migratedFixture();
    const a = cache.get(doc, '', now);
    expect(cache.get(doc, '', now)).toBe(a);
    const filtered = cache.get(doc, 'fabrikam', now);
    expect(filtered.connections).toBe(a.connections);
    expect(filtered.visibleConnections.map((r) => r.id)).toEqual(['c-5']);
    expect(cache.get(doc, 'OBSOLETE', now).visibleConnections.map((r) => r.id)).toEqual(['c-1', 'c-2', 'c-5']);
  });
});
