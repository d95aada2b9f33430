import { describe, expect, it } from 'vitest';
import { activeScopes, hintsFor, resolve } from '../../src/model/state/dispatch.js';
import { initialState } from '../../src/model/state/reducer.js';
import { fieldsOf, stepsOf } from '../../src/model/wizard/fields.js';
import { openWizard, type WizardEnvironment } from '../../src/model/wizard/init.js';
import { planOf } from '../../src/model/wizard/plan.js';
import { previousStep, reduceWizard } from '../../src/model/wizard/reducer.js';
import type { Choices, StepId, WizardAction, WizardState } from '../../src/model/wizard/types.js';
import { migratedFixture } from '../app/helpers/documents.js';

const ENV: WizardEnvironment = { host: 'backup01', demo: false, now: new Date('2026-11-24T12:00:00Z'), clock: 0 };
const doc = migratedFixture();
const conn = (id: string) => {
  const c = doc.connections.find((x) => x.id === id);
  if (!c) throw new Error(id);
  return c;
};
const cmd = (command: Extract<WizardAction, { type: 'command' }>['command']): WizardAction => ({ type: 'command', command });
const type = (text: string): WizardAction[] => Array.from(text, (ch) => ({ type: 'edit', key: { name: ch, text: ch } }));

const atStep = (w: WizardState, step: StepId, view: Partial<WizardState['view']> = {}): WizardState => ({ ...w, view: { ...w.view, step, ...view } });
const choosing = (w: WizardState, choices: Partial<Choices>): WizardState => ({ ...w, form: { ...w.form, choices: { ...w.form.choices, ...choices } } });

function apply(w: WizardState, ...actions: WizardAction[]): WizardState {
  return actions.reduce((s, a) => reduceWizard(s, a).wizard, w);
}

describe('wizard paths', () => {
  it('has every path of product.md §5 as steps', () => {
    const exo = openWizard({ mode: 'new', service: 'exchange' }, ENV);
    expect(stepsOf(exo)).toEqual(['location', 'registration', 'permissions', 'sign-in', 'register', 'verify', 'summary']);
    expect(stepsOf(choosing(exo, { registration: 'manual' }))).toEqual(['location', 'registration', 'app-details', 'verify', 'summary']);
    expect(stepsOf(choosing(exo, { location: 'onpremises' }))).toEqual(['location', 'exchange-server', 'account', 'verify', 'summary']);
    const sp = openWizard({ mode: 'new', service: 'sharepoint' }, ENV);
    expect(stepsOf(sp)).toEqual(['location', 'server-address', 'registration', 'permissions', 'sign-in', 'register', 'legacy', 'verify', 'summary']);
    expect(stepsOf(choosing(sp, { location: 'onpremises' }))).toEqual(['location', 'site-url', 'account', 'verify', 'summary']);
  });

  it('Edit of an obsolete connection opens at Application registration, prefilled, without a location step', () => {
    const c1 = openWizard({ mode: 'edit', connection: conn('c-1'), usedBy: [] }, ENV);
    expect(c1.view.step).toBe('registration');
    expect(stepsOf(c1)[0]).toBe('registration');
    expect(c1.form.text.tenant).toBe('contoso.onmicrosoft.com');
    expect(c1.form.text.mailbox).toBe('admin@contoso.onmicrosoft.com');
    expect(c1.form.secrets.password.isEmpty).toBe(true);
    const c2 = openWizard({ mode: 'edit', connection: conn('c-2'), usedBy: [] }, ENV);
    expect(stepsOf(c2)).toEqual(['registration', 'permissions', 'sign-in', 'register', 'legacy', 'verify', 'summary']);
    // Issue 16 item 8: legacy sign-in is blocked for good, so the old account is not preselected.
    expect(c2.form.choices.legacyChoice).toBe('none');
    const c6 = openWizard({ mode: 'edit', connection: conn('c-6'), usedBy: [] }, ENV);
    expect(c6.view.step).toBe('exchange-server');
    expect(c6.form.choices.exchangeMode).toBe('autodiscover');
    expect(c6.form.text.autodiscoverEmail).toBe('svc-backup@corp.contoso.com');
  });

  it('Back skips the one-way steps and goes to Application registration', () => {
    const w = openWizard({ mode: 'edit', connection: conn('c-1'), usedBy: [] }, ENV);
    expect(previousStep(atStep(w, 'sign-in'))).toBe('registration');
    expect(previousStep(atStep(w, 'verify'))).toBe('registration');
    expect(previousStep(w)).toBeUndefined();
  });
});

