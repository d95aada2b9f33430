import type { Key } from 'ink';
import type { ServiceLiveness, StoreDocument } from '../../domain/index.js';
import type { KeyPress } from '../../model/keymap/keys.js';
import type { Size } from '../../model/layout.js';
import type { ControllerOptions, Snapshot } from './options.js';
import type { Action } from '../../model/state/actions.js';
import { ViewDataCache } from '../../model/state/derive.js';
import { resolve, typingHasFocus, wantsClock } from '../../model/state/dispatch.js';
import { initialState, reduce } from '../../model/state/reducer.js';
import { isPaneScrollCommand, isWizardScrollCommand } from '../../model/state/scroll.js';
import type { AppState, Intent, Operation, ViewData } from '../../model/state/types.js';

export type { ControllerOptions, Snapshot } from './options.js';
import type { WizardAction, WizardEffect } from '../../model/wizard/types.js';
// Single modules, not the services barrel: the controller is on the way to the first frame.
import { registrationPermissions } from '../../services/admin-sign-in.js';
import { describeError } from '../../services/describe-error.js';
import type { StoreChange } from '../../store/api.js';
import { keysFromInk } from '../terminal/ink-keys.js';
import { BackupWork } from './backup-work.js';

/**
 * The app container: holds the reducer's state and the derived data, and runs the effects the
 * reducer asks for (operations, wizard work, the store subscription, a clock). It decides nothing:
 * every key and every result goes back through `reduce`. Keys are applied one by one,
 * synchronously, so several keys in one stdin chunk each see the state the previous one left.
 */
export class AppController {
  readonly #options: ControllerOptions;
  readonly #cache = new ViewDataCache();
  readonly #listeners = new Set<() => void>();
  #state: AppState;
  #data: ViewData;
  #snapshot: Snapshot;
  /** The document the derived data was made from; replaced only through #onDocument. */
  #doc: StoreDocument;
  #unsubscribe: (() => void) | undefined;
  /** Whether the backup service runs (undefined until first read); replaced only when it changes. */
  #service: ServiceLiveness | undefined;
  #unwatchService: (() => void) | undefined;
  #disposed = false;
  /** The running operation and the wizard's running work (at most one each). */
  #operation: AbortController | undefined;
  #wizardWork: AbortController | undefined;
  /** Redraws the device code's time left once a second while it is shown. */
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** Cycles, live progress, storages, Browse and the job and storage wizards. */
  readonly #backup: BackupWork;
  #quitting = false;

