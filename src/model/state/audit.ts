import type { AuditRow } from '../../services/audit.js';
import { auditTime } from '../../domain/index.js';
import { filterItems } from '../list/filter.js';
import { EMPTY_LIST_MODEL, followItems, placeCursor } from '../list/list.js';
import { tableLayout } from '../layout.js';
import type { Action, Transition } from './actions.js';
import { same } from './actions.js';
import { auditDetailDialog, auditFailure } from './audit-texts.js';
import type { AuditPane } from './audit-types.js';
import { go } from './lists.js';
import type { AppState, ViewData } from './types.js';

/**
 * The Audit view: who changed what, from where, when. The container reads the newest
 * AUDIT_VIEW_LIMIT changes through services/audit.ts (never the whole log, never on the render
 * path) when the view opens, after every change to the store while it is shown, and on r / Ctrl-R.
 */

/** The most changes the view holds: the log can hold 100,000; the title says when some are left out. */
export const AUDIT_VIEW_LIMIT = 1000;

export const EMPTY_AUDIT_PANE: AuditPane = { list: EMPTY_LIST_MODEL, rows: undefined, capped: false, unreadable: 0, loading: undefined, failure: undefined };

const NO_ROWS: readonly AuditRow[] = [];

// Made once per read of the log (filterItems keeps it per rows array).
const haystack = (r: AuditRow) => `${auditTime(r.at)} ${r.who} ${r.from} ${r.what}`;

/** The changes the Audit view shows (after its `/` filter), newest first. */
export function visibleAudit(state: AppState): readonly AuditRow[] {
  return filterItems(state.auditPane.rows ?? NO_ROWS, state.auditPane.list.filter.text, haystack);
}

/** Asks the container for the newest changes; an answer to an older request is dropped. */
function load(state: AppState): Transition {
  const opId = state.nextLoadId;
  return { state: { ...state, nextLoadId: opId + 1, auditPane: { ...state.auditPane, loading: opId } }, intents: [{ type: 'load-audit', opId, limit: AUDIT_VIEW_LIMIT }] };
}

export function auditCommand(state: AppState, id: string): Transition | undefined {
  switch (id) {
    case 'nav.audit':
      return load(go(state, 'audit'));
    case 'audit.refresh':
      return state.view === 'audit' ? load(state) : undefined;
    case 'audit.open': {
      const row = visibleAudit(state)[state.auditPane.list.cursor];
      return same(row ? { ...state, modal: auditDetailDialog(row) } : state);
    }
    default:
      return undefined;
  }
}

/** A change saved here or by another session shows in the view at once: the log is read again. */
export function auditAfterDocument(state: AppState, previous: ViewData, data: ViewData): Transition {
  return state.view === 'audit' && previous.revision !== data.revision ? load(state) : same(state);
}

/** A duplicate line (written twice after a crash) is one change: the first of its id is kept. */
function unique(rows: readonly AuditRow[]): readonly AuditRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

type AuditEvent = Extract<Action, { type: 'audit.loaded' | 'audit.failed' }>;

export function auditEvent(state: AppState, action: AuditEvent): AppState {
  const pane = state.auditPane;
  if (pane.loading !== action.opId) return state;
  if (action.type === 'audit.failed') return { ...state, auditPane: { ...pane, loading: undefined, failure: auditFailure(action.error.message, action.error.hint) } };
  // On the newest change the cursor stays on the newest; further down it stays on its change when newer ones arrive above it.
  const before = pane.list.cursor === 0 ? undefined : visibleAudit(state)[pane.list.cursor]?.id;
  const loaded: AppState = {
    ...state,
    auditPane: { ...pane, rows: unique(action.page.rows), capped: action.page.capped, unreadable: action.page.unreadable, loading: undefined, failure: undefined },
  };
  const rows = visibleAudit(loaded);
  const list = followItems(pane.list, before, { count: rows.length, page: tableLayout(state.size, state.banner).rows, idAt: (i) => rows[i]?.id }, undefined);
  return { ...loaded, auditPane: { ...loaded.auditPane, list } };
}

/** After a resize the cursor stays in view. */
export function clampAudit(state: AppState): AppState {
  const list = placeCursor(state.auditPane.list, state.auditPane.list.cursor, { count: visibleAudit(state).length, page: tableLayout(state.size, state.banner).rows });
  return list === state.auditPane.list ? state : { ...state, auditPane: { ...state.auditPane, list } };
}