describe('wizard transitions', () => {
  it('Next on the permissions step starts the sign-in at the connection tenant; a late result of a cancelled op is ignored', () => {
    const w = openWizard({ mode: 'edit', connection: conn('c-1'), usedBy: [] }, ENV);
    const atPermissions = apply(w, cmd('next'));
    expect(atPermissions.view.step).toBe('permissions');
    const t = reduceWizard(atPermissions, cmd('next'));
    expect(t.wizard.view.step).toBe('sign-in');
    expect(t.effects).toEqual([{ kind: 'sign-in', opId: 1, tenant: 'contoso.onmicrosoft.com' }]);
    const back = reduceWizard(t.wizard, cmd('back'));
    expect(back.effects).toEqual([{ kind: 'cancel' }]);
    expect(back.wizard.view.step).toBe('registration');
    const late = apply(back.wizard, { type: 'signed-in', opId: 1, session: { userPrincipalName: 'x@y.z', tenantId: 't', cloud: 'global', roles: { active: [], known: false, canCreateApps: 'yes', canGrantGraphRoles: true, canGrantOtherRoles: true, summary: '' } } });
    expect(late).toBe(back.wizard);
  });

  it('Esc on an untouched wizard cancels without a question; once touched the app asks', () => {
    const w = openWizard({ mode: 'new', service: 'exchange' }, ENV);
    expect(reduceWizard(w, cmd('stop'))).toMatchObject({ cancel: true, wizard: { form: { touched: false } } });
    const touched = apply(w, cmd('choice-next'));
    expect(reduceWizard(touched, cmd('stop'))).toMatchObject({ cancel: true, wizard: { form: { touched: true } } });
  });

  it('validates on Next and refuses to go on; typed text fills the <tenant> placeholder', () => {
    let w = openWizard({ mode: 'new', service: 'sharepoint' }, ENV);
    w = apply(w, cmd('next'));
    expect(w.view.step).toBe('server-address');
    w = apply(w, cmd('next'));
    expect(w.view.step).toBe('server-address');
    expect(w.form.errors.spUrl).toBe('Type your tenant’s name in place of <tenant>, e.g. https://contoso.sharepoint.com.');
    w = apply(w, ...type('contoso'));
    expect(w.form.text.spUrl).toBe('https://contoso.sharepoint.com');
    w = apply(w, cmd('next'));
    expect(w.view.step).toBe('registration');
  });

  it('keeps a secret in a Secret and builds the manual plan; SharePoint cannot choose a secret', () => {
    let w = openWizard({ mode: 'edit', connection: conn('c-5'), usedBy: [] }, ENV);
    w = apply(w, cmd('choice-next'), cmd('next'));
    expect(w.view.step).toBe('app-details');
    w = apply(w, cmd('field-next'), ...type('8647ebdd-0fd4-4d8b-934e-f43923cdaaf6'), cmd('field-next'), cmd('choice-next'), cmd('field-next'), ...type('s3cret'));
    expect(JSON.stringify(w)).not.toContain('s3cret');
    const t = reduceWizard(w, cmd('next'));
    expect(t.wizard.view.step).toBe('verify');
    const plan = planOf(t.wizard);
    expect(plan).toMatchObject({ mode: 'edit-online', connectionId: 'c-5', input: { tenantId: 'fabrikam.onmicrosoft.com', clientId: '8647ebdd-0fd4-4d8b-934e-f43923cdaaf6', mailbox: 'backup@fabrikam.onmicrosoft.com', registration: { method: 'manual' } } });
    expect(plan.mode === 'edit-online' && plan.input.credential.kind === 'secret' && plan.input.credential.clientSecret.reveal()).toBe('s3cret');
    const sp = openWizard({ mode: 'edit', connection: conn('c-2'), usedBy: [] }, ENV);
    const spDetails = apply(atStep(choosing(sp, { registration: 'manual' }), 'app-details'), cmd('field-next'), cmd('field-next'), cmd('choice-next'));
    // The disabled Client secret is skipped: the next enabled option is a New certificate (issue 16 item 1).
    expect(spDetails.form.choices.credentialKind).toBe('generate');
    expect(fieldsOf(spDetails).map((f) => f.id)).not.toContain('mailbox');
  });
});

describe('scrolling steps without fields', () => {
  it('↑ goes back in the verification log and forward on the permissions list, never below 0', () => {
    const w = openWizard({ mode: 'edit', connection: conn('c-1'), usedBy: [] }, ENV);
    const verify = atStep(w, 'verify');
    expect(apply(verify, cmd('field-previous'), cmd('field-previous')).view.scroll).toBe(2);
    expect(apply(verify, cmd('field-next')).view.scroll).toBe(0);
    const permissions = atStep(w, 'permissions');
    expect(apply(permissions, cmd('field-next'), cmd('field-next'), cmd('field-previous')).view.scroll).toBe(1);
    expect(apply(permissions, cmd('field-previous')).view.scroll).toBe(0);
  });
});

