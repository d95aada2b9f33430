import { Secret } from '../../domain/index.js';
import type { KeyPress } from '../keymap/keys.js';
import { fieldsOf, MAX_SCROLL, scrollMode, TENANT_PLACEHOLDER, type FieldSpec } from './fields.js';
import { fieldError } from './plan.js';
import type { SecretFieldId, TextFieldId, WizardState } from './types.js';

/** Typing, moving between fields and picking options: what the admin does within one step. */

function cursorAtEnd(w: WizardState): number {
  const field = fieldsOf(w)[w.view.focus];
  if (field?.kind !== 'text') return 0;
  const value = w.form.text[field.id];
  const placeholder = value.indexOf(TENANT_PLACEHOLDER);
  return placeholder >= 0 ? placeholder : value.length;
}

/** The text cursor at the end of the focused field (or on the <tenant> placeholder). */
export function withCursor(w: WizardState): WizardState {
  const cursor = cursorAtEnd(w);
  return cursor === w.view.cursor ? w : { ...w, view: { ...w.view, cursor } };
}

export function moveFocus(w: WizardState, by: number): WizardState {
  const fields = fieldsOf(w);
  // A step with one field and more to read (the Summary): the arrows scroll it.
  if (fields.length === 0 || (fields.length === 1 && scrollMode(w) !== 'fields')) {
    const delta = scrollMode(w) === 'log' ? -by : by;
    return { ...w, view: { ...w.view, scroll: Math.max(0, Math.min(MAX_SCROLL, w.view.scroll + delta)) } };
  }
  const current = fields[w.view.focus];
  let errors = w.form.errors;
  // Leaving a field checks it at once (an empty one waits for Next).
  if (current && current.kind !== 'choice') {
    const value = current.kind === 'text' ? w.form.text[current.id].trim() : w.form.secrets[current.id].isEmpty ? '' : 'x';
    const problem = value && !(current.id === 'spUrl' && value.includes(TENANT_PLACEHOLDER)) ? fieldError(w, current.id) : undefined;
    errors = { ...errors, [current.id]: problem };
  }
  const focus = (w.view.focus + by + fields.length) % fields.length;
  return withCursor({ ...w, form: { ...w.form, errors }, view: { ...w.view, focus } });
}

function enabledValues(field: Extract<FieldSpec, { kind: 'choice' }>): string[] {
  return field.options.filter((o) => !o.disabled).map((o) => o.value);
}

export function choose(w: WizardState, by: number): WizardState {
  const field = fieldsOf(w)[w.view.focus];
  if (field?.kind !== 'choice') return w;
  const values = enabledValues(field);
  if (values.length < 2) return w;
  const at = Math.max(0, values.indexOf(w.form.choices[field.id]));
  const value = values[(at + by + values.length) % values.length];
  const { [field.id]: _dropped, ...errors } = w.form.errors;
  // The picked option and its description are followed again (see choicesOnly).
  return { ...w, form: { ...w.form, choices: { ...w.form.choices, [field.id]: value }, errors, touched: true }, operation: { ...w.operation, failure: undefined }, view: { ...w.view, scroll: 0 } };
}

function setText(w: WizardState, id: TextFieldId, value: string, cursor: number): WizardState {
  const { [id]: _dropped, ...errors } = w.form.errors;
  const nameEdited = w.form.nameEdited === true || id === 'name';
  return { ...w, form: { ...w.form, text: { ...w.form.text, [id]: value }, errors, touched: true, nameEdited }, view: { ...w.view, cursor } };
}

function setSecret(w: WizardState, id: SecretFieldId, value: Secret): WizardState {
  const { [id]: _dropped, ...errors } = w.form.errors;
  return { ...w, form: { ...w.form, secrets: { ...w.form.secrets, [id]: value }, errors, touched: true } };
}

function moveCursor(w: WizardState, cursor: number): WizardState {
  return { ...w, view: { ...w.view, cursor } };
}

/** A key typed into the focused text or secret field. */
export function edit(w: WizardState, key: KeyPress): WizardState {
  if (w.operation.running) return w;
  const field = fieldsOf(w)[w.view.focus];
  if (!field || field.kind === 'choice') return w;
  // Control characters never enter a field (they would act on the terminal when drawn).
  const typed = key.text.replace(/\p{Cc}/gu, '');
  if (field.kind === 'secret') {
    const old = w.form.secrets[field.id].reveal();
    if (key.name === 'backspace') return old ? setSecret(w, field.id, new Secret(old.slice(0, -1))) : w;
    return typed ? setSecret(w, field.id, new Secret(old + typed)) : w;
  }
  const value = w.form.text[field.id];
  const cursor = Math.min(w.view.cursor, value.length);
  switch (key.name) {
    case 'left':
      return moveCursor(w, Math.max(0, cursor - 1));
    case 'right':
      return moveCursor(w, Math.min(value.length, cursor + 1));
    case 'home':
      return moveCursor(w, 0);
    case 'end':
      return moveCursor(w, value.length);
    case 'backspace': {
      const at = value.indexOf(TENANT_PLACEHOLDER);
      if (at >= 0 && cursor === at) return setText(w, field.id, value.slice(0, Math.max(0, at - 1)) + value.slice(at), Math.max(0, at - 1));
      if (cursor === 0) return w;
      return setText(w, field.id, value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1);
    }
    default: {
      if (!typed) return w;
      const at = value.indexOf(TENANT_PLACEHOLDER);
      // The prefilled https://<tenant>.sharepoint.com: typing fills in the tenant's name.
      if (at >= 0 && cursor === at) return setText(w, field.id, value.slice(0, at) + typed + value.slice(at + TENANT_PLACEHOLDER.length), at + typed.length);
      return setText(w, field.id, value.slice(0, cursor) + typed + value.slice(cursor), cursor + typed.length);
    }
  }
}

export function clearField(w: WizardState): WizardState {
  const field = fieldsOf(w)[w.view.focus];
  if (!field || field.kind === 'choice' || w.operation.running) return w;
  if (field.kind === 'secret') return setSecret(w, field.id, new Secret(''));
  return setText(w, field.id, '', 0);
}
