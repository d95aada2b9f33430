import { Text } from 'ink';
import type { FormFieldSpec } from '../../model/forms/fields.js';
import { formFields } from '../../model/forms/fields.js';
import { pickState, visibleOptions } from '../../model/forms/options.js';
import { summaryPairs } from '../../model/forms/plan.js';
import type { FormData, FormState } from '../../model/forms/types.js';
import { RadioGroup, radioHeight } from '../../components/input/RadioGroup.js';
import { TextField } from '../../components/input/TextField.js';
import { FilterField } from '../../components/filter/FilterField.js';
import { cell, fit } from '../../text/cells.js';
import { safeText } from '../../text/safe-text.js';
import type { Theme } from '../../theme/index.js';
import { blankRow, pairRow, textRows, type Row } from '../wizard/rows.js';

/**
 * The lines of a job or storage wizard's step, windowed by FormScreen. A picker draws only the
 * options of its page (however many mailboxes a tenant has), with a filter line above them.
 */

export interface FormRowsContext {
  readonly form: FormState;
  readonly data: FormData;
  readonly width: number;
  readonly theme: Theme;
}

function pickRows(ctx: FormRowsContext, field: Extract<FormFieldSpec, { kind: 'pick' }>, focused: boolean): Row[] {
  const { form, data, width, theme } = ctx;
  const pick = pickState(form, field.id);
  const options = visibleOptions(form, field.id, data);
  const list = pick.list;
  const rows: Row[] = [];
  const count = field.multi ? ` (${list.marked.length} ticked)` : '';
  rows.push({
    key: `${field.id}-head`,
    node: (
      <Text>
        <Text color={focused ? theme.ui.focus : theme.text.muted} bold={focused && theme.emphasis}>
          {`${focused ? `${theme.glyphs.pointer} ` : '  '}${field.label}${count} `}
        </Text>
        <FilterField value={list.filter.text} editing={list.filter.editing} width={Math.max(8, width - field.label.length - count.length - 4)} />
      </Text>
    ),
  });
  if (pick.loading !== undefined) {
    rows.push(...textRows(`${theme.glyphs.running} Reading them from the tenant${theme.glyphs.ellipsis}`, width, { color: theme.status.info }, 4));
    return rows;
  }
  if (pick.failure) rows.push(...textRows(`${theme.glyphs.fail} ${safeText(pick.failure)}`, width, { color: theme.status.error }, 4));
  if (options.length === 0) {
    rows.push(...textRows(list.filter.text ? 'Nothing matches the filter (Esc clears it).' : 'There is none to choose.', width, { color: theme.text.muted }, 4));
    return rows;
  }
  const page = data.pickRows;
  const shown = options.slice(list.offset, list.offset + page);
  const chosen = field.multi ? undefined : form.picked[field.id];
  shown.forEach((option, i) => {
    const index = list.offset + i;
    const under = focused && index === list.cursor;
    const mark = field.multi ? `${list.marked.includes(option.id) ? theme.glyphs.checkboxOn : theme.glyphs.checkboxOff} ` : !focused && option.id === chosen ? `${theme.glyphs.radioOn} ` : '';
    const label = `${under ? theme.glyphs.pointer : ' '} ${mark}${safeText(option.label)}`;
    const labelCells = Math.min(Math.max(20, Math.floor(width / 2)), width - 4);
    const detail = option.detail ? safeText(option.detail) : '';
    rows.push({
      key: `${field.id}-${option.id}`,
      node: (
        <Text inverse={under && theme.ui.selection.inverse} bold={under && theme.ui.selection.bold} color={option.warn ? theme.status.warning : option.action ? theme.ui.focus : undefined}>
          {`    ${cell(label, labelCells, theme.glyphs.ellipsis)} `}
          <Text color={under ? undefined : theme.text.muted}>{fit(detail, Math.max(1, width - labelCells - 5), theme.glyphs.ellipsis)}</Text>
        </Text>
      ),
    });
  });
  if (options.length > page) rows.push(...textRows(`${list.offset + 1}-${Math.min(options.length, list.offset + page)} of ${options.length}`, width, { color: theme.text.muted }, 4));
  return rows;
}

function fieldRows(ctx: FormRowsContext, field: FormFieldSpec, index: number): Row[] {
  const { form, width, theme } = ctx;
  const focused = form.focus === index && !form.running;
  const error = form.errors[field.id];
  const rows: Row[] = [];
  if (field.kind === 'text') {
    rows.push({ key: field.id, node: <TextField label={field.label} value={form.text[field.id]} cursor={form.cursor} focused={focused} placeholder={field.placeholder} invalid={error !== undefined} width={width} /> });
  } else if (field.kind === 'choice') {
    const value = form.choice[field.id];
    const height = radioHeight(field.options, width, theme);
    if (height === 1) rows.push({ key: field.id, node: <RadioGroup label={field.label} options={field.options} value={value} focused={focused} width={width} /> });
    else for (let i = 0; i < height; i += 1) rows.push({ key: `${field.id}-${i}`, node: <RadioGroup label={field.label} options={field.options} value={value} focused={focused} width={width} line={i} /> });
    const selected = field.options.find((o) => o.value === value);
    if (selected?.detail) rows.push(...textRows(selected.detail, width, { color: theme.text.muted }, 4));
  } else {
    rows.push(...pickRows(ctx, field, focused));
  }
  if (error) rows.push(...textRows(`${theme.glyphs.fail} ${safeText(error)}`, width, { color: theme.status.error }, 4));
  return rows;
}

function keyRows(ctx: FormRowsContext): Row[] {
  const { form, width, theme } = ctx;
  const key = form.recoveryKey?.reveal() ?? '';
  return [
    ...textRows(`The storage '${safeText(form.created?.name ?? '')}' is ready. Its recovery key, shown this once:`, width),
    blankRow(),
    ...textRows(key, width, { color: theme.ui.focus, bold: true }, 2),
    blankRow(),
    ...textRows('Keep it somewhere safe, away from this server (a password manager, a printed copy in a safe). Without it the data cannot be read if the store file is lost; it is never shown again.', width, { color: theme.status.warning }),
  ];
}

/** Every line of the current step, and the first line of the focused field (kept in view). */
export function formRows(ctx: FormRowsContext): { rows: Row[]; anchor: number } {
  const { form, data, width, theme } = ctx;
  if (form.step === 'key') return { rows: keyRows(ctx), anchor: 0 };
  const rows: Row[] = [];
  let anchor = 0;
  if (form.step === 'summary') {
    for (const [label, value] of summaryPairs(form, data)) rows.push(...pairRow(label, safeText(value), width, theme));
    rows.push(blankRow());
    if (form.kind !== 'restore-job') rows.push(...textRows(form.kind === 'storage' ? 'Finish creates the storage and shows its recovery key once.' : 'Finish saves the job; nothing is saved before.', width, { color: theme.text.muted }));
  }
  formFields(form).forEach((field, index) => {
    if (index === form.focus) anchor = rows.length;
    rows.push(...fieldRows(ctx, field, index));
  });
  if (form.running) rows.push(blankRow(), ...textRows(`${theme.glyphs.running} ${form.running.kind === 'create-storage' ? 'Creating the storage' : 'Saving'}${theme.glyphs.ellipsis}`, width, { color: theme.status.info }));
  if (form.failure) {
    rows.push(blankRow(), ...textRows(`${theme.glyphs.fail} ${form.failure.title}`, width, { color: theme.status.error, bold: theme.emphasis }));
    rows.push(...textRows(safeText(form.failure.message), width, {}, 2));
  }
  return { rows, anchor };
}
