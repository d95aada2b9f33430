import type { Job, Secret, StoreDocument } from '../../domain/index.js';
import type { ConnectionRow, ErrorDescription } from '../../services/index.js';
import type { BackupJobInput, JobChanges, RestoreJobInput } from '../../services/job-admin.js';
import type { TenantSource } from '../../services/tenant-sources.js';
import type { KeyPress } from '../keymap/keys.js';
import type { ListModel } from '../list/list.js';

/**
 * The job and storage wizards (product.md §7): New / Edit backup job, New restore job, New
 * storage, and Export. A plain value changed only by `reduceForm`; saving, creating a storage and
 * loading a tenant's mailboxes or sites are asked for as effects, answered with actions carrying
 * the operation's id (a stale answer is dropped).
 */

export type FormKind = 'backup-job' | 'restore-job' | 'storage' | 'export';

export type FormStepId = 'name' | 'continuity' | 'connection' | 'sources' | 'storage' | 'activity' | 'target' | 'location' | 'retention' | 'folder' | 'summary' | 'key';

export type FormTextId = 'name' | 'idle' | 'activity' | 'sourcesText' | 'path' | 'storageName' | 'retention' | 'out';
export type FormChoiceId = 'continuity' | 'scope' | 'when' | 'target' | 'runNow';
export type FormPickId = 'connection' | 'sources' | 'storage' | 'targetSource';
export type FormFieldId = FormTextId | FormChoiceId | FormPickId;

/** One line of a picker: a value, or an action such as "New storage…". */
export interface PickOption {
  readonly id: string;
  readonly label: string;
  readonly detail?: string;
  readonly action?: 'new-connection' | 'new-storage';
  /** Drawn in the warning colour (an [obsolete] connection). */
  readonly warn?: boolean;
}

export interface PickState {
  readonly list: ListModel;
  /** Options read from the tenant; pickers of the store's own connections and storages have none. */
  readonly loaded: readonly PickOption[] | undefined;
  readonly loading: number | undefined;
  readonly failure: string | undefined;
  /** The connection the loaded options came from: another connection loads them again. */
  readonly loadedFor: string | undefined;
}

/** What a restore or an export takes from Browse: a path of the storage, and items under it. */
export interface RestoreWhat {
  readonly storageId: string;
  readonly storageName: string;
  /** The source the items came from (a mailbox UPN, a site as host/sites/name). */
  readonly source: string;
  readonly from: string;
  readonly items?: readonly string[];
  /** "3 items in Inbox", "folder Inbox/2026", for the summary. */
  readonly label: string;
}

export interface FormFailure {
  readonly title: string;
  readonly message: string;
}

export interface FormState {
  readonly kind: FormKind;
  readonly mode: 'new' | 'edit';
  /** Edit: the job as it was when the form opened. */
  readonly job: Job | undefined;
  /** Restore and export: what Browse handed over. */
  readonly what: RestoreWhat | undefined;
  readonly step: FormStepId;
  readonly focus: number;
  readonly cursor: number;
  readonly text: Readonly<Record<FormTextId, string>>;
  readonly choice: Readonly<Record<FormChoiceId, string>>;
  /** The value each single picker had when its step was left (connection, storage, target). */
  readonly picked: Readonly<Partial<Record<FormPickId, string>>>;
  readonly picks: Readonly<Partial<Record<FormPickId, PickState>>>;
  readonly errors: Readonly<Partial<Record<FormFieldId, string>>>;
  /** Something was entered or a step passed: Esc asks before discarding. */
  readonly touched: boolean;
  readonly running: { readonly id: number; readonly kind: 'save' | 'create-storage' } | undefined;
  readonly failure: FormFailure | undefined;
  readonly nextOpId: number;
  /** New storage: the recovery key, shown once on the last step and never again. */
  readonly recoveryKey: Secret | undefined;
  readonly created: { readonly id: string; readonly name: string } | undefined;
  /** The form this one was opened from (New storage inside New backup job); it resumes on return. */
  readonly parent: FormState | undefined;
  /** Local date and time when the form opened (a restore job's default name). */
  readonly opened: string;
}

/** What the pickers list from the store, and the name rules: the panel's derived data. */
export interface FormData {
  readonly doc: StoreDocument;
  readonly connections: readonly ConnectionRow[];
  /** Rows a picker shows at the current size (its page). */
  readonly pickRows: number;
}

export type FormEffect =
  | { readonly kind: 'load-sources'; readonly opId: number; readonly field: FormPickId; readonly connectionId: string }
  | { readonly kind: 'create-job'; readonly opId: number; readonly input: BackupJobInput }
  | { readonly kind: 'create-restore-job'; readonly opId: number; readonly input: RestoreJobInput }
  | { readonly kind: 'edit-job'; readonly opId: number; readonly jobId: string; readonly changes: JobChanges }
  | { readonly kind: 'create-storage'; readonly opId: number; readonly input: { readonly name: string; readonly path: string; readonly retentionDays: number } }
  /** Stop loading the tenant's sources (the form closed or the step was left). */
  | { readonly kind: 'cancel' };

export type FormCommand = 'next' | 'back' | 'field-next' | 'field-previous' | 'choice-next' | 'choice-previous' | 'clear-field' | 'stop';

export type FormAction =
  | { readonly type: 'command'; readonly command: FormCommand }
  | { readonly type: 'edit'; readonly key: KeyPress }
  | { readonly type: 'pick'; readonly field: FormPickId; readonly list: ListModel }
  | { readonly type: 'sources.loaded'; readonly opId: number; readonly sources: readonly TenantSource[] }
  | { readonly type: 'saved'; readonly opId: number; readonly job: Job }
  | { readonly type: 'storage.created'; readonly opId: number; readonly storage: { readonly id: string; readonly name: string }; readonly recoveryKey: Secret }
  | { readonly type: 'op.failed'; readonly opId: number; readonly error: ErrorDescription };

/** What a finished form hands to the panel. */
export type FormDone =
  | { readonly kind: 'job-saved'; readonly job: Job; readonly mode: 'new' | 'edit'; readonly run: boolean }
  | { readonly kind: 'storage-ready'; readonly id: string; readonly name: string }
  | { readonly kind: 'export'; readonly what: RestoreWhat; readonly out: string }
  /** The connection picker's "New server connection…": the panel opens the connection wizard over the form. */
  | { readonly kind: 'new-connection' };

export interface FormTransition {
  readonly form: FormState;
  readonly effects: readonly FormEffect[];
  /** Esc with nothing running: the panel asks before discarding (closes at once when untouched). */
  readonly cancel?: boolean;
  readonly done?: FormDone;
}
