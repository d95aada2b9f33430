import { Box, Text } from 'ink';
import { FORM_STEP_SHORT, FORM_STEP_TITLES, formSteps } from '../../model/forms/fields.js';
import type { FormData, FormState } from '../../model/forms/types.js';
import { FORM_CHROME_LINES } from '../../model/layout.js';
import { safeText } from '../../text/safe-text.js';
import { fit } from '../../text/cells.js';
import { useTheme, type Theme } from '../../theme/index.js';
import { StepBody } from '../../components/wizard/StepBody.js';
import { StepIndicator } from '../../components/wizard/StepIndicator.js';
import { formRows } from './rows.js';

export interface FormScreenProps {
  readonly form: FormState;
  /** What the pickers and the summary list (the store's connections and storages). */
  readonly data: FormData;
  readonly width: number;
  readonly height: number;
  /** A step without fields: its first line drawn, as the pane keys scrolled it (clamped here). */
  readonly scroll?: number;
}

function titleOf(form: FormState): string {
  switch (form.kind) {
    case 'backup-job':
      return form.mode === 'edit' && form.job ? `Edit backup job '${safeText(form.job.name)}'` : 'New backup job';
    case 'restore-job':
      return form.mode === 'edit' && form.job ? `Edit restore job '${safeText(form.job.name)}'` : 'New restore job';
    case 'storage':
      return form.parent ? 'New storage (for the backup job)' : 'New storage';
    case 'export':
      return 'Export to a folder on this server';
  }
}

function nextLabel(form: FormState): string {
  if (form.step === 'key') return 'I have kept it';
  if (form.step === 'summary' || form.kind === 'export') return 'Finish';
  return 'Next';
}

/** The step's lines and how many fit: what the pane keys move over on a step without fields. */
export function formStepRange(form: FormState, data: FormData, width: number, height: number, theme: Theme): { lines: number; rows: number } {
  return { lines: formRows({ form, data, width: Math.max(20, width - 2), theme }).rows.length, rows: Math.max(1, height - FORM_CHROME_LINES) };
}

/** The job and storage wizards. Draws the state it is given; keys and effects are the container's. */
export function FormScreen({ form, data, width, height, scroll }: FormScreenProps) {
  const theme = useTheme();
  const steps = formSteps(form);
  const current = Math.max(0, steps.indexOf(form.step));
  const area = Math.max(1, height - FORM_CHROME_LINES);
  const inner = Math.max(20, width - 2);
  const { rows, anchor } = formRows({ form, data, width: inner, theme });
  const maxOffset = Math.max(0, rows.length - area);
  // Keep the focused field and a little of what follows it in view; a step without fields scrolls.
  const offset = scroll !== undefined ? Math.min(maxOffset, scroll) : rows.length > area ? Math.min(maxOffset, Math.max(0, anchor - Math.max(0, area - 4))) : 0;
  const shown = rows.slice(offset, offset + area);
  const above = offset > 0;
  const below = offset + area < rows.length;
  const marks = `${above ? ` ${theme.glyphs.moreAbove}` : ''}${below ? ` ${theme.glyphs.moreBelow}` : ''}`;
  const busy = form.running !== undefined;
  const canBack = !busy && form.step !== 'key' && (current > 0 || form.parent !== undefined);
  const back = `< Back (${theme.glyphs.keys['ctrl-b'] ?? 'C-b'})`;
  const next = busy ? '' : `${nextLabel(form)} > (${theme.glyphs.keys.return ?? 'Enter'})`;
  const cancel = busy ? `Saving${theme.glyphs.ellipsis}` : form.step === 'key' ? '' : 'Cancel (Esc)';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={theme.text.heading} bold={theme.emphasis}>
        {fit(` ${titleOf(form)}`, width, theme.glyphs.ellipsis)}
      </Text>
      <StepIndicator steps={steps.map((s) => FORM_STEP_SHORT[s])} current={current} title={FORM_STEP_TITLES[form.step]} width={width} />
      <StepBody title={FORM_STEP_TITLES[form.step]} marks={marks} rows={shown} offset={offset} height={area} width={width} back={back} canBack={canBack} next={next} cancel={cancel} />
    </Box>
  );
}
