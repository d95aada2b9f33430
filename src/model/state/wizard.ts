import { authType } from '../../domain/index.js';
import type { CommandId } from '../keymap/commands.js';
import { openWizard, type WizardEnvironment, type WizardOpen } from '../wizard/init.js';
import { reduceWizard } from '../wizard/reducer.js';
import type { WizardCommand, WizardTransition } from '../wizard/types.js';
import type { Transition } from './actions.js';
import { same } from './actions.js';
import { go, select } from './lists.js';
import { tenantChangeQuestion } from './texts.js';
import { resumeFormWithConnection } from './forms.js';
import { DISCARD_WIZARD_QUESTION, savedNotice, WIZARD_CLOSED_NOTICE, WIZARD_DISCARDED_NOTICE } from './texts.js';
import type { AppState, Intent, ViewData } from './types.js';

/** The connection wizard inside the panel: opening it, its keys, and what its transitions mean for the app. */

const WIZARD_COMMANDS: Partial<Record<CommandId, WizardCommand>> = {
  'wizard.next': 'next',
  'wizard.finish': 'next',
  'wizard.back': 'back',
  'wizard.cancel': 'stop',
  'wizard.leave': 'stop',
  'wizard.stop': 'stop',
  'wizard.field-next': 'field-next',
  'wizard.field-previous': 'field-previous',
  'wizard.choice-next': 'choice-next',
  'wizard.choice-previous': 'choice-previous',
  'wizard.choice-down': 'choice-down',
  'wizard.choice-up': 'choice-up',
  'wizard.clear-field': 'clear-field',
};

export function isWizardCommand(id: CommandId): boolean {
  return WIZARD_COMMANDS[id] !== undefined;
}

export function openedWizard(state: AppState, open: WizardOpen, env: WizardEnvironment): Transition {
  const wizard = openWizard(open, env);
  const online = open.mode === 'new' || open.connection.location === 'online';
  return {
    state: { ...state, wizard, modal: undefined, notice: undefined, filter: { ...state.filter, editing: false } },
    // The permission list is shown before signing in; loading it loads the identity layer.
    intents: online ? [{ type: 'load-permissions', service: wizard.service }] : [],
  };
}

/** The wizard's own transition, in app terms: its effects become intents for the container. */
export function applyWizard(state: AppState, t: WizardTransition, data: ViewData): Transition {
  const w = state.wizard;
  if (!w) return same(state);
  if (t.cancel) {
    // An untouched wizard closes at once; anything entered is only discarded after a yes.
    if (!t.wizard.form.touched) return same({ ...state, wizard: undefined, notice: WIZARD_CLOSED_NOTICE });
    return same({ ...state, wizard: t.wizard, modal: { kind: 'confirm', ...DISCARD_WIZARD_QUESTION, choice: 'no', onYes: { kind: 'discard-wizard' } } });
  }
  if (t.askTenantChange !== undefined) {
    return same({ ...state, wizard: t.wizard, modal: { kind: 'confirm', ...tenantChangeQuestion(t.askTenantChange), choice: 'no', onYes: { kind: 'confirm-tenant-change' } } });
  }
  if (t.saved) {
    const mode = w.mode === 'new' || !w.connection ? 'new' : w.connection.location === 'online' ? 'edit-online' : 'edit-onpremises';
    // Opened from a job wizard's "New server connection…": that wizard resumes with it chosen.
    if (state.form) {
      const resumed = resumeFormWithConnection({ ...state, wizard: undefined, modal: undefined }, t.saved.id, data);
      return { ...resumed, state: { ...resumed.state, notice: savedNotice(mode, t.saved.displayName, authType(t.saved), state.size.columns) } };
    }
    const back = select(go({ ...state, wizard: undefined, modal: undefined }, 'connections'), 'connections', t.saved.id, data);
    return same({ ...back, notice: savedNotice(mode, t.saved.displayName, authType(t.saved), state.size.columns) });
  }
  const intents: Intent[] = t.effects.map((effect) => (effect.kind === 'reload-store' ? { type: 'reload-store' } : { type: 'wizard', effect }));
  return { state: t.wizard === w ? state : { ...state, wizard: t.wizard }, intents };
}

export function wizardCommand(state: AppState, id: CommandId, data: ViewData): Transition {
  const command = WIZARD_COMMANDS[id];
  if (!state.wizard || !command) return same(state);
  return applyWizard(state, reduceWizard(state.wizard, { type: 'command', command }), data);
}

/** Yes to "Discard the changes?": close, and stop whatever the wizard was running. */
export function discardWizard(state: AppState): Transition {
  return { state: { ...state, wizard: undefined, modal: undefined, notice: WIZARD_DISCARDED_NOTICE }, intents: [{ type: 'wizard', effect: { kind: 'cancel' } }] };
}
