import type { Size } from '../../model/layout.js';
import type { AppState, ViewData } from '../../model/state/types.js';
import type { ScrollRange } from '../../model/state/scroll.js';
import type { ServiceContext } from '../../services/index.js';
import type { DemoReadyApp } from '../../model/wizard/types.js';

/** The demo's ready app and the sandbox tenant playing the Microsoft Entra admin center for it. */
export interface DemoAppHooks {
  readonly app: DemoReadyApp;
  /** Adds a certificate the panel generated to the ready app, as the admin would upload it. */
  addCertificate(certificatePem: string): Promise<void>;
}

export interface ControllerOptions {
  readonly ctx: ServiceContext;
  readonly size: Size;
  readonly banner?: string | undefined;
  /** How often the store file is checked for other sessions' saves. */
  readonly pollMs?: number;
  /** How often the backup service's liveness is read (a killed service shows as stopped within this). */
  readonly servicePollMs?: number;
  readonly onQuit: () => void;
  /** Draws the whole screen again (Ctrl-L), where the terminal writer can. */
  readonly onRedraw?: (() => void) | undefined;
  /** This machine's name, for the app registration's display name ("backup-panel Exchange (<host>)"). */
  readonly host?: string;
  /** The demo: the sandbox tenant approves device-code sign-ins by itself (the wizard says so). */
  readonly demo?: boolean;
  /** The demo's ready app (shown on Application details); it takes certificates generated in the demo. */
  readonly demoApp?: DemoAppHooks | undefined;
  /** The connection wizard's step or the read-only pane as drawn (its lines, how many fit): what their scroll keys move over. */
  readonly measureStep?: (snapshot: Snapshot) => ScrollRange | undefined;
}

/** What the views draw: the reducer's state and the data derived from the store's document. */
export interface Snapshot {
  readonly state: AppState;
  readonly data: ViewData;
}
