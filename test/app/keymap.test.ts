import { describe, expect, it } from 'vitest';
import { COMMANDS, type Scope } from '../../src/model/keymap/commands.js';
import { activeScopes, helpSections, hintsFor, resolve } from '../../src/model/state/dispatch.js';
import { initialState } from '../../src/model/state/reducer.js';
import type { AppState } from '../../src/model/state/types.js';

const base = initialState({ size: { columns: 80, rows: 24 }, readOnly: false });
const at = (patch: Partial<AppState>): AppState => ({ ...base, ...patch });

describe('the command map', () => {
  it('binds no key twice within one layer', () => {
    const seen = new Map<string, string>();
    for (const spec of COMMANDS) {
      for (const key of spec.keys) {
        const id = `${spec.scope}:${key}`;
        expect(seen.get(id), `${key} in ${spec.scope}`).toBeUndefined();
        seen.set(id, spec.id);
      }
    }
  });

  it('has New and Edit on Manage server connections now that the connection wizard exists', () => {
    const state = at({ view: 'connections' });
    expect(resolve(state, 'n')).toMatchObject({ kind: 'command', spec: { id: 'connections.new' } });
    expect(resolve(state, 'e')).toMatchObject({ kind: 'command', spec: { id: 'connections.edit' } });
    expect(resolve(state, 'return')).toMatchObject({ kind: 'command', spec: { id: 'connections.edit' } });
    expect(hintsFor(state).map((s) => s.id)).toEqual(expect.arrayContaining(['connections.new', 'connections.edit']));
  });

  it('asks a modal dialog first and alone (Ctrl-C still quits)', () => {
    const state = at({ view: 'connections', modal: { kind: 'message', tone: 'info', title: 't', text: 'x' } });
    expect(activeScopes(state)).toEqual(['always', 'message']);
    expect(resolve(state, 'd')).toEqual({ kind: 'none' });
    expect(resolve(state, 'ctrl-c')).toMatchObject({ kind: 'command', spec: { id: 'app.quit-now' } });
  });

  it('never fires j, k, q or ? while the filter field has focus', () => {
    const state = at({ view: 'connections', filter: { text: '', editing: true } });
    for (const key of ['j', 'k', 'q', '?', 'd', 't', 'g', 'G', '1']) expect(resolve(state, key)).toEqual({ kind: 'text' });
    expect(resolve(state, 'return')).toMatchObject({ kind: 'command', spec: { id: 'filter.keep' } });
    expect(resolve(state, 'escape')).toMatchObject({ kind: 'command', spec: { id: 'filter.clear' } });
  });

  it('quits with q only from the Dashboard; q and Esc go back from a sub-view and never quit', () => {
    expect(resolve(at({ view: 'dashboard' }), 'q')).toMatchObject({ spec: { id: 'app.quit' } });
    for (const view of ['connections', 'alerts', 'jobs'] as const) {
      expect(resolve(at({ view }), 'q')).toMatchObject({ spec: { id: 'nav.back' } });
      expect(resolve(at({ view }), 'escape')).toMatchObject({ spec: { id: 'nav.back' } });
    }
    expect(resolve(at({ view: 'dashboard' }), 'escape')).toEqual({ kind: 'none' });
  });

  it('generates the footer hints and the help overlay from the same map', () => {
    const state = at({ view: 'connections' });
    const hints = hintsFor(state).map((s) => s.id);
    expect(hints).toEqual(expect.arrayContaining(['connections.test', 'connections.delete', 'filter.start', 'list.up', 'nav.back', 'app.help']));
    const help = helpSections(state);
    const scopes = help.map((s) => s.scope);
    expect(scopes).toEqual(expect.arrayContaining<Scope>(['always', 'connections', 'list', 'app', 'filter']));
    const inHelp = help.flatMap((s) => s.commands.map((c) => c.id));
    for (const id of hints) expect(inHelp).toContain(id);
  });

  it('below the minimum size only quitting works', () => {
    const state = at({ size: { columns: 50, rows: 12 }, view: 'connections' });
    expect(resolve(state, 'j')).toEqual({ kind: 'none' });
    expect(resolve(state, 'q')).toMatchObject({ spec: { id: 'app.quit' } });
  });
});
