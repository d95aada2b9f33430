import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useTheme, type Theme } from '../../theme/index.js';
import type { ScrollRange } from '../../model/state/scroll.js';
import { choicesOnly, scrollKeyNames, scrollMode, STEP_SHORT, STEP_TITLES, stepPathsOf, stepsOf } from '../../model/wizard/fields.js';
import { previousStep } from '../../model/wizard/reducer.js';
import type { WizardState } from '../../model/wizard/types.js';
import { fit } from '../../text/cells.js';
import { safeText } from '../../text/safe-text.js';
import { StepBody } from '../../components/wizard/StepBody.js';
import { StepIndicator } from '../../components/wizard/StepIndicator.js';
import { stepRows } from './steps.js';

export interface WizardScreenProps {
  readonly wizard: WizardState;
  readonly width: number;
  readonly height: number;
}

/** Title, step indicator, step title, and the Back / Next / Cancel line around the step area. */
export const WIZARD_CHROME_LINES = 4;

function titleOf(w: WizardState, separator: string): string {
  const service = w.service === 'exchange' ? 'Exchange' : 'SharePoint';
  if (!w.connection) return `New ${service} connection`;
  const where = w.connection.location === 'online' ? `${service} Online` : `${service} Server`;
  const obsolete = w.connection.location === 'online' && w.connection.credential.kind === 'basic' ? ' [obsolete]' : '';
  return `Edit '${safeText(w.connection.displayName)}'${obsolete}${separator}${where}`;
}

function nextLabel(w: WizardState): string {
  switch (w.view.step) {
    case 'permissions':
      return 'Sign in';
    case 'sign-in':
    case 'register':
      return w.operation.running ? 'Next' : 'Sign in again';
    case 'verify':
      return w.operation.running ? 'Next' : w.verification.done && !w.verification.checks.some((c) => c.status === 'fail') ? 'Next' : 'Check again';
    case 'summary':
      return 'Finish';
    default:
      return 'Next';
  }
}

const stepArea = (height: number) => Math.max(1, height - WIZARD_CHROME_LINES);
const stepWidth = (width: number) => Math.max(20, width - 2);

/**
 * The step's lines as drawn and how many fit: what the scroll keys move over (model/state/scroll.ts).
 * Measured with the rows the screen draws, on a key, never on the render path.
 */
export function wizardStepRange(w: WizardState, width: number, height: number, theme: Theme): ScrollRange {
  const { rows, anchor } = stepRows({ wizard: w, width: stepWidth(width), theme });
  const area = stepArea(height);
  return { lines: rows.length, rows: area, at: firstRow(w, rows.length, anchor, area) };
}

/** The first of the step's rows drawn, clamped here, where the number of lines is known. */
function firstRow(w: WizardState, lines: number, anchor: number | undefined, area: number): number {
  const mode = scrollMode(w);
  const maxOffset = Math.max(0, lines - area);
  if (mode === 'document') return Math.min(w.view.scroll, maxOffset);
  if (mode === 'log') return Math.max(0, maxOffset - w.view.scroll);
  // A step of choices only, paged (see choicesOnly).
  if (choicesOnly(w) && w.view.scroll > 0) return Math.min(w.view.scroll - 1, maxOffset);
  // Keep the focused field and a little of what follows it (its error) in view.
  if (anchor !== undefined && lines > area) return Math.min(maxOffset, Math.max(0, anchor - Math.max(0, area - 4)));
  return 0;
}

/** The connection wizard. Draws the state it is given; every key and effect is the container's. */
export function WizardScreen({ wizard: w, width, height }: WizardScreenProps) {
  const theme = useTheme();
  const steps = stepsOf(w);
  const current = Math.max(0, steps.indexOf(w.view.step));
  const area = stepArea(height);
  const inner = stepWidth(width);
  const { rows, anchor } = useMemo(() => stepRows({ wizard: w, width: inner, theme }), [w, inner, theme]);
  const offset = firstRow(w, rows.length, anchor, area);
  const shown = rows.slice(offset, offset + area);
  const above = offset > 0;
  const below = offset + area < rows.length;
  const [first, second] = scrollKeyNames(w);
  const arrows = first === 'up';
  const keys = `${theme.glyphs.keys[first] ?? first}${arrows && !theme.ascii ? '' : '/'}${theme.glyphs.keys[second] ?? second}`;
  const marks = `${above ? ` ${theme.glyphs.moreAbove}` : ''}${below ? ` ${theme.glyphs.moreBelow}` : ''}${above || below ? ` (${keys} scroll)` : ''}`;
  const busy = w.operation.running !== undefined;
  const canBack = previousStep(w) !== undefined && w.operation.running?.kind !== 'save';
  const back = `< Back (${theme.glyphs.keys['ctrl-b'] ?? 'C-b'})`;
  const next = busy ? '' : `${nextLabel(w)} > (${theme.glyphs.keys.return ?? 'Enter'})`;
  const cancel = busy ? (w.operation.running?.kind === 'save' ? `Saving${theme.glyphs.ellipsis}` : 'Stop (Esc)') : 'Cancel (Esc)';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={theme.text.heading} bold={theme.emphasis}>
        {fit(` ${titleOf(w, theme.glyphs.separator)}`, width, theme.glyphs.ellipsis)}
      </Text>
      <StepIndicator
        steps={steps.map((s) => STEP_SHORT[s])}
        alternatives={stepPathsOf(w).map((path) => path.map((s) => STEP_SHORT[s]))}
        current={current}
        title={STEP_TITLES[w.view.step]}
        width={width}
      />
      <StepBody title={STEP_TITLES[w.view.step]} marks={marks} rows={shown} offset={offset} height={area} width={width} back={back} canBack={canBack} next={next} cancel={cancel} />
    </Box>
  );
}
