import { fieldsOf, type FieldSpec } from '../../model/wizard/fields.js';
import type { WizardState } from '../../model/wizard/types.js';
import { RadioGroup, radioHeight } from '../../components/input/RadioGroup.js';
import { SecretField } from '../../components/input/SecretField.js';
import { TextField } from '../../components/input/TextField.js';
import { safeText } from '../../text/safe-text.js';
import type { Theme } from '../../theme/index.js';
import { blankRow, failureRows, textRows, themed, type Row } from './rows.js';

/**
 * How a step's rows are windowed when they do not fit: 'fields' keeps the focused field in view,
 * 'document' scrolls from the top (↑↓), 'log' keeps the newest lines in view (↑ scrolls back).
 */
export interface StepRows {
  readonly rows: readonly Row[];
  /** Informative; the screen windows by `scrollMode` of the state (the reducer scrolls by it too). */
  readonly mode: 'fields' | 'document' | 'log';
  /** 'fields': the focused field's first row. */
  readonly anchor?: number;
}

export interface StepContext {
  readonly wizard: WizardState;
  readonly width: number;
  readonly theme: Theme;
}

function fieldRows(ctx: StepContext, field: FieldSpec, index: number): Row[] {
  const { wizard: w, width, theme } = ctx;
  const focused = w.view.focus === index && !w.operation.running;
  const error = w.form.errors[field.id];
  const rows: Row[] = [];
  if (field.kind === 'text') {
    rows.push({
      key: field.id,
      node: <TextField label={field.label} value={w.form.text[field.id]} cursor={w.view.cursor} focused={focused} placeholder={field.placeholder} invalid={error !== undefined} width={width} />,
    });
  } else if (field.kind === 'secret') {
    rows.push({ key: field.id, node: <SecretField label={field.label} value={w.form.secrets[field.id]} emptyText={field.emptyText} focused={focused} invalid={error !== undefined} width={width} /> });
  } else {
    const height = radioHeight(field.options, width, theme);
    if (height === 1) rows.push({ key: field.id, node: <RadioGroup label={field.label} options={field.options} value={w.form.choices[field.id]} focused={focused} width={width} /> });
    else for (let i = 0; i < height; i += 1) rows.push({ key: `${field.id}-${i}`, node: <RadioGroup label={field.label} options={field.options} value={w.form.choices[field.id]} focused={focused} width={width} line={i} /> });
    const selected = field.options.find((o) => o.value === w.form.choices[field.id]);
    if (selected?.detail) rows.push(...textRows(selected.detail, width, { color: theme.text.muted }, 4));
    for (const o of field.options) if (o.disabled) rows.push(...textRows(`${o.label}: ${o.disabled}`, width, { color: theme.text.muted }, 4));
  }
  if (error) rows.push(...textRows(`${theme.glyphs.fail} ${safeText(error)}`, width, { color: theme.status.error }, 4));
  return rows;
}

export function form(ctx: StepContext, before: Row[] = [], after: Row[] = []): StepRows {
  const rows: Row[] = [...before];
  let anchor = 0;
  fieldsOf(ctx.wizard).forEach((field, index) => {
    if (index === ctx.wizard.view.focus) anchor = rows.length;
    for (const row of fieldRows(ctx, field, index)) rows.push(row);
  });
  rows.push(...after);
  if (ctx.wizard.operation.failure) rows.push(blankRow(), ...failureRows(ctx.wizard.operation.failure, ctx.width, ctx.theme));
  return { rows, mode: 'fields', anchor };
}

export function note(ctx: StepContext, text: string): Row[] {
  return textRows(text, ctx.width, { color: ctx.theme.text.muted });
}

export function runningRow(ctx: StepContext, text: string): Row[] {
  return textRows(themed(`${ctx.theme.glyphs.running} ${text}`, ctx.theme), ctx.width, { color: ctx.theme.status.info });
}

