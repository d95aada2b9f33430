import type { Key } from 'ink';
import type { CheckResult, Progress } from '../../services/index.js';
import { authType, canDeleteConnection, type Connection, type StoreDocument } from '../../domain/index.js';
import { safeText } from '../../text/safe-text.js';
import type { ServiceContext } from '../../services/index.js';
import {
  deleteConnection,
  dismissAlert,
  jobRunWarning,
  loadCertificateFile,
  runJob,
  saveModernAuth,
  saveNewConnection,
  saveNotificationOptions,
  saveOnPremisesEdit,
  testConnection,
  verifyModernAuth,
  verifyNewConnection,
  verifyOnPremisesEdit,
} from '../../services/index.js';
import type { StoreChange } from '../../store/api.js';
import type { KeyPress } from '../../model/keymap/keys.js';
import { keysFromInk } from '../terminal/ink-keys.js';
import type { Size } from '../../model/layout.js';
import { ViewDataCache } from '../../model/state/derive.js';
import { filterHasFocus, resolve } from '../../model/state/dispatch.js';
import type { Action } from '../../model/state/reducer.js';
import { initialState, reduce } from '../../model/state/reducer.js';
import type { AppState, Intent, Notice, ViewData } from '../../model/state/types.js';
import { errorDialog, isAbort, isConflict } from './error-message.js';
import { openWizard } from '../../model/wizard/init.js';
import { failureOf } from '../../model/wizard/messages.js';
import { describeError } from '../../services/index.js';
import type { OpKind, WizardAction, WizardEffect, WizardPlan } from '../../model/wizard/types.js';

export interface ControllerOptions {
  readonly ctx: ServiceContext;
  readonly size: Size;
  readonly banner?: string | undefined;
  /** How often the store file is checked for other sessions' saves. */
  readonly pollMs?: number;
  readonly onQuit: () => void;
  /** This machine's name, for the app registration's display name ("backup-panel Exchange (<host>)"). */
  readonly host?: string;
  /** The demo: the sandbox tenant approves device-code sign-ins by itself (the wizard says so). */
  readonly demo?: boolean;
}

export interface Snapshot {
  readonly state: AppState;
  readonly data: ViewData;
}

const BUSY_NOTICE: Notice = { tone: 'warning', text: 'Another operation is still running; wait for it to finish.' };

function readOnlyDialog(reason: string | undefined, what: string) {
  return {
    kind: 'message' as const,
    tone: 'error' as const,
    title: 'The store is read-only',
    text: `${what} would change the store, which is open read-only (${safeText(reason ?? 'by request')}). Nothing was changed.`,
  };
}

/**
 * The app container's state: an external store holding the reducer state and the derived data.
 * Keys are applied to it one by one, synchronously, so several keys in one stdin chunk each see
 * the state the previous one left (React state would hand them all the same stale closure).
 * Every effect (store writes, checks, runs, the store subscription) starts here, never in a view.
 */
