import type { FormChoiceId, FormKind, FormPickId, FormState, FormStepId, FormTextId } from './types.js';

/** The steps of each wizard and the fields of each step (product.md §7), in focus order. */

export const FORM_STEP_TITLES: Readonly<Record<FormStepId, string>> = {
  name: 'Job name',
  continuity: 'Job continuity',
  connection: 'Server connection',
  sources: 'Sources',
  storage: 'Target storage',
  activity: 'Activity period',
  target: 'Restore target',
  location: 'Location',
  retention: 'Data retention',
  folder: 'Export folder',
  summary: 'Summary',
  key: 'Recovery key',
};

export const FORM_STEP_SHORT: Readonly<Record<FormStepId, string>> = {
  name: 'Name',
  continuity: 'Continuity',
  connection: 'Connection',
  sources: 'Sources',
  storage: 'Storage',
  activity: 'Activity',
  target: 'Target',
  location: 'Location',
  retention: 'Retention',
  folder: 'Folder',
  summary: 'Summary',
  key: 'Key',
};

const STEPS: Readonly<Record<FormKind, readonly FormStepId[]>> = {
  'backup-job': ['name', 'continuity', 'connection', 'sources', 'storage', 'activity', 'summary'],
  // Storage, source and folders / items were chosen in Browse before the wizard opened.
  'restore-job': ['connection', 'target', 'summary'],
  storage: ['location', 'retention', 'summary', 'key'],
  export: ['folder'],
};

export function formSteps(form: Pick<FormState, 'kind'>): readonly FormStepId[] {
  return STEPS[form.kind];
}

export interface FormChoiceOption {
  readonly value: string;
  readonly label: string;
  readonly detail?: string;
}

export type FormFieldSpec =
  | { readonly kind: 'text'; readonly id: FormTextId; readonly label: string; readonly placeholder?: string }
  | { readonly kind: 'choice'; readonly id: FormChoiceId; readonly label: string; readonly options: readonly FormChoiceOption[] }
  | { readonly kind: 'pick'; readonly id: FormPickId; readonly label: string; readonly multi: boolean };

const CHOICES: Readonly<Record<FormChoiceId, { label: string; options: readonly FormChoiceOption[] }>> = {
  continuity: {
    label: 'Continuity',
    options: [
      { value: 'continuous', label: 'Continuous', detail: 'Cycle after cycle within the activity period, pausing for the idle time after each one.' },
      { value: 'one-time', label: 'One-time', detail: 'One cycle; run again, it reads only what is new or changed.' },
    ],
  },
  scope: {
    label: 'Back up',
    options: [
      { value: 'all', label: 'All', detail: "Every mailbox or site the connection reaches, including ones added later." },
      { value: 'picked', label: 'Picked', detail: "Only the ones ticked below (Space ticks, / filters); read live from the tenant." },
    ],
  },
  when: {
    label: 'Cycles start',
    options: [
      { value: 'any', label: 'Any time' },
      { value: 'period', label: 'Within a period', detail: 'Days and hours, e.g. "Mon-Fri 20:00-06:00" or "Daily 22:00-04:00" (server time).' },
    ],
  },
  target: {
    label: 'Restore to',
    options: [
      { value: 'original', label: 'Where they came from', detail: 'Into a new folder "Restored <date>" of the same mailbox or site.' },
      { value: 'other', label: 'Another mailbox or site', detail: 'Of the same tenant, into a new folder "Restored <date>"; picked from a live list.' },
    ],
  },
  runNow: {
    label: 'Run it',
    options: [
      { value: 'yes', label: 'Now, after saving' },
      { value: 'no', label: 'Later (r in Jobs)' },
    ],
  },
};

function choice(id: FormChoiceId): FormFieldSpec {
  return { kind: 'choice', id, label: CHOICES[id].label, options: CHOICES[id].options };
}

/** The fields of a step; what they are follows the choices made so far. */
export function formFields(form: FormState, step: FormStepId = form.step): FormFieldSpec[] {
  switch (step) {
    case 'name':
      return [{ kind: 'text', id: 'name', label: 'Job name', placeholder: 'unique, e.g. Mailboxes - nightly' }];
    case 'continuity':
      return form.choice.continuity === 'continuous' ? [choice('continuity'), { kind: 'text', id: 'idle', label: 'Idle time', placeholder: 'hh:mm:ss' }] : [choice('continuity')];
    case 'connection':
      return [{ kind: 'pick', id: 'connection', label: 'Server connection', multi: false }];
    case 'sources': {
      if (form.choice.scope !== 'picked') return [choice('scope')];
      const fields: FormFieldSpec[] = [choice('scope'), { kind: 'pick', id: 'sources', label: 'Mailboxes or sites', multi: true }];
      // A tenant that cannot list them (EWS has no list of the organisation's mailboxes): type them.
      if (form.picks.sources?.failure) fields.push({ kind: 'text', id: 'sourcesText', label: 'Or type them', placeholder: 'a@corp.contoso.com, b@corp.contoso.com' });
      return fields;
    }
    case 'storage':
      return [{ kind: 'pick', id: 'storage', label: 'Storage', multi: false }];
    case 'activity':
      return form.choice.when === 'period' ? [choice('when'), { kind: 'text', id: 'activity', label: 'Activity period', placeholder: 'Mon-Fri 20:00-06:00' }] : [choice('when')];
    case 'target':
      return form.choice.target === 'other' ? [choice('target'), { kind: 'pick', id: 'targetSource', label: 'Mailbox or site', multi: false }] : [choice('target')];
    case 'location':
      return [
        { kind: 'text', id: 'path', label: 'Folder', placeholder: 'an empty or new folder on this server' },
        { kind: 'text', id: 'storageName', label: 'Display name', placeholder: 'filled in from the folder' },
      ];
    case 'retention':
      return [{ kind: 'text', id: 'retention', label: 'Keep deleted items', placeholder: 'days, e.g. 30' }];
    case 'folder':
      return [{ kind: 'text', id: 'out', label: 'Folder on this server', placeholder: '/srv/export (new or empty)' }];
    case 'summary':
      if (form.kind === 'restore-job') return [{ kind: 'text', id: 'name', label: 'Job name' }, choice('runNow')];
      return [];
    case 'key':
      return [];
  }
}

export function focusedFormField(form: FormState): FormFieldSpec | undefined {
  if (form.running) return undefined;
  return formFields(form)[form.focus];
}

/** The picker with the keyboard (its list takes ↑↓, Space and /), if any. */
export function focusedPick(form: FormState): Extract<FormFieldSpec, { kind: 'pick' }> | undefined {
  const field = focusedFormField(form);
  return field?.kind === 'pick' ? field : undefined;
}
