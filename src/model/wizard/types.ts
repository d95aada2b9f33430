import type { AdminSession, CertificateMaterial, CheckResult, DeviceCodePrompt, ErrorDescription, Permission, RegisteredApp, RegistrationProgress } from '../../services/index.js';
import type { Connection, Secret, Service } from '../../domain/index.js';
import type { OnPremisesEditInput } from '../../services/edit-onpremises.js';
import type { NewConnectionInput } from '../../services/new-connection.js';
import type { ModernAuthInput } from '../../services/reconfigure.js';
import type { KeyPress } from '../keymap/keys.js';

/**
 * The connection wizard's state: a plain value changed only by `reduceWizard`. Effects (sign-in,
 * registration, reading a certificate file, verification, saving) are asked for as `WizardEffect`s
 * and done by the app container, which reports back with actions carrying the operation's id.
 */

export type WizardMode = 'new' | 'edit';

/** The demo's ready app: an app registration in the sandbox tenant for trying Manual registration. */
export interface DemoReadyApp {
  readonly tenant: string;
  readonly clientId: string;
  /** Its certificate with the private key (PEM), in the demo folder. */
  readonly certificatePath: string;
  /** Where a certificate generated in the demo goes by default (the demo folder, removed at exit). */
  readonly newCertificatePath: string;
}

export interface NamedConnection {
  readonly id: string;
  readonly displayName: string;
  readonly tenant?: string | undefined;
}

export type StepId =
  | 'location'
  | 'server-address'
  | 'registration'
  | 'permissions'
  | 'sign-in'
  | 'register'
  | 'app-details'
  | 'legacy'
  | 'exchange-server'
  | 'site-url'
  | 'account'
  | 'verify'
  | 'summary';

export type TextFieldId = 'name' | 'spUrl' | 'tenant' | 'clientId' | 'certPath' | 'certOut' | 'secretExpiry' | 'mailbox' | 'legacyUser' | 'server' | 'autodiscoverEmail' | 'siteUrl' | 'userName';
export type SecretFieldId = 'certPassword' | 'clientSecret' | 'legacyPassword' | 'password';
export type ChoiceFieldId = 'location' | 'registration' | 'credentialKind' | 'legacyChoice' | 'exchangeMode';
export type FieldId = TextFieldId | SecretFieldId | ChoiceFieldId;

export interface Choices {
  readonly location: 'online' | 'onpremises';
  readonly registration: 'automatic' | 'manual';
  /** 'generate': a new certificate made here for Manual registration (its public file uploaded by the admin). */
  readonly credentialKind: 'certificate' | 'generate' | 'secret';
  /** SharePoint Online's legacy half: keep the old account, none, or another account. */
  readonly legacyChoice: 'keep' | 'none' | 'account';
  readonly exchangeMode: 'autodiscover' | 'server';
}

export type OpKind = 'certificate' | 'sign-in' | 'register' | 'verify' | 'save';

export interface RunningOp {
  readonly id: number;
  readonly kind: OpKind;
  readonly cancelling: boolean;
}

/** A failure shown on the step, in words (texts from servers are made safe when drawn). */
export interface WizardFailure {
  readonly title: string;
  /** The normalised category in words, e.g. "Sign-in declined". */
  readonly category?: string;
  readonly aadsts?: number;
  readonly message: string;
  readonly hint?: string;
  /** The way out, e.g. "Ctrl-B goes back to Application registration: choose Manual registration." */
  readonly wayOut?: string;
}

export interface LoadedCertificate {
  readonly material: CertificateMaterial;
  /** The path and password it was read with: a change means it must be read again. */
  readonly path: string;
  readonly password: Secret;
  /** Expiring within 30 days: shown once on the step; Enter again goes on. */
  readonly acknowledged: boolean;
  /** Generated here: the public certificate's file (the admin uploads it); `path` is what the field said. */
  readonly generatedTo?: string;
  /** The demo: the sandbox tenant added it to the ready app (as the admin would upload it). */
  readonly addedToDemoApp?: boolean;
}

/** Where the admin is: the step, the focused field, the text cursor, the scrolled step area. */
export interface WizardView {
  readonly step: StepId;
  /** Index of the focused field among the current step's fields. */
  readonly focus: number;
  /** Insertion point in the focused text field. */
  readonly cursor: number;
  /** First line of the step's scrolling area (verification results, permissions). */
  readonly scroll: number;
}

/** What the admin entered, and what is wrong with it. */
export interface WizardForm {
  readonly text: Readonly<Record<TextFieldId, string>>;
  readonly secrets: Readonly<Record<SecretFieldId, Secret>>;
  readonly choices: Choices;
  readonly errors: Readonly<Partial<Record<FieldId, string>>>;
  /** Something was entered or a step was passed: Esc asks before discarding. */
  readonly touched: boolean;
  readonly certificate: LoadedCertificate | undefined;
  /** The admin typed a name: the Summary no longer fills in the assigned one. */
  readonly nameEdited?: boolean;
}

/** The operation running (at most one), or the last one's failure. */
export interface WizardOperation {
  readonly running: RunningOp | undefined;
  readonly failure: WizardFailure | undefined;
}

/** The device code being shown while the admin signs in. */
export interface WizardSignIn {
  readonly prompt: DeviceCodePrompt | undefined;
  /** Wall-clock ms of the last tick (the device code's time left is drawn from it). */
  readonly clock: number;
}

/** Automatic registration: the admin's session, the steps done so far, the app made. */
export interface WizardRegistration {
  readonly session: AdminSession | undefined;
  readonly steps: readonly RegistrationProgress[];
  readonly app: RegisteredApp | undefined;
}

