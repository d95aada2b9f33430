import type { ChoiceFieldId, Choices, SecretFieldId, StepId, TextFieldId, WizardState } from './types.js';

/** The placeholder in the prefilled SharePoint URL; the first text typed replaces it. */
export const TENANT_PLACEHOLDER = '<tenant>';

/** What each step is called (step indicator, titles). */
export const STEP_TITLES: Readonly<Record<StepId, string>> = {
  location: 'Server location',
  'server-address': 'Server address',
  registration: 'Application registration',
  permissions: 'Permissions',
  'sign-in': 'Sign in as Microsoft 365 admin',
  register: 'Registering the application',
  'app-details': 'Application details',
  legacy: 'Legacy account',
  'exchange-server': 'Server connection',
  'site-url': 'Server address',
  account: 'Account',
  verify: 'Verification',
  summary: 'Summary',
};

/** Short names for the step indicator. */
export const STEP_SHORT: Readonly<Record<StepId, string>> = {
  location: 'Location',
  'server-address': 'Address',
  registration: 'Registration',
  permissions: 'Permissions',
  'sign-in': 'Sign-in',
  register: 'Register',
  'app-details': 'Details',
  legacy: 'Legacy',
  'exchange-server': 'Server',
  'site-url': 'Address',
  account: 'Account',
  verify: 'Verification',
  summary: 'Summary',
};

/** Steps of the current path, in order (they follow the choices made so far). */
export function stepsOf(w: Pick<WizardState, 'mode' | 'service'> & { readonly form: Pick<WizardState['form'], 'choices'> }): StepId[] {
  const steps: StepId[] = [];
  if (w.mode === 'new') steps.push('location');
  if (w.form.choices.location === 'online') {
    if (w.service === 'sharepoint' && w.mode === 'new') steps.push('server-address');
    steps.push('registration');
    if (w.form.choices.registration === 'automatic') steps.push('permissions', 'sign-in', 'register');
    else steps.push('app-details');
    if (w.service === 'sharepoint') steps.push('legacy');
  } else {
    steps.push(w.service === 'exchange' ? 'exchange-server' : 'site-url', 'account');
  }
  steps.push('verify', 'summary');
  return steps;
}

/**
 * Every path the wizard could still take from what it was opened on (each registration method; New:
 * each location). The step indicator picks one form for all of them, so that choosing Manual
 * instead of Automatic never changes how the header looks.
 */
export function stepPathsOf(w: Pick<WizardState, 'mode' | 'service'> & { readonly form: Pick<WizardState['form'], 'choices'> }): StepId[][] {
  const locations: Array<Choices['location']> = w.mode === 'new' ? ['online', 'onpremises'] : [w.form.choices.location];
  const paths: StepId[][] = [];
  for (const location of locations) {
    for (const registration of ['automatic', 'manual'] as const) {
      paths.push(stepsOf({ mode: w.mode, service: w.service, form: { choices: { ...w.form.choices, location, registration } } }));
    }
  }
  return paths;
}

/** Steps that run something once and cannot be gone back into (Back skips them). */
export const ONE_WAY_STEPS: ReadonlySet<StepId> = new Set<StepId>(['permissions', 'sign-in', 'register']);

export interface ChoiceOption<V extends string = string> {
  readonly value: V;
  readonly label: string;
  /** Shown under the group while this option is selected. */
  readonly detail?: string;
  /** Why it cannot be chosen (drawn, never selectable). */
  readonly disabled?: string;
}

export type FieldSpec =
  | { readonly kind: 'text'; readonly id: TextFieldId; readonly label: string; readonly placeholder?: string }
  | { readonly kind: 'secret'; readonly id: SecretFieldId; readonly label: string; readonly emptyText: string }
  | { readonly kind: 'choice'; readonly id: ChoiceFieldId; readonly label: string; readonly options: readonly ChoiceOption[] };

/** The account an Edit may keep as SharePoint Online's legacy half. */
export function oldLegacyUser(w: Pick<WizardState, 'connection'>): string | undefined {
  const c = w.connection;
  if (!c || c.location !== 'online' || c.service !== 'sharepoint') return undefined;
  if (c.credential.kind === 'basic') return c.credential.userName;
  return c.legacyAccount?.userName;
}