export class AppController {
  readonly #options: ControllerOptions;
  readonly #cache = new ViewDataCache();
  #state: AppState;
  #data: ViewData;
  #snapshot: Snapshot;
  readonly #listeners = new Set<() => void>();
  #operation: AbortController | undefined;
  /** The document the derived data was made from; replaced only through #onDocument. */
  #doc: StoreDocument;
  #unsubscribe: (() => void) | undefined;
  #disposed = false;
  /** The connection wizard's running operation (sign-in, registration, checks…). */
  #wizardOperation: AbortController | undefined;
  /** Redraws the device code's time left once a second while it is shown. */
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(options: ControllerOptions) {
    this.#options = options;
    const { store } = options.ctx;
    this.#state = initialState({ size: options.size, banner: options.banner, readOnly: store.readOnly });
    this.#doc = store.current();
    this.#data = this.#cache.get(this.#doc, '', options.ctx.now);
    this.#snapshot = { state: this.#state, data: this.#data };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): Snapshot => this.#snapshot;

  /** Starts following the store file; other sessions' saves show up within `pollMs`. */
  start(): void {
    if (this.#unsubscribe || this.#disposed) return;
    this.#unsubscribe = this.#options.ctx.store.subscribe((change) => this.#onStoreChange(change), this.#options.pollMs ?? 500);
    // A save between construction and subscription would otherwise go unnoticed.
    this.#onDocument(this.#options.ctx.store.current(), false);
  }

  dispose(): void {
    this.#disposed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#operation?.abort();
    this.#wizardOperation?.abort();
    this.#stopTicker();
    this.#listeners.clear();
  }

  /** One Ink input event: every key in it, in order, each against the state the last one left. */
  handleInput(input: string, key: Key): void {
    // The filter field (ink-text-input) receives this same event only if it had focus before it.
    const fieldSawIt = filterHasFocus(this.#state);
    for (const press of keysFromInk(input, key)) this.handleKey(press, fieldSawIt);
  }

  handleKey(press: KeyPress, fieldSawIt = false): void {
    const resolution = resolve(this.#state, press.name);
    if (resolution.kind === 'command') this.#dispatch({ type: 'command', command: resolution.spec.id });
    else if (resolution.kind === 'text' && this.#state.wizard) this.#dispatch({ type: 'wizard', action: { type: 'edit', key: press } });
    else if (resolution.kind === 'text' && !fieldSawIt) this.#dispatch({ type: 'filter.edit', key: press });
  }

  /** The filter field's text, as typed (control characters cannot be part of a filter). */
  readonly setFilterText = (text: string): void => {
    this.#dispatch({ type: 'filter.text', text: text.replace(/\p{Cc}/gu, '') });
  };

  resize(size: Size): void {
    if (size.columns === this.#state.size.columns && size.rows === this.#state.size.rows) return;
    this.#dispatch({ type: 'resize', size });
  }

  #dispatch(action: Action): void {
    if (this.#disposed) return;
    const { state, intents } = reduce(this.#state, action, this.#data);
    this.#commit(state);
    for (const intent of intents) void this.#perform(intent);
  }

  #commit(state: AppState): void {
    const data = this.#cache.get(this.#doc, state.filter.text, this.#options.ctx.now);
    if (state === this.#state && data === this.#data) return;
    this.#state = state;
    this.#data = data;
    this.#snapshot = { state, data };
    this.#syncTicker();
    for (const listener of this.#listeners) listener();
  }

  #syncTicker(): void {
    const w = this.#state.wizard;
    const wanted = w !== undefined && w.step === 'sign-in' && w.prompt !== undefined && w.running !== undefined;
    if (wanted && !this.#ticker) {
      this.#ticker = setInterval(() => this.#wizardAction({ type: 'tick', now: Date.now() }), 1000);
    } else if (!wanted) {
      this.#stopTicker();
    }
  }

  #stopTicker(): void {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #wizardAction(action: WizardAction): void {
    this.#dispatch({ type: 'wizard', action });
  }

  #onStoreChange(change: StoreChange): void {
    this.#onDocument(change.document, change.external);
    // The file itself went away (moved or deleted) or came back: the view keeps the last data it saw.
    if (change.fileMissing !== undefined) this.#dispatch({ type: 'notice', notice: storeFileNotice(change.fileMissing) });
  }

  #onDocument(doc: StoreDocument, external: boolean): void {
    if (this.#disposed) return;
    const previous = this.#data;
    const data = this.#cache.get(doc, this.#state.filter.text, this.#options.ctx.now);
    this.#doc = doc;
    if (data === previous) return;
    this.#data = data;
    const { state } = reduce(this.#state, { type: 'document', previous }, data);
    const noticed = external ? { ...state, notice: { tone: 'info' as const, text: 'Another session changed the store; the view shows the new data.' } } : state;
    this.#state = noticed;
    this.#snapshot = { state: noticed, data };
    for (const listener of this.#listeners) listener();
  }

  /** After a refused stale edit the view must show what is really saved, at once. */
  async #refresh(): Promise<void> {
    try {
      await this.#options.ctx.store.reload();
    } catch {
      // Whatever the store has seen is still better than what the view shows.
    }
    this.#onDocument(this.#options.ctx.store.current(), true);
  }

  async #fail(error: unknown, what: string, onConflict?: () => void): Promise<void> {
    if (isConflict(error)) {
      await this.#refresh();
      onConflict?.();
    }
    this.#dispatch({ type: 'modal.open', modal: errorDialog(error, what) });
  }

  async #perform(intent: Intent): Promise<void> {
    const { ctx } = this.#options;
    switch (intent.type) {
      case 'quit':
        this.#operation?.abort();
        this.#options.onQuit();
        return;
      case 'cancel-operation':
        this.#operation?.abort();
        return;
      case 'request-delete':
        return this.#requestDelete(intent.connectionId);
      case 'delete-connection':
        return this.#write('Delete', async () => {
          const removed = await deleteConnection(ctx, intent.connectionId, { basedOn: intent.basedOn });
          return { tone: 'success', text: `Server connection '${safeText(removed.name)}' deleted.` };
        });
      case 'dismiss-alert':
        return this.#dismiss(intent.alertId);
      case 'save-notifications':
        return this.#write(
          'Notification options',
          async () => {
            await saveNotificationOptions(ctx, intent.muted, { basedOn: intent.basedOn });
            this.#dispatch({ type: 'notifications.saved' });
            return { tone: 'success', text: intent.muted.length ? `Notification options saved; muted: ${intent.muted.length} ${intent.muted.length === 1 ? 'category' : 'categories'}.` : 'Notification options saved; every category is shown.' };
          },
          // A refused form is reopened on what is really saved, so nothing stale can be saved twice.
          () => this.#dispatch({ type: 'command', command: 'alerts.options' }),
        );
      case 'test-connection':
        return this.#test(intent.connectionId);
      case 'request-run':
        return this.#requestRun(intent.jobId);
      case 'run-job':
        return this.#run(intent.jobId);
      case 'open-wizard':
        return this.#openWizard(intent.open);
      case 'wizard-discard':
        this.#wizardOperation?.abort();
        this.#dispatch({ type: 'wizard.close', notice: { tone: 'info', text: 'Changes discarded; nothing was saved.' } });
        return;
      case 'wizard':
        return this.#wizardEffect(intent.effect);
    }
  }

  #openWizard(open: Extract<Intent, { type: 'open-wizard' }>['open']): void {
    if (this.#refuseReadOnly(open.mode === 'new' ? 'A new server connection' : 'Editing a server connection')) return;
    const env = { host: this.#options.host ?? 'this server', demo: this.#options.demo === true, now: this.#options.ctx.now(), clock: Date.now() };
    if (open.mode === 'new') {
      this.#dispatch({ type: 'wizard.open', wizard: openWizard({ mode: 'new', service: open.service }, env) });
      this.#loadPermissions(open.service);
      return;
    }
    // What the admin is looking at is what the edit is based on: a later change elsewhere is a conflict.
    const connection = this.#doc.connections.find((c) => c.id === open.connectionId);
    if (!connection) {
      this.#dispatch({ type: 'notice', notice: { tone: 'warning', text: 'That server connection no longer exists (another session deleted it).' } });
      return;
    }
    const usedBy = this.#data.connections.find((r) => r.id === connection.id)?.usedBy ?? [];
    this.#dispatch({ type: 'wizard.open', wizard: openWizard({ mode: 'edit', connection, usedBy }, env) });
    if (connection.location === 'online') this.#loadPermissions(connection.service);
  }

  /** The permission list shown before signing in; the auth layer is loaded on first use. */
  #loadPermissions(service: Connection['service']): void {
    this.#options.ctx
      .auth()
      .then((auth) => this.#wizardAction({ type: 'permissions', permissions: auth.permissionsFor(service) }))
      .catch(() => undefined);
  }

  async #wizardEffect(effect: WizardEffect): Promise<void> {
    if (effect.kind === 'cancel') {
      this.#wizardOperation?.abort();
      return;
    }
    this.#wizardOperation?.abort();
    const abort = new AbortController();
    this.#wizardOperation = abort;
    const { signal } = abort;
    const { ctx } = this.#options;
    const kind: OpKind = effect.kind === 'load-certificate' ? 'certificate' : effect.kind;
    try {
      switch (effect.kind) {
        case 'load-certificate': {
          const material = await loadCertificateFile(ctx, effect.path, effect.password);
          // Reading a file cannot be interrupted; a stop asked for meanwhile wins over its result.
          if (signal.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
          this.#wizardAction({ type: 'certificate.loaded', opId: effect.opId, material });
          break;
        }
        case 'sign-in': {
          const auth = await ctx.auth();
          const session = await auth.signInAdmin({
            tenant: effect.tenant,
            signal,
            onPrompt: (prompt) => this.#wizardAction({ type: 'prompt', opId: effect.opId, prompt, now: Date.now() }),
          });
          this.#wizardAction({ type: 'signed-in', opId: effect.opId, session });
          break;
        }
        case 'register': {
          const auth = await ctx.auth();
          const app = await auth.registerApp(effect.session, {
            service: effect.service,
            displayName: effect.displayName,
            signal,
            onProgress: (progress) => this.#wizardAction({ type: 'registration.progress', opId: effect.opId, progress }),
            ...(effect.siteUrl ? { siteUrl: effect.siteUrl } : {}),
          });
          this.#wizardAction({ type: 'registered', opId: effect.opId, app });
          break;
        }
        case 'verify': {
          const onProgress = (p: Progress) => this.#wizardAction({ type: 'checks.progress', opId: effect.opId, running: p.running, results: p.results });
          const results = await this.#verifyPlan(effect.plan, signal, onProgress);
          if (signal.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
          this.#wizardAction({ type: 'checks.done', opId: effect.opId, results });
          break;
        }
        case 'save': {
          if (this.#options.ctx.store.readOnly) {
            this.#wizardAction({ type: 'op.failed', opId: effect.opId, failure: { title: 'Not saved', message: `The store is open read-only (${safeText(this.#options.ctx.store.readOnlyReason ?? 'by request')}); nothing was saved.` } });
            break;
          }
          const connection = await this.#savePlan(effect.plan, effect.checks);
          this.#wizardAction({ type: 'saved', opId: effect.opId });
          this.#dispatch({ type: 'wizard.saved', connectionId: connection.id, notice: savedNotice(effect.plan, connection) });
          break;
        }
      }
    } catch (error) {
      if (kind !== 'save' && isAbort(error, signal)) {
        this.#wizardAction({ type: 'op.cancelled', opId: effect.opId });
      } else {
        if (isConflict(error)) await this.#refresh();
        const failure = failureOf(describeError(error), kind);
        this.#wizardAction({
          type: 'op.failed',
          opId: effect.opId,
          failure:
            kind === 'save' && isConflict(error)
              ? { ...failure, wayOut: 'Nothing you entered is lost: Esc cancels the wizard; open Edit again to start from what is saved now.' }
              : failure,
          ...(kind === 'certificate' ? { field: 'certPath' as const } : {}),
        });
      }
    } finally {
      if (this.#wizardOperation === abort) this.#wizardOperation = undefined;
    }
  }

  #verifyPlan(plan: WizardPlan, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<readonly CheckResult[]> {
    const { ctx } = this.#options;
    switch (plan.mode) {
      case 'new':
        return verifyNewConnection(ctx, plan.input, { signal, onProgress });
      case 'edit-online':
        return verifyModernAuth(ctx, plan.connectionId, plan.input, { signal, onProgress });
      case 'edit-onpremises':
        return verifyOnPremisesEdit(ctx, plan.connectionId, plan.input, { signal, onProgress });
    }
  }

  #savePlan(plan: WizardPlan, checks: readonly CheckResult[]): Promise<Connection> {
    const { ctx } = this.#options;
    switch (plan.mode) {
      case 'new':
        return saveNewConnection(ctx, plan.input, checks);
      case 'edit-online':
        return saveModernAuth(ctx, plan.connectionId, plan.input, checks, { basedOn: plan.basedOn });
      case 'edit-onpremises':
        return saveOnPremisesEdit(ctx, plan.connectionId, plan.input, checks, { basedOn: plan.basedOn });
    }
  }