  constructor(options: ControllerOptions) {
    this.#options = options;
    const { store } = options.ctx;
    this.#state = initialState({ size: options.size, banner: options.banner, readOnly: store.readOnly, readOnlyReason: store.readOnlyReason });
    this.#doc = store.current();
    this.#data = this.#cache.get(this.#doc, '', options.ctx.now);
    this.#snapshot = { state: this.#state, data: this.#data };
    this.#backup = new BackupWork(options.ctx, (action) => this.#dispatch(action));
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
    // Off the first frame's path: a killed service changes no file, so its liveness is polled (service-watch.ts).
    void import('./service-watch.js').then(({ watchServiceLiveness }) => {
      if (this.#disposed) return;
      this.#unwatchService = watchServiceLiveness(this.#options.ctx, this.#options.servicePollMs ?? 1000, (service) => {
        this.#service = service;
        this.#onDocument(this.#doc, false);
        // The Dashboard's service line changes with the alert, not up to two seconds later.
        this.#backup.refreshService();
      });
    });
    this.#backup.start();
  }

  dispose(): void {
    this.#disposed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#unwatchService?.();
    this.#operation?.abort();
    this.#wizardWork?.abort();
    this.#backup.dispose();
    this.#setTicker(false);
    this.#listeners.clear();
  }

  /** One Ink input event: every key in it, in order, each against the state the last one left. */
  handleInput(input: string, key: Key): void {
    for (const press of keysFromInk(input, key)) this.handleKey(press);
  }

  handleKey(press: KeyPress): void {
    if (press.pasted && typingHasFocus(this.#state)) return;
    const resolution = resolve(this.#state, press.name);
    if (resolution.kind === 'command') {
      const id = resolution.spec.id;
      const range = isWizardScrollCommand(id) || isPaneScrollCommand(id) ? this.#options.measureStep?.(this.#snapshot) : undefined;
      this.#dispatch({ type: 'command', command: id, range });
    }
    else if (resolution.kind === 'text') this.#dispatch({ type: 'text', key: press });
  }

  resize(size: Size): void {
    if (size.columns !== this.#state.size.columns || size.rows !== this.#state.size.rows) this.#dispatch({ type: 'resize', size });
  }

  #dispatch(action: Action): void {
    if (this.#disposed) return;
    const { state, intents } = reduce(this.#state, action, this.#data);
    this.#commit(state, this.#cache.get(this.#doc, state.filter.text, this.#options.ctx.now, this.#service, state.connectionsOrder));
    for (const intent of intents) this.#perform(intent);
  }

  #commit(state: AppState, data: ViewData): void {
    if (state === this.#state && data === this.#data) return;
    this.#state = state;
    this.#data = data;
    this.#snapshot = { state, data };
    this.#setTicker(wantsClock(state));
    for (const listener of this.#listeners) listener();
  }

  #setTicker(on: boolean): void {
    if (on && !this.#ticker) this.#ticker = setInterval(() => this.#wizard({ type: 'tick', now: Date.now() }), 1000);
    if (!on && this.#ticker) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  #wizard(action: WizardAction): void {
    this.#dispatch({ type: 'wizard', action });
  }

  #onStoreChange(change: StoreChange): void {
    this.#onDocument(change.document, change.external);
    if (change.fileMissing !== undefined) this.#dispatch({ type: 'store-file', missing: change.fileMissing });
  }

  #onDocument(doc: StoreDocument, external: boolean): void {
    if (this.#disposed) return;
    const previous = this.#data;
    const data = this.#cache.get(doc, this.#state.filter.text, this.#options.ctx.now, this.#service, this.#state.connectionsOrder);
    this.#doc = doc;
    if (data === previous) return;
    const { state, intents } = reduce(this.#state, { type: 'document', previous, external }, data);
    this.#commit(state, data);
    // The Audit view reads the log again after a change.
    for (const intent of intents) this.#perform(intent);
  }

  #perform(intent: Intent): void {
    const { ctx } = this.#options;
    switch (intent.type) {
      case 'quit':
        this.#operation?.abort();
        if (!intent.stopCycles) {
          this.#options.onQuit();
          return;
        }
        if (this.#quitting) return;
        this.#quitting = true;
        void this.#backup.stopCycles().then(() => this.#options.onQuit());
        return;
      case 'open-form':
        this.#dispatch({ type: 'form.open', open: intent.open, now: ctx.now() });
        return;
      case 'run-cycle':
      case 'load-storage-figures':
      case 'browse':
      case 'form':
        this.#backup.perform(intent);
        return;
      case 'redraw':
        this.#options.onRedraw?.();
        return;
      case 'load-audit':
        // Off the render path, and only loaded once the Audit view is opened.
        void import('./audit-effects.js')
          .then(({ loadAudit }) => loadAudit(ctx, intent))
          .then((action) => this.#dispatch(action));
        return;
      case 'run':
        void this.#run(intent.op);
        return;
      case 'cancel-operation':
        this.#operation?.abort();
        return;
      case 'reload-store':
        void this.#reload().then(() => intent.then && this.#dispatch(intent.then));
        return;
      case 'open-wizard': {
        const env = { host: this.#options.host ?? 'this server', demo: this.#options.demo === true, demoApp: this.#options.demoApp?.app, now: ctx.now(), clock: Date.now() };
        this.#dispatch({ type: 'wizard.open', open: intent.open, env });
        return;
      }
      case 'load-permissions':
        registrationPermissions(ctx, intent.service)
          .then((permissions) => this.#wizard({ type: 'permissions', permissions }))
          .catch(() => undefined);
        return;
      case 'wizard':
        void this.#runWizard(intent.effect);
        return;
    }
  }

  /** After a refused stale edit the view must show what is really saved, at once. */
  async #reload(): Promise<void> {
    // Whatever the store has seen is still better than what the view shows, if the re-read fails.
    await this.#options.ctx.store.reload().catch(() => undefined);
    this.#onDocument(this.#options.ctx.store.current(), true);
  }

  async #run(op: Operation): Promise<void> {
    const abort = new AbortController();
    this.#operation = abort;
    try {
      // The use cases load on first use: none is needed to draw the first frame.
      const { runOperation } = await import('./operations.js');
      const result = await runOperation(this.#options.ctx, op, abort.signal, (p) => this.#dispatch({ type: 'operation.progress', running: p.running, results: p.results }));
      this.#dispatch({ type: 'operation.done', result });
    } catch (error) {
      this.#dispatch({ type: 'operation.failed', error: describeError(error), aborted: abort.signal.aborted });
    } finally {
      if (this.#operation === abort) this.#operation = undefined;
    }
  }

  async #runWizard(effect: WizardEffect): Promise<void> {
    this.#wizardWork?.abort();
    this.#wizardWork = undefined;
    if (effect.kind === 'cancel' || effect.kind === 'reload-store') return;
    const abort = new AbortController();
    this.#wizardWork = abort;
    try {
      const { runWizardEffect } = await import('./wizard-effects.js');
      await runWizardEffect(this.#options.ctx, effect, abort.signal, (action) => this.#wizard(action), this.#options.demoApp);
    } catch (error) {
      this.#wizard({ type: 'op.failed', opId: effect.opId, error: describeError(error), aborted: abort.signal.aborted });
    } finally {
      if (this.#wizardWork === abort) this.#wizardWork = undefined;
    }
  }
}
