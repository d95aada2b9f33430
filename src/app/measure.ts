import { bodyHeight } from '../model/layout.js';
import { formData } from '../model/state/list-bindings.js';
import type { ScrollRange } from '../model/state/scroll.js';
import { scrolledPane } from '../model/state/scroll.js';
import type { Theme } from '../theme/index.js';
import { formStepRange } from '../screens/form/FormScreen.js';
import { jobDetailRange } from '../screens/JobDetailScreen.js';
import { wizardStepRange } from '../screens/wizard/WizardScreen.js';
import type { Snapshot } from './container/options.js';

/**
 * What a scroll key moves over: the lines of the connection wizard's step, or of the read-only pane
 * (a job's details, a form step without fields), as the screen draws them, and how many fit. Asked
 * by the container on a scroll key only, never while drawing.
 */
export function measureStep({ state, data }: Snapshot, theme: Theme): ScrollRange | undefined {
  const width = state.size.columns;
  const height = bodyHeight(state.size, state.banner);
  if (state.wizard) return wizardStepRange(state.wizard, width, height, theme);
  if (!scrolledPane(state)) return undefined;
  if (state.form) return formStepRange(state.form, formData(state, data), width, height, theme);
  const row = data.jobs.find((r) => r.id === state.jobsPane.detail);
  return row ? jobDetailRange(row, state.live.runs[row.id], width, height, theme) : undefined;
}