function choiceOptions(w: WizardState, id: ChoiceFieldId): ChoiceOption[] {
  const exchange = w.service === 'exchange';
  switch (id) {
    case 'location':
      return [
        { value: 'online', label: exchange ? 'Microsoft 365 (Exchange Online)' : 'Microsoft 365 (SharePoint Online)', detail: 'Modern Authentication (OAuth 2.0) with an app registration in Microsoft Entra ID.' },
        { value: 'onpremises', label: exchange ? 'On-premises (Exchange Server)' : 'On-premises (SharePoint Server)', detail: 'A server in your network, signed in with an account and password (legacy).' },
      ];
    case 'registration':
      return [
        {
          value: 'automatic',
          label: 'Automatic registration',
          detail: 'Sign in as a Microsoft 365 admin with a code (no browser needed on this server); backup-panel registers the app with a new certificate and grants its permissions.',
        },
        {
          value: 'manual',
          label: 'Manual registration',
          detail: 'You registered the app in the Microsoft Entra admin center yourself: enter its tenant, application (client) ID and certificate or secret.',
        },
      ];
    case 'credentialKind':
      return [
        { value: 'certificate', label: 'Certificate file' },
        exchange
          ? { value: 'secret', label: 'Client secret' }
          : { value: 'secret', label: 'Client secret', disabled: 'SharePoint REST refuses app-only tokens from a client secret: a certificate is required.' },
        {
          value: 'generate',
          label: 'New certificate',
          detail: 'backup-panel makes a certificate; its key is sealed in the store when you finish. You upload the public file to the app registration (Certificates & secrets).',
        },
      ];
    case 'legacyChoice': {
      const old = oldLegacyUser(w);
      const blocked = 'Microsoft blocked legacy sign-in to SharePoint Online permanently on 2026-05-01: operations that need it (some restores, creating team sites) stay unavailable.';
      const options: ChoiceOption[] = [];
      if (old) options.push({ value: 'keep', label: `Keep ${old}`, detail: `Keep the old account for the legacy half: "modern and legacy". ${blocked}` });
      options.push({ value: 'none', label: 'No legacy account', detail: `OAuth 2.0 only: "modern". ${blocked}` });
      options.push({ value: 'account', label: old ? 'Another account' : 'Add an account', detail: `An account with the SharePoint Administrator role: "modern and legacy". ${blocked}` });
      return options;
    }
    case 'exchangeMode':
      return [
        { value: 'autodiscover', label: 'Autodiscover', detail: 'Find the Exchange server from an e-mail address in its domain.' },
        { value: 'server', label: 'Server name or IP', detail: 'Connect to one named Exchange server.' },
      ];
  }
}

const CHOICE_LABELS: Readonly<Record<ChoiceFieldId, string>> = {
  location: 'Server location',
  registration: 'Registration',
  credentialKind: 'Credential',
  legacyChoice: 'Legacy account',
  exchangeMode: 'Find the server by',
};

function choice(w: WizardState, id: ChoiceFieldId): FieldSpec {
  return { kind: 'choice', id, label: CHOICE_LABELS[id], options: choiceOptions(w, id) };
}

/** True when Edit keeps a stored password if the field is left empty. */
export function keepsStoredPassword(w: Pick<WizardState, 'mode' | 'connection'>): boolean {
  return w.mode === 'edit' && w.connection?.location === 'onpremises';
}

