import type { CheckResult } from '../../services/index.js';
import type { Alert, AlertCategory, Connection, RunResult, Service, StoreDocument } from '../../domain/index.js';
import type { CommandId } from '../keymap/commands.js';
import type { CategorySetting, ConnectionRow, JobRow } from '../../services/index.js';
import type { DashboardSummary } from '../../services/dashboard-summary.js';
import type { Size } from '../layout.js';
import type { WizardOpen } from '../wizard/init.js';
import type { WizardEffect, WizardState } from '../wizard/types.js';

export type ViewId = 'dashboard' | 'connections' | 'alerts' | 'notifications' | 'jobs';
export type ListId = 'connections' | 'jobs' | 'alerts' | 'notifications';
export type CardId = 'alerts' | 'connections' | 'jobs' | 'start';

export interface ListState {
  readonly cursor: number;
  /** First row drawn; kept so that the cursor stays in view without jumping. */
  readonly offset: number;
}

export type Tone = 'error' | 'warning' | 'success' | 'info';

export interface Notice {
  readonly tone: Tone;
  readonly text: string;
}

/** A use case the panel runs for the admin; at most one at a time. */
export type Operation =
  | { readonly kind: 'delete-connection'; readonly connectionId: string; readonly name: string; readonly basedOn: Connection }
  | { readonly kind: 'dismiss-alert'; readonly alertId: string; readonly message: string }
  | { readonly kind: 'save-notifications'; readonly muted: readonly AlertCategory[]; readonly basedOn: readonly string[] }
  | { readonly kind: 'test-connection'; readonly connectionId: string; readonly name: string }
  | { readonly kind: 'run-job'; readonly jobId: string; readonly name: string }
  | { readonly kind: 'rename-connection'; readonly connectionId: string; readonly name: string; readonly to: string; readonly basedOn: Connection };

/** What an operation came back with (the reducer words it). */
export type OperationResult =
  | { readonly kind: 'delete-connection'; readonly name: string }
  | { readonly kind: 'dismiss-alert' }
  | { readonly kind: 'save-notifications' }
  | { readonly kind: 'test-connection'; readonly checks: readonly CheckResult[]; readonly recorded: boolean }
  | { readonly kind: 'run-job'; readonly result: RunResult; readonly message: string; readonly checks: readonly CheckResult[] }
  | { readonly kind: 'rename-connection'; readonly from: string; readonly to: string };

/** What a question's Yes does: it goes through the reducer's checks again (things may have changed). */
export type Request = { readonly kind: 'start'; readonly op: Operation } | { readonly kind: 'discard-wizard' } | { readonly kind: 'quit' };

/**
 * What the app container does on the reducer's behalf: every effect, and nothing else. Results come
 * back as actions; the reducer alone decides what they mean.
 */
export type Intent =
  | { readonly type: 'quit' }
  /** Draw the whole screen again (Ctrl-L). */
  | { readonly type: 'redraw' }
  | { readonly type: 'run'; readonly op: Operation }
  | { readonly type: 'cancel-operation' }
  /** Re-read the store file (after a refused stale save), then dispatch `then`. */
  | { readonly type: 'reload-store'; readonly then?: { readonly type: 'command'; readonly command: CommandId } }
  /** Open the wizard: the container adds the clock and the host name. */
  | { readonly type: 'open-wizard'; readonly open: WizardOpen }
  | { readonly type: 'load-permissions'; readonly service: Service }
  | { readonly type: 'wizard'; readonly effect: WizardEffect };

export type Modal =
  | { readonly kind: 'help'; readonly scroll: number }
  | {
      readonly kind: 'confirm';
      readonly title: string;
      readonly text: string;
      readonly yesLabel: string;
      readonly noLabel: string;
      /** Destructive questions start on No. */
      readonly choice: 'yes' | 'no';
      readonly tone: Tone;
      readonly onYes: Request;
    }
  | { readonly kind: 'message'; readonly tone: Tone; readonly title: string; readonly text: string }
  | {
      readonly kind: 'rename';
      readonly connectionId: string;
      /** The name when the dialog opened, and the connection it was opened on (a later change elsewhere is a conflict). */
      readonly name: string;
      readonly basedOn: Connection;
      /** Id and tenant: what tells this connection apart. */
      readonly about: string;
      readonly value: string;
      readonly error: string | undefined;
      readonly warning: string | undefined;
    }
  | {
      readonly kind: 'menu';
      readonly title: string;
      readonly items: ReadonlyArray<{ readonly value: Service; readonly label: string }>;
      readonly cursor: number;
    }
  | {
      readonly kind: 'progress';
      readonly title: string;
      readonly running?: string;
      readonly results: readonly CheckResult[];
      readonly done: boolean;
      readonly cancelling: boolean;
      readonly outcome?: Notice;
    };

export interface FilterState {
  readonly text: string;
  readonly editing: boolean;
}

export interface NotificationDraft {
  readonly muted: readonly AlertCategory[];
  /** The muted list the form was opened on: saving over a newer one is refused. */
  readonly basedOn: readonly string[];
}

export interface AppState {
  readonly view: ViewId;
  readonly size: Size;
  /** Lines taken by the banner (0 without one); fixed at start, changes with the width. */
  readonly banner: string | undefined;
  readonly readOnly: boolean;
  readonly card: CardId;
  readonly lists: Readonly<Record<ListId, ListState>>;
  readonly filter: FilterState;
  readonly notifications: NotificationDraft | undefined;
  readonly modal: Modal | undefined;
  readonly notice: Notice | undefined;
  /** Why the store is read-only (shown when a change is refused). */
  readonly readOnlyReason: string | undefined;
  /** The operation under way (a write or a check); a second one waits for it. */
  readonly running: Operation | undefined;
  /** The connection wizard, open over Manage server connections. */
  readonly wizard: WizardState | undefined;
  /** Manage server connections: as saved, or grouped by tenant (s switches). */
  readonly connectionsOrder: ConnectionsOrder;
}

export type ConnectionsOrder = 'saved' | 'tenant';

/** Everything the views draw that comes from the store; computed once per document revision. */
export interface DocumentData {
  readonly revision: number;
  readonly doc: StoreDocument;
  readonly connections: readonly ConnectionRow[];
  readonly jobs: readonly JobRow[];
  readonly alerts: readonly Alert[];
  readonly categories: readonly CategorySetting[];
  readonly summary: DashboardSummary;
}

/** DocumentData plus what depends on the view state (the filtered list), memoised on both. */
export interface ViewData extends DocumentData {
  readonly visibleConnections: readonly ConnectionRow[];
}
