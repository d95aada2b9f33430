import { describe, expect, it } from 'vitest';
import { NO_KEY } from './helpers/ink-key.js';
import { AppController } from '../../src/app/container/controller.js';
import { migratedFixture } from './helpers/documents.js';
import { fakeAuth } from './helpers/fake-auth.js';
import { MemoryStore } from './helpers/memory-store.js';

const none = NO_KEY;

function controller(store = new MemoryStore(migratedFixture())) {
  let quits = 0;
  const c = new AppController({ ctx: { store, now: () => new Date('2026-11-20T10:00:00Z'), auth: async () => fakeAuth({ stepMs: 1 }) }, size: { columns: 80, rows: 24 }, onQuit: () => (quits += 1) });
  c.start();
  return { c, store, quits: () => quits };
}

describe('app controller', () => {
  it('applies every key of one chunk in order, each against the state the previous one left', () => {
    const { c } = controller();
    c.handleInput('2jjjk', none);
    const { state, data } = c.getSnapshot();
    expect(state.view).toBe('connections');
    expect(data.visibleConnections[state.lists.connections.cursor]?.id).toBe('c-3');
  });

  it('gives the filter every key typed after /, in the same chunk or a later one (one owner of the keyboard)', () => {
    const { c, quits } = controller();
    c.handleInput('2', none);
    c.handleInput('/fab', none);
    expect(c.getSnapshot().state.filter).toEqual({ text: 'fab', editing: true });
    // q is text while the filter has the keyboard; Backspace deletes, Enter keeps, Esc clears.
    c.handleInput('q', none);
    expect(c.getSnapshot().state.filter.text).toBe('fabq');
    expect(quits()).toBe(0);
    c.handleInput('', { ...none, delete: true });
    c.handleInput('\r', none);
    expect(c.getSnapshot().state.filter).toEqual({ text: 'fab', editing: false });
    expect(c.getSnapshot().data.visibleConnections.map((r) => r.id)).toEqual(['c-5']);
  });

  it('quits on q from the Dashboard and on Ctrl-C anywhere', () => {
    const { c, quits } = controller();
    c.handleInput('3q', none);
    expect(quits()).toBe(0);
    c.handleInput('c', { ...none, ctrl: true });
    expect(quits()).toBe(1);
  });

  it('notices other sessions\' saves and says so', () => {
    const { c, store } = controller();
    store.external((doc) => {
      doc.jobs = [];
    });
    const { state, data } = c.getSnapshot();
    expect(data.jobs).toHaveLength(0);
    expect(state.notice?.text).toContain('Another session changed the store');
  });

  it('stops following the store and cancels work when disposed', async () => {
    const { c, store } = controller();
    c.handleInput('2t', none);
    c.dispose();
    store.external((doc) => {
      doc.jobs = [];
    });
    expect(c.getSnapshot().data.jobs).toHaveLength(5);
  });
});