describe('wizard keys', () => {
  const base = initialState({ size: { columns: 80, rows: 24 }, readOnly: false });
  it('j, k, q and ? are text while a text field has focus; Enter, Ctrl-B and Esc still work', () => {
    let w = openWizard({ mode: 'edit', connection: conn('c-1'), usedBy: [] }, ENV);
    w = atStep(choosing(w, { registration: 'manual' }), 'app-details');
    const state = { ...base, view: 'connections' as const, wizard: w };
    for (const key of ['j', 'k', 'q', '?', '1', 'n', 'e', 'space', 'backspace', 'left']) expect(resolve(state, key)).toEqual({ kind: 'text' });
    expect(resolve(state, 'return')).toMatchObject({ spec: { id: 'wizard.next' } });
    expect(resolve(state, 'ctrl-b')).toMatchObject({ spec: { id: 'wizard.back' } });
    expect(resolve(state, 'pageup')).toMatchObject({ spec: { id: 'wizard.back' } });
    expect(resolve(state, 'escape')).toMatchObject({ spec: { id: 'wizard.cancel' } });
    expect(resolve(state, 'tab')).toMatchObject({ spec: { id: 'wizard.field-next' } });
    expect(hintsFor(state).map((s) => s.id)).toEqual(['wizard.next', 'wizard.cancel', 'wizard.back', 'wizard.field-next', 'wizard.clear-field']);
  });

  it('on a choice Space and the arrows choose; on the Summary Enter is Finish; while running Esc stops', () => {
    const w = openWizard({ mode: 'edit', connection: conn('c-1'), usedBy: [] }, ENV);
    const state = { ...base, view: 'connections' as const, wizard: w };
    expect(resolve(state, 'space')).toMatchObject({ spec: { id: 'wizard.choice-next' } });
    // q cancels as Esc does (k9s' "back"); j/k pick options as the arrows do.
    expect(resolve(state, 'q')).toMatchObject({ spec: { id: 'wizard.leave' } });
    expect(resolve(state, 'j')).toMatchObject({ spec: { id: 'wizard.choice-down' } });
    expect(resolve(state, '?')).toMatchObject({ spec: { id: 'wizard.help' } });
    const summary = { ...state, wizard: atStep(w, 'summary') };
    expect(resolve(summary, 'return')).toMatchObject({ spec: { id: 'wizard.finish' } });
    expect(hintsFor(summary).map((s) => s.id)).not.toContain('wizard.next');
    const busy = { ...state, wizard: { ...w, operation: { running: { id: 1, kind: 'sign-in' as const, cancelling: false }, failure: undefined } } };
    expect(activeScopes(busy)).toEqual(['always', 'wizard-busy', 'wizard-back']);
    expect(resolve(busy, 'escape')).toMatchObject({ spec: { id: 'wizard.stop' } });
  });
});

describe('arrows on a choice', () => {
  it('pick the option when the choice is alone on its step, and move between fields otherwise', () => {
    const w = openWizard({ mode: 'edit', connection: conn('c-1'), usedBy: [] }, ENV);
    expect(fieldsOf(w)).toHaveLength(1);
    expect(w.form.choices.registration).toBe('automatic');
    const down = apply(w, cmd('choice-down'));
    expect(down.form.choices.registration).toBe('manual');
    expect(apply(down, cmd('choice-up')).form.choices.registration).toBe('automatic');

    const details: WizardState = atStep(choosing(w, { registration: 'manual' }), 'app-details');
    const fields = fieldsOf(details);
    const credential = fields.findIndex((f) => f.kind === 'choice');
    expect(fields.length).toBeGreaterThan(1);
    const onCredential = atStep(details, details.view.step, { focus: credential });
    const moved = apply(onCredential, cmd('choice-down'));
    expect(moved.view.focus).toBe(credential + 1);
    expect(moved.form.choices).toEqual(onCredential.form.choices);
  });

  it('↓ resolves to the choice command on a choice field, and to next field on a text field', () => {
    const base = initialState({ size: { columns: 80, rows: 24 }, readOnly: false });
    const w = openWizard({ mode: 'edit', connection: conn('c-1'), usedBy: [] }, ENV);
    expect(resolve({ ...base, view: 'connections' as const, wizard: w }, 'down')).toMatchObject({ spec: { id: 'wizard.choice-down' } });
    const text: WizardState = atStep(choosing(w, { registration: 'manual' }), 'app-details', { focus: 0 });
    expect(resolve({ ...base, view: 'connections' as const, wizard: text }, 'down')).toMatchObject({ spec: { id: 'wizard.field-next' } });
  });
});