  #refuseReadOnly(what: string): boolean {
    const { store } = this.#options.ctx;
    if (!store.readOnly) return false;
    this.#dispatch({ type: 'modal.open', modal: readOnlyDialog(store.readOnlyReason, what) });
    return true;
  }

  async #write(what: string, work: () => Promise<Notice>, onConflict?: () => void): Promise<void> {
    if (this.#refuseReadOnly(what)) return;
    if (this.#state.busy) {
      this.#dispatch({ type: 'notice', notice: BUSY_NOTICE });
      return;
    }
    this.#dispatch({ type: 'busy', busy: true });
    try {
      const notice = await work();
      this.#dispatch({ type: 'notice', notice });
    } catch (error) {
      await this.#fail(error, what, onConflict);
    } finally {
      this.#dispatch({ type: 'busy', busy: false });
    }
  }

  #requestDelete(connectionId: string): void {
    if (this.#refuseReadOnly('Delete')) return;
    // What the admin is looking at: if the file has moved on since, the delete is refused as stale.
    const doc = this.#doc;
    const connection = doc.connections.find((c) => c.id === connectionId);
    if (!connection) {
      this.#dispatch({ type: 'notice', notice: { tone: 'warning', text: 'That server connection no longer exists (another session deleted it).' } });
      return;
    }
    const verdict = canDeleteConnection(doc, connectionId);
    if (!verdict.allowed) {
      this.#dispatch({ type: 'modal.open', modal: { kind: 'message', tone: 'error', title: 'Cannot delete this server connection', text: safeText(verdict.reason) } });
      return;
    }
    this.#dispatch({
      type: 'modal.open',
      modal: {
        kind: 'confirm',
        tone: 'warning',
        title: 'Delete server connection',
        text: `Delete server connection '${safeText(connection.displayName)}'? Its stored credentials are removed too. This cannot be undone.`,
        yesLabel: 'Delete',
        noLabel: 'Cancel',
        choice: 'no',
        onYes: { type: 'delete-connection', connectionId, basedOn: connection },
      },
    });
  }

  #dismiss(alertId: string): Promise<void> | void {
    const alert = this.#data.alerts.find((a) => a.id === alertId);
    if (alert?.permanent) {
      const cause =
        alert.category === 'obsolete-connection'
          ? 'it goes away when the connection is reconfigured to Modern Authentication or deleted'
          : 'it goes away when the certificate or secret is renewed';
      this.#dispatch({
        type: 'modal.open',
        modal: { kind: 'message', tone: 'info', title: 'Permanent alert', text: `This alert cannot be dismissed: ${cause}. To hide alerts of this kind, mute the category in Notification options (n).` },
      });
      return;
    }
    return this.#write('Dismiss', async () => {
      await dismissAlert(this.#options.ctx, alertId);
      // Named, because another session's change can move the selection just before the key lands.
      return { tone: 'success', text: alert ? `Alert dismissed: ${safeText(alert.message)}` : 'Alert dismissed.' };
    });
  }

  async #longOperation(title: string, what: string, work: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<{ outcome: Notice; results: readonly CheckResult[] }>): Promise<void> {
    if (this.#state.busy) {
      this.#dispatch({ type: 'notice', notice: BUSY_NOTICE });
      return;
    }
    const abort = new AbortController();
    this.#operation = abort;
    this.#dispatch({ type: 'busy', busy: true });
    this.#dispatch({ type: 'modal.open', modal: { kind: 'progress', title, results: [], done: false, cancelling: false, running: 'Starting' } });
    try {
      const { outcome, results } = await work(abort.signal, (p) => this.#dispatch({ type: 'progress', running: p.running, results: p.results }));
      this.#dispatch({ type: 'progress.done', outcome, results });
    } catch (error) {
      if (isAbort(error, abort.signal)) {
        this.#dispatch({ type: 'progress.done', outcome: { tone: 'warning', text: `${what} cancelled.` } });
      } else {
        const dialog = errorDialog(error, what);
        this.#dispatch({ type: 'progress.done', outcome: { tone: 'error', text: `${dialog.title}: ${dialog.text}` } });
        if (isConflict(error)) void this.#refresh();
      }
    } finally {
      if (this.#operation === abort) this.#operation = undefined;
      this.#dispatch({ type: 'busy', busy: false });
    }
  }

  #test(connectionId: string): Promise<void> {
    const connection = this.#options.ctx.store.current().connections.find((c) => c.id === connectionId);
    const name = safeText(connection?.displayName ?? connectionId);
    return this.#longOperation(`Testing server connection '${name}'`, 'Test', async (signal, onProgress) => {
      const result = await testConnection(this.#options.ctx, connectionId, { signal, onProgress });
      const failed = result.checks.find((c) => c.status === 'fail');
      const warned = result.checks.filter((c) => c.status === 'warn').length;
      const outcome: Notice = failed
        ? { tone: 'error', text: `Test failed at "${safeText(failed.name)}".${result.recorded ? ' A "Connection test failed" alert was added to Bad news.' : ''}` }
        : warned
          ? { tone: 'warning', text: `Test passed with ${warned} ${warned === 1 ? 'warning' : 'warnings'}.` }
          : { tone: 'success', text: result.checks.length === 1 ? 'The check passed.' : `All ${result.checks.length} checks passed.` };
      return { outcome, results: result.checks };
    });
  }

  #requestRun(jobId: string): void {
    if (this.#refuseReadOnly('Running a job')) return;
    let warning: string | undefined;
    try {
      warning = jobRunWarning(this.#options.ctx, jobId);
    } catch (error) {
      void this.#fail(error, 'Run');
      return;
    }
    if (!warning) {
      void this.#run(jobId);
      return;
    }
    this.#dispatch({
      type: 'modal.open',
      modal: { kind: 'confirm', tone: 'warning', title: 'Obsolete server connection', text: safeText(warning), yesLabel: 'Run anyway', noLabel: 'Cancel', choice: 'no', onYes: { type: 'run-job', jobId } },
    });
  }

  #run(jobId: string): Promise<void> {
    const job = this.#options.ctx.store.current().jobs.find((j) => j.id === jobId);
    const name = safeText(job?.name ?? jobId);
    return this.#longOperation(`Running job '${name}'`, 'Run', async (signal, onProgress) => {
      const { outcome } = await runJob(this.#options.ctx, jobId, { signal, onProgress });
      // The checks are listed above the outcome; a failure names the check rather than repeating it.
      const failed = outcome.checks.find((c) => c.status === 'fail');
      const notice: Notice =
        outcome.result === 'failed'
          ? { tone: 'error', text: `Job '${name}' failed${failed ? ` at "${safeText(failed.name)}"` : `: ${safeText(outcome.message)}`}. A "Job failed" alert was added to Bad news.` }
          : { tone: outcome.result === 'warning' ? 'warning' : 'success', text: `Job '${name}' ${outcome.result}: ${safeText(outcome.message)}` };
      return { outcome: notice, results: outcome.checks };
    });
  }
}

/** One line that fits 80 columns: the status line above it names the file. */
function storeFileNotice(missing: boolean): Notice {
  return missing
    ? { tone: 'error', text: 'The store file is gone: showing the last data; saving is off until it is back.' }
    : { tone: 'info', text: 'The store file is back; saving works again.' };
}

function savedNotice(plan: WizardPlan, connection: Connection): Notice {
  const name = safeText(connection.displayName);
  const type = authType(connection);
  if (plan.mode === 'new') return { tone: 'success', text: `Server connection '${name}' created (${type}).` };
  if (plan.mode === 'edit-online') return { tone: 'success', text: `Server connection '${name}' saved: now ${type} (OAuth 2.0); its jobs keep using it.` };
  return { tone: 'success', text: `Server connection '${name}' saved (${type}); its jobs keep using it.` };
}
