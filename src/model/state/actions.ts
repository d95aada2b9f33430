import type { CheckResult, ErrorDescription } from '../../services/index.js';
import type { CommandId } from '../keymap/commands.js';
import type { KeyPress } from '../keymap/keys.js';
import type { Size } from '../layout.js';
import type { WizardEnvironment, WizardOpen } from '../wizard/init.js';
import type { WizardAction } from '../wizard/types.js';
import type { CycleRecord } from '../../domain/index.js';
import type { LiveRun } from '../../services/live-runs.js';
import type { BrowseListing, StorageRow } from '../../services/storages.js';
import type { FormAction } from '../forms/types.js';
import type { AuditWindow } from '../../services/audit.js';
import type { ServiceView } from './backup-types.js';
import type { ScrollRange } from './scroll.js';
import type { AppState, FormOpen, Intent, OperationResult, ViewData } from './types.js';

/** Everything that can happen to the panel's state: keys, the store, the terminal, and effects' results. */
export type Action =
  /** `range`: for the wizard's scroll keys, the step's lines as drawn (model/state/scroll.ts). */
  | { readonly type: 'command'; readonly command: CommandId; readonly range?: ScrollRange | undefined }
  /** A key typed into the text field that has the keyboard (the filter, or a wizard field). */
  | { readonly type: 'text'; readonly key: KeyPress }
  /** The store's document changed (`external`: another session saved it). */
  | { readonly type: 'document'; readonly previous: ViewData; readonly external: boolean }
  /** The store file went away or came back. */
  | { readonly type: 'store-file'; readonly missing: boolean }
  | { readonly type: 'resize'; readonly size: Size }
  | { readonly type: 'operation.progress'; readonly running: string | undefined; readonly results: readonly CheckResult[] }
  | { readonly type: 'operation.done'; readonly result: OperationResult }
  /** `aborted`: the operation's signal was aborted (the admin cancelled it). */
  | { readonly type: 'operation.failed'; readonly error: ErrorDescription; readonly aborted: boolean }
  | { readonly type: 'wizard.open'; readonly open: WizardOpen; readonly env: WizardEnvironment }
  | { readonly type: 'wizard'; readonly action: WizardAction }
  /** The cycles running now, wherever started (read about twice a second). */
  | { readonly type: 'live'; readonly runs: readonly LiveRun[] }
  /** The backup service's state (read every few seconds). */
  | { readonly type: 'service'; readonly status: ServiceView }
  | { readonly type: 'storage-figures'; readonly rows: readonly StorageRow[] }
  | { readonly type: 'browse.loaded'; readonly opId: number; readonly listing: BrowseListing }
  | { readonly type: 'browse.failed'; readonly opId: number; readonly error: ErrorDescription }
  | { readonly type: 'audit.loaded'; readonly opId: number; readonly page: AuditWindow }
  | { readonly type: 'audit.failed'; readonly opId: number; readonly error: ErrorDescription }
  /** A cycle this panel started has ended (`record`), or could not start (`error`). */
  | { readonly type: 'cycle.ended'; readonly jobId: string; readonly record?: CycleRecord; readonly error?: ErrorDescription }
  /** `now`: the container's clock (default names of restore jobs). */
  | { readonly type: 'form.open'; readonly open: FormOpen; readonly now: Date }
  | { readonly type: 'form'; readonly action: FormAction };

export interface Transition {
  readonly state: AppState;
  readonly intents: readonly Intent[];
}

export function same(state: AppState): Transition {
  return { state, intents: [] };
}