export interface WizardVerification {
  readonly checks: readonly CheckResult[];
  /** The check running now. */
  readonly running: string | undefined;
  /** The checks ran to the end on the current settings. */
  readonly done: boolean;
}

export const NO_OPERATION: WizardOperation = { running: undefined, failure: undefined };
export const NO_PROMPT: WizardSignIn = { prompt: undefined, clock: 0 };
export const NOT_REGISTERED: WizardRegistration = { session: undefined, steps: [], app: undefined };
export const NOT_VERIFIED: WizardVerification = { checks: [], running: undefined, done: false };

/**
 * The wizard's state. What the wizard was opened on stays at the top; what changes is grouped, so
 * that leaving or re-entering a step resets a group with one assignment.
 */
export interface WizardState {
  readonly mode: WizardMode;
  readonly service: Service;
  /** Edit: the connection as it was when the wizard opened (the save is refused if it changed since). */
  readonly connection: Connection | undefined;
  /** Edit: names of the jobs that use the connection (they keep using it). */
  readonly usedBy: readonly string[];
  /** The other connections (id, name, tenant): a name one of them has is warned about. */
  readonly others?: readonly NamedConnection[];
  readonly host: string;
  readonly demo: boolean;
  /** The demo's ready app, shown on Application details. */
  readonly demoApp?: DemoReadyApp | undefined;
  /** YYYY-MM-DD when the wizard opened (dates typed by the admin are judged against it). */
  readonly today: string;
  /** What automatic registration grants (filled in by the container from services/admin-sign-in.ts). */
  readonly permissions: readonly Permission[];
  /** The id the next operation gets (results of an older one are dropped). */
  readonly nextOpId: number;
  readonly view: WizardView;
  readonly form: WizardForm;
  readonly operation: WizardOperation;
  readonly signIn: WizardSignIn;
  readonly registration: WizardRegistration;
  readonly verification: WizardVerification;
}

/** What verification and the save are called with, built from the state (pure). */
export type WizardPlan =
  | { readonly mode: 'new'; readonly input: NewConnectionInput }
  | { readonly mode: 'edit-online'; readonly connectionId: string; readonly input: ModernAuthInput; readonly basedOn: Connection; readonly rename?: string; readonly allowTenantChange?: boolean }
  | { readonly mode: 'edit-onpremises'; readonly connectionId: string; readonly input: OnPremisesEditInput; readonly basedOn: Connection; readonly rename?: string };

export type WizardEffect =
  | { readonly kind: 'load-certificate'; readonly opId: number; readonly path: string; readonly password: Secret }
  | { readonly kind: 'generate-certificate'; readonly opId: number; readonly path: string; readonly subject: string }
  | { readonly kind: 'sign-in'; readonly opId: number; readonly tenant: string }
  | { readonly kind: 'register'; readonly opId: number; readonly session: AdminSession; readonly service: Service; readonly displayName: string; readonly siteUrl?: string }
  | { readonly kind: 'verify'; readonly opId: number; readonly plan: WizardPlan }
  | { readonly kind: 'save'; readonly opId: number; readonly plan: WizardPlan; readonly checks: readonly CheckResult[] }
  | { readonly kind: 'cancel' }
  /** The store changed under the save: re-read it so that the panel shows what is really saved. */
  | { readonly kind: 'reload-store' };

export type WizardCommand = 'next' | 'back' | 'field-next' | 'field-previous' | 'choice-next' | 'choice-previous' | 'choice-down' | 'choice-up' | 'clear-field' | 'stop';

export type WizardAction =
  | { readonly type: 'command'; readonly command: WizardCommand }
  | { readonly type: 'edit'; readonly key: KeyPress }
  | { readonly type: 'tick'; readonly now: number }
  | { readonly type: 'permissions'; readonly permissions: readonly Permission[] }
  | { readonly type: 'certificate.loaded'; readonly opId: number; readonly material: CertificateMaterial; readonly generatedTo?: string; readonly addedToDemoApp?: boolean }
  | { readonly type: 'prompt'; readonly opId: number; readonly prompt: DeviceCodePrompt; readonly now: number }
  | { readonly type: 'signed-in'; readonly opId: number; readonly session: AdminSession }
  | { readonly type: 'registration.progress'; readonly opId: number; readonly progress: RegistrationProgress }
  | { readonly type: 'registered'; readonly opId: number; readonly app: RegisteredApp }
  | { readonly type: 'checks.progress'; readonly opId: number; readonly running: string | undefined; readonly results: readonly CheckResult[] }
  | { readonly type: 'checks.done'; readonly opId: number; readonly results: readonly CheckResult[] }
  /** `aborted`: the operation's signal was aborted (a stop or Back asked for it). */
  | { readonly type: 'op.failed'; readonly opId: number; readonly error: ErrorDescription; readonly aborted: boolean }
  | { readonly type: 'saved'; readonly opId: number; readonly connection: Connection }
  /** The save was refused: the settings move the connection to another tenant (the text names its jobs). */
  | { readonly type: 'tenant-change'; readonly opId: number; readonly text: string }
  /** The admin confirmed the move: save again, allowing it. */
  | { readonly type: 'tenant-confirmed' };

export interface WizardTransition {
  readonly wizard: WizardState;
  readonly effects: readonly WizardEffect[];
  /** Esc with nothing running: the app asks before discarding (or closes at once when untouched). */
  readonly cancel?: boolean;
  /** Finish saved this connection: the app closes the wizard on it. */
  readonly saved?: Connection;
  /** The save would move the connection to another tenant: the app asks (the text names the jobs). */
  readonly askTenantChange?: string;
}
