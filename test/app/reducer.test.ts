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
    expect(run(at, data, 'list.page-down').state.lists.connections).toEqual({ cursor: 15, offset: 1 });
    expect(run(at, data, 'list.bottom').state.lists.connections).toEqual({ cursor: 999, offset: 985 });
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

  it('edits the filter from keys the field did not see, and resets the cursor when it changes', () => {
    let state = start({ view: 'connections', filter: { text: '', editing: true }, lists: { ...start().lists, connections: { cursor: 3, offset: 0 } } });
    for (const key of [{ name: 'f', text: 'f' }, { name: 'a', text: 'a' }, { name: 'backspace', text: '' }]) {
      state = reduce(state, { type: 'filter.edit', key } as Action, fixtureData).state;
    }
    expect(state.filter.text).toBe('f');
    expect(state.lists.connections.cursor).toBe(0);
  });

  it('asks the container to act, never acting itself', () => {
    const jobs = start({ view: 'jobs' });
    expect(run(jobs, fixtureData, 'jobs.run').intents).toEqual([{ type: 'request-run', jobId: 'j-1' }]);
    const connections = start({ view: 'connections' });
    expect(run(connections, fixtureData, 'list.down', 'connections.test').intents).toEqual([{ type: 'test-connection', connectionId: 'c-2' }]);
    expect(run(connections, fixtureData, 'connections.delete').intents).toEqual([{ type: 'request-delete', connectionId: 'c-1' }]);
    expect(run(start({ view: 'dashboard' }), fixtureData, 'app.quit').intents).toEqual([{ type: 'quit' }]);
  });

  it('a destructive question answers No to Enter unless the admin moved to Yes', () => {
    const onYes = { type: 'delete-connection' as const, connectionId: 'c-6', basedOn: fixtureData.doc.connections[5]! };
    const asking = start({ view: 'connections', modal: { kind: 'confirm', title: 't', text: 'x', yesLabel: 'Delete', noLabel: 'Cancel', choice: 'no', tone: 'warning', onYes } });
    expect(run(asking, fixtureData, 'confirm.choose')).toMatchObject({ intents: [], state: { modal: undefined } });
    expect(run(asking, fixtureData, 'confirm.switch', 'confirm.choose').intents).toEqual([onYes]);
    expect(run(asking, fixtureData, 'confirm.yes').intents).toEqual([onYes]);
    expect(run(asking, fixtureData, 'confirm.no').intents).toEqual([]);
  });

  it('Notification options: Space toggles the form; Enter asks to save what the form shows', () => {
    const alerts = start({ view: 'alerts' });
    const { state, intents } = run(alerts, fixtureData, 'alerts.options', 'notifications.toggle', 'list.down', 'notifications.toggle', 'notifications.toggle', 'notifications.save');
    expect(state.view).toBe('notifications');
    expect(intents).toEqual([{ type: 'save-notifications', muted: ['obsolete-connection'], basedOn: [] }]);
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
    const { state } = reduce(at, { type: 'document', previous: before }, after);
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