/** The fields of the current step, in focus order. */
export function fieldsOf(w: WizardState, step: StepId = w.view.step): FieldSpec[] {
  switch (step) {
    case 'location':
      return [choice(w, 'location')];
    case 'server-address':
      return [{ kind: 'text', id: 'spUrl', label: 'SharePoint server URL' }];
    case 'summary':
      return [{ kind: 'text', id: 'name', label: 'Connection name' }];
    case 'registration':
      return [choice(w, 'registration')];
    case 'app-details': {
      const fields: FieldSpec[] = [
        { kind: 'text', id: 'tenant', label: 'Tenant ID or domain' },
        { kind: 'text', id: 'clientId', label: 'Application (client) ID' },
        choice(w, 'credentialKind'),
      ];
      if (w.form.choices.credentialKind === 'certificate') {
        fields.push({ kind: 'text', id: 'certPath', label: 'Certificate file', placeholder: 'PEM (certificate + key) or PFX' });
        fields.push({ kind: 'secret', id: 'certPassword', label: 'File password', emptyText: '(none)' });
      } else if (w.form.choices.credentialKind === 'generate') {
        fields.push({ kind: 'text', id: 'certOut', label: 'Public certificate to', placeholder: '~/backup-panel.cer' });
      } else {
        fields.push({ kind: 'secret', id: 'clientSecret', label: 'Client secret (value)', emptyText: '(empty)' });
        fields.push({ kind: 'text', id: 'secretExpiry', label: 'Secret expires', placeholder: 'YYYY-MM-DD (optional)' });
      }
      if (w.service === 'exchange') fields.push({ kind: 'text', id: 'mailbox', label: 'Licensed user mailbox', placeholder: 'user@domain' });
      return fields;
    }
    case 'legacy': {
      const fields: FieldSpec[] = [choice(w, 'legacyChoice')];
      if (w.form.choices.legacyChoice === 'account') {
        fields.push({ kind: 'text', id: 'legacyUser', label: 'User name', placeholder: 'admin@contoso.onmicrosoft.com' });
        fields.push({ kind: 'secret', id: 'legacyPassword', label: 'Password', emptyText: '(empty)' });
      }
      return fields;
    }
    case 'exchange-server':
      return [
        choice(w, 'exchangeMode'),
        w.form.choices.exchangeMode === 'server'
          ? { kind: 'text', id: 'server', label: 'Server name or IP', placeholder: 'ex01.corp.contoso.com' }
          : { kind: 'text', id: 'autodiscoverEmail', label: 'E-mail address', placeholder: 'user@corp.contoso.com' },
      ];
    case 'site-url':
      return [{ kind: 'text', id: 'siteUrl', label: 'Site URL', placeholder: 'https://sp.corp.contoso.com' }];
    case 'account':
      return [
        { kind: 'text', id: 'userName', label: 'User name', placeholder: 'DOMAIN\\user or user@domain' },
        { kind: 'secret', id: 'password', label: 'Password', emptyText: keepsStoredPassword(w) ? '(unchanged)' : '(empty)' },
      ];
    default:
      return [];
  }
}

export function focusedField(w: WizardState): FieldSpec | undefined {
  if (w.operation.running) return undefined;
  return fieldsOf(w)[w.view.focus];
}

/** A text or secret field has the keyboard: printable keys are text, never commands. */
export function textHasFocus(w: WizardState): boolean {
  const field = focusedField(w);
  return field !== undefined && field.kind !== 'choice';
}

export function choiceValue(choices: Choices, id: ChoiceFieldId): string {
  return choices[id];
}

/**
 * How a step's area scrolls when it does not fit: 'fields' follows the focused field, 'document'
 * scrolls from the top, 'log' keeps the newest lines (a failure, the latest check) in view and ↑
 * goes back. `scroll` counts lines down from the top ('document') or back from the end ('log').
 */
export function scrollMode(w: WizardState): 'fields' | 'document' | 'log' {
  switch (w.view.step) {
    case 'register':
    case 'verify':
      return 'log';
    case 'sign-in':
      return w.operation.failure ? 'log' : 'document';
    case 'summary':
      return w.operation.failure || w.operation.running ? 'log' : 'document';
    case 'permissions':
      return 'document';
    default:
      return 'fields';
  }
}

/**
 * A step made only of choices (Application registration): ↑↓ pick the option, so only the page keys
 * scroll its text. It follows its field until paged; then `scroll` is the first line drawn plus one
 * (0: follow the field again, as after picking an option).
 */
export function choicesOnly(w: WizardState): boolean {
  const fields = fieldsOf(w);
  return fields.length > 0 && fields.every((f) => f.kind === 'choice');
}

/** The keys the step title names as scrolling a step taller than the screen. */
export function scrollKeyNames(w: WizardState): readonly ['up', 'down'] | readonly ['pagedown', 'pageup'] {
  return choicesOnly(w) ? ['pagedown', 'pageup'] : ['up', 'down'];
}

/** Enough for the longest step at the smallest size; the view clamps to what there is. */
export const MAX_SCROLL = 40;
