import type { CheckResult } from '../../services/index.js';
import type { Alert, AlertCategory, Connection, Service, StoreDocument } from '../../domain/index.js';
import type { CategorySetting, ConnectionRow, JobRow } from '../../services/index.js';
import type { DashboardSummary } from '../../services/dashboard-summary.js';
import type { Size } from '../layout.js';
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

/** What the app container does on the reducer's behalf (every effect lives there). */
export type Intent =
  | { readonly type: 'quit' }
  | { readonly type: 'request-delete'; readonly connectionId: string }
  | { readonly type: 'delete-connection'; readonly connectionId: string; readonly basedOn: Connection }
  | { readonly type: 'test-connection'; readonly connectionId: string }
  | { readonly type: 'request-run'; readonly jobId: string }
  | { readonly type: 'run-job'; readonly jobId: string }
  | { readonly type: 'dismiss-alert'; readonly alertId: string }
  | { readonly type: 'save-notifications'; readonly muted: readonly AlertCategory[]; readonly basedOn: readonly string[] }
  | { readonly type: 'cancel-operation' }
  | { readonly type: 'open-wizard'; readonly open: { readonly mode: 'new'; readonly service: Service } | { readonly mode: 'edit'; readonly connectionId: string } }
  | { readonly type: 'wizard'; readonly effect: WizardEffect }
  | { readonly type: 'wizard-discard' };

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
      readonly onYes: Intent;
    }
  | { readonly kind: 'message'; readonly tone: Tone; readonly title: string; readonly text: string }
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
  /** A write or a check is under way; a second one waits for it. */
  readonly busy: boolean;
  /** The connection wizard, open over Manage server connections. */
  readonly wizard: WizardState | undefined;
}

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
