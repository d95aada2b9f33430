import type { KeyPress } from '../keymap/keys.js';
import { formFields } from './fields.js';
import { formFieldProblem } from './plan.js';
import type { FormData, FormState, FormTextId } from './types.js';

/** Typing, moving between fields and picking options within one step of a job or storage wizard. */

function cursorAtEnd(form: FormState): number {
  const field = formFields(form)[form.focus];
  return field?.kind === 'text' ? form.text[field.id].length : 0;
}

export function withFormCursor(form: FormState): FormState {
  const cursor = cursorAtEnd(form);
  return cursor === form.cursor ? form : { ...form, cursor };
}

export function moveFormFocus(form: FormState, by: number, data: FormData): FormState {
  const fields = formFields(form);
  if (fields.length === 0) return form;
  const current = fields[form.focus];
  let errors = form.errors;
  // Leaving a text field checks it at once (an empty one waits for Next).
  if (current?.kind === 'text' && form.text[current.id].trim()) errors = { ...errors, [current.id]: formFieldProblem(form, current.id, data) };
  const focus = (form.focus + by + fields.length) % fields.length;
  return withFormCursor({ ...form, errors, focus });
}

/** The next or previous option of the focused choice; undefined when no choice has focus. */
export function chooseNext(form: FormState, by: number): FormState | undefined {
  const field = formFields(form)[form.focus];
  if (field?.kind !== 'choice') return undefined;
  const values = field.options.map((o) => o.value);
  const at = Math.max(0, values.indexOf(form.choice[field.id]));
  const value = values[(at + by + values.length) % values.length] ?? form.choice[field.id];
  if (value === form.choice[field.id]) return form;
  const { [field.id]: _dropped, ...errors } = form.errors;
  return { ...form, choice: { ...form.choice, [field.id]: value }, errors, touched: true, failure: undefined };
}

function setText(form: FormState, id: FormTextId, value: string, cursor: number): FormState {
  const { [id]: _dropped, ...errors } = form.errors;
  return { ...form, text: { ...form.text, [id]: value }, errors, touched: true, cursor };
}

/** A key typed into the focused text field. Control characters never enter one. */
export function editForm(form: FormState, key: KeyPress): FormState {
  if (form.running) return form;
  const field = formFields(form)[form.focus];
  if (field?.kind !== 'text') return form;
  const value = form.text[field.id];
  const cursor = Math.min(form.cursor, value.length);
  switch (key.name) {
    case 'left':
      return { ...form, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { ...form, cursor: Math.min(value.length, cursor + 1) };
    case 'home':
      return { ...form, cursor: 0 };
    case 'end':
      return { ...form, cursor: value.length };
    case 'backspace':
      return cursor === 0 ? form : setText(form, field.id, value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1);
    default: {
      const typed = key.text.replace(/\p{Cc}/gu, '');
      return typed ? setText(form, field.id, value.slice(0, cursor) + typed + value.slice(cursor), cursor + typed.length) : form;
    }
  }
}

export function clearFormField(form: FormState): FormState {
  const field = formFields(form)[form.focus];
  return field?.kind === 'text' && !form.running ? setText(form, field.id, '', 0) : form;
}
