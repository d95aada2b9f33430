import type { CheckResult } from '../../services/index.js';
import type { Alert, AlertCategory, Connection, Service, StoreDocument } from '../../domain/index.js';
import type { CommandId } from '../keymap/commands.js';
import type { CategorySetting, ConnectionRow, JobRow } from '../../services/index.js';
import type { DashboardSummary } from '../../services/dashboard-summary.js';
import type { Size } from '../layout.js';
import type { WizardOpen } from '../wizard/init.js';
import type { WizardEffect, WizardState } from '../wizard/types.js';
import type { FormEffect, FormState, RestoreWhat } from '../forms/types.js';
import type { Job } from '../../domain/index.js';
import type { BrowseState, JobsPane, LiveState, PanelCycle, ServiceView, StoragesPane } from './backup-types.js';
import type { CheckReport } from '../../services/storages.js';
import type { ListModel } from '../list/list.js';
import type { ConnectionLines } from './connection-groups.js';
import type { AuditPane } from './audit-types.js';

export type ViewId = 'dashboard' | 'connections' | 'alerts' | 'notifications' | 'jobs' | 'job' | 'storages' | 'browse' | 'audit';
export type ListId = 'connections' | 'alerts' | 'notifications';
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
  | { readonly kind: 'delete-job'; readonly jobId: string; readonly name: string }
  | { readonly kind: 'stop-job'; readonly jobId: string; readonly name: string }
  | { readonly kind: 'check-storage'; readonly storageId: string; readonly name: string }
  | { readonly kind: 'export'; readonly storageId: string; readonly from: string; readonly items?: readonly string[]; readonly out: string }
  | { readonly kind: 'rename-connection'; readonly connectionId: string; readonly name: string; readonly to: string; readonly basedOn: Connection };

/** What an operation came back with (the reducer words it). */
export type OperationResult =
  | { readonly kind: 'delete-connection'; readonly name: string }
  | { readonly kind: 'dismiss-alert' }
  | { readonly kind: 'save-notifications' }
  | { readonly kind: 'test-connection'; readonly checks: readonly CheckResult[]; readonly recorded: boolean }
  | { readonly kind: 'delete-job'; readonly name: string }
  | { readonly kind: 'stop-job' }
  | { readonly kind: 'check-storage'; readonly report: CheckReport }
  | { readonly kind: 'export'; readonly exported: number; readonly bytes: number; readonly errors: number; readonly out: string }
  | { readonly kind: 'rename-connection'; readonly from: string; readonly to: string };

/** What a question's Yes does: it goes through the reducer's checks again (things may have changed). */
export type Request =
  | { readonly kind: 'start'; readonly op: Operation }
  | { readonly kind: 'discard-wizard' }
  /** Save the wizard's connection although it moves to another tenant. */
  | { readonly kind: 'confirm-tenant-change' }
  | { readonly kind: 'discard-form' }
  /** Run the job now (after the obsolete-connection warning). */
  | { readonly kind: 'run'; readonly jobId: string }
  /** Quit although cycles started here run: they stop at the next item and are recorded first. */
  | { readonly kind: 'quit' };

/** Which job or storage wizard to open, on what. */
export type FormOpen =
  | { readonly kind: 'backup-job'; readonly job?: Job }
  | { readonly kind: 'restore-job'; readonly what: RestoreWhat; readonly job?: Job }
  | { readonly kind: 'storage' }
  | { readonly kind: 'export'; readonly what: RestoreWhat };

/** What a menu's item opens. */
export type MenuValue = Service | 'backup-job' | 'restore-job';

/**
 * What the app container does on the reducer's behalf: every effect, and nothing else. Results come
 * back as actions; the reducer alone decides what they mean.
 */
export type Intent =
  /** `stopCycles`: first stop the cycles started here at the next item and wait until they are recorded. */
  | { readonly type: 'quit'; readonly stopCycles?: boolean }
  /** Draw the whole screen again (Ctrl-L). */
  | { readonly type: 'redraw' }
  | { readonly type: 'run'; readonly op: Operation }
  | { readonly type: 'cancel-operation' }
  /** Re-read the store file (after a refused stale save), then dispatch `then`. */
  | { readonly type: 'reload-store'; readonly then?: { readonly type: 'command'; readonly command: CommandId } }
  /** Open a job or storage wizard: the container adds the clock. */
  | { readonly type: 'open-form'; readonly open: FormOpen }
  /** Open the wizard: the container adds the clock and the host name. */
  | { readonly type: 'open-wizard'; readonly open: WizardOpen }
  | { readonly type: 'load-permissions'; readonly service: Service }
  | { readonly type: 'wizard'; readonly effect: WizardEffect }
  /** Run a cycle of the job in this process, in the background (its progress is read like any other's). */
  | { readonly type: 'run-cycle'; readonly jobId: string }
  /** Read the size and items of every storage. */
  | { readonly type: 'load-storage-figures' }
  /** Read one level of a storage's tree. */
  | { readonly type: 'browse'; readonly opId: number; readonly storageId: string; readonly path: string }
  /** Read the newest `limit` changes of the audit log (never the whole file). */
  | { readonly type: 'load-audit'; readonly opId: number; readonly limit: number }
  | { readonly type: 'form'; readonly effect: FormEffect };

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
      /** First line of the text drawn, when it is taller than the screen. */
      readonly scroll?: number;
    }
  | { readonly kind: 'message'; readonly tone: Tone; readonly title: string; readonly text: string; readonly scroll?: number }
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
      /** Unused (the dialog is short); the modal scroll helpers read it. */
      readonly scroll?: number;
    }
  | {
      readonly kind: 'menu';
      readonly title: string;
      readonly items: ReadonlyArray<{ readonly value: MenuValue; readonly label: string }>;
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
      /** First result line drawn once done (while running the newest lines stay in view). */
      readonly scroll?: number;
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
  /** The connection wizard, open over Manage server connections (or over a job wizard). */
  readonly wizard: WizardState | undefined;
  /** Manage server connections: as saved, or grouped by tenant (s switches). */
  readonly connectionsOrder: ConnectionsOrder;
  readonly jobsPane: JobsPane;
  /** Bad news: the same headless list (cursor, `/` filter) as Jobs and Storages. */
  readonly alertsPane: { readonly list: ListModel };
  readonly storagesPane: StoragesPane;
  readonly browse: BrowseState | undefined;
  /** The Audit view: the newest changes of the audit log, read by the container. */
  readonly auditPane: AuditPane;
  /** The cycles running now, wherever started; read from their live-status files. */
  readonly live: LiveState;
  /** The backup service: undefined until first read. */
  readonly service: ServiceView | undefined;
  /** Cycles this panel started and has not seen end. */
  readonly cycles: readonly PanelCycle[];
  /** A job or storage wizard (New / Edit backup job, New restore job, New storage, Export). */
  readonly form: FormState | undefined;
  /** How far a read-only pane is scrolled (a job's details, a form step without fields); `pane` says which (model/state/scroll.ts). */
  readonly paneScroll?: { readonly pane: string; readonly by: number } | undefined;
  /** The id the next read (a Browse level) gets: an older one's answer is dropped. */
  readonly nextLoadId: number;
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
  /** Grouped by tenant: the lines drawn, tenant headers included (model/state/connection-groups.ts). */
  readonly connectionLines?: ConnectionLines | undefined;
}
