import type { Connection, Service } from '../../domain/index.js';
import { Secret } from '../../domain/index.js';
import { mailboxFor } from '../../services/reconfigure.js';
import { tenantHint } from '../../services/verify-target.js';
import { fieldsOf, oldLegacyUser } from './fields.js';
import type { Choices, DemoReadyApp, NamedConnection, SecretFieldId, StepId, TextFieldId, WizardForm, WizardState, WizardView } from './types.js';
import { NO_OPERATION, NOT_REGISTERED, NOT_VERIFIED } from './types.js';

export type WizardOpen =
  | { readonly mode: 'new'; readonly service: Service; readonly others?: readonly NamedConnection[] }
  | { readonly mode: 'edit'; readonly connection: Connection; readonly usedBy: readonly string[]; readonly others?: readonly NamedConnection[] };

export interface WizardEnvironment {
  readonly host: string;
  readonly demo: boolean;
  /** The demo's ready app for Manual registration. */
  readonly demoApp?: DemoReadyApp | undefined;
  readonly now: Date;
  /** Wall clock (ms) for the device code's time left. */
  readonly clock: number;
}

const EMPTY_TEXT: Record<TextFieldId, string> = {
  name: '',
  spUrl: 'https://<tenant>.sharepoint.com',
  tenant: '',
  clientId: '',
  certPath: '',
  certOut: '',
  secretExpiry: '',
  mailbox: '',
  legacyUser: '',
  server: '',
  autodiscoverEmail: '',
  siteUrl: '',
  userName: '',
};

function emptySecrets(): Record<SecretFieldId, Secret> {
  return { certPassword: new Secret(''), clientSecret: new Secret(''), legacyPassword: new Secret(''), password: new Secret('') };
}

/**
 * A new wizard. Edit opens where the connection can change: a Microsoft 365 connection at
 * Application registration (location fixed, no Basic option), an on-premises one at its server or
 * URL, with the values it has prefilled. Stored secrets are never prefilled.
 */
export function openWizard(open: WizardOpen, env: WizardEnvironment): WizardState {
  const text: Record<TextFieldId, string> = { ...EMPTY_TEXT };
  const choices: { -readonly [K in keyof Choices]: Choices[K] } = {
    location: 'online',
    registration: 'automatic',
    credentialKind: 'certificate',
    legacyChoice: 'none',
    exchangeMode: 'server',
  };
  let step: StepId = 'location';
  // Where a certificate generated for Manual registration is written (its public part only).
  text.certOut = env.demoApp?.newCertificatePath ?? `~/backup-panel-${env.host}.cer`;
  const base = {
    host: env.host,
    demo: env.demo,
    ...(env.demoApp ? { demoApp: env.demoApp } : {}),
    today: env.now.toISOString().slice(0, 10),
    permissions: [],
    nextOpId: 1,
    operation: NO_OPERATION,
    signIn: { prompt: undefined, clock: env.clock },
    registration: NOT_REGISTERED,
    verification: NOT_VERIFIED,
    others: open.others ?? [],
  };
  const form = (): WizardForm => ({ text, secrets: emptySecrets(), choices, errors: {}, touched: false, certificate: undefined, nameEdited: open.mode === 'edit' });
  const view = (): WizardView => ({ step, focus: 0, cursor: 0, scroll: 0 });
  if (open.mode === 'new') {
    return { ...base, mode: 'new', service: open.service, connection: undefined, usedBy: [], view: view(), form: form() };
  }
  const c = open.connection;
  choices.location = c.location;
  // Edit keeps the name unless the admin changes it on the Summary (a rename).
  text.name = c.displayName;
  if (c.location === 'online') {
    step = 'registration';
    text.tenant = tenantHint(c) ?? '';
    if (c.credential.kind !== 'basic') {
      text.clientId = c.credential.clientId;
      choices.credentialKind = c.credential.kind === 'app-secret' && c.service === 'exchange' ? 'secret' : 'certificate';
    }
    if (c.service === 'exchange') text.mailbox = mailboxFor(c, {}) ?? '';
    if (c.service === 'sharepoint') {
      text.spUrl = c.url;
      // Legacy sign-in to SharePoint Online is blocked for good: an obsolete connection's old account
      // is offered, never preselected; a connection that already kept one keeps it unless changed.
      if (c.credential.kind !== 'basic' && oldLegacyUser({ connection: c })) choices.legacyChoice = 'keep';
    }
  } else if (c.service === 'exchange') {
    step = 'exchange-server';
    choices.exchangeMode = c.server === null ? 'autodiscover' : 'server';
    text.server = c.server ?? '';
    text.autodiscoverEmail = c.autodiscoverEmail ?? (c.credential.userName.includes('@') ? c.credential.userName : '');
    text.userName = c.credential.userName;
  } else {
    step = 'site-url';
    text.siteUrl = c.url;
    text.userName = c.credential.userName;
  }
  const wizard: WizardState = { ...base, mode: 'edit', service: c.service, connection: c, usedBy: open.usedBy, view: view(), form: form() };
  const first = fieldsOf(wizard)[0];
  return first?.kind === 'text' ? { ...wizard, view: { ...wizard.view, cursor: text[first.id].length } } : wizard;
}
