import { keysLabel } from '../components/footer/key-label.js';
import type { Hint } from '../components/footer/Footer.js';
import type { HelpSection } from '../components/help/HelpOverlay.js';
import { SCOPE_TITLES } from '../model/keymap/commands.js';
import { helpSections, hintsFor } from '../model/state/dispatch.js';
import type { AppState, Tone } from '../model/state/types.js';
import type { Theme } from '../theme/index.js';

/** Footer hints generated from the command map for the current layers. */
export function footerHints(state: AppState, theme: Theme): Hint[] {
  const modal = state.modal;
  // A question's keys say its answers ("y discard", "n keep"), as its buttons do.
  const answer = (spec: { id: string; hint?: string }): string =>
    modal?.kind === 'confirm' && spec.id === 'confirm.yes' ? modal.yesLabel.toLowerCase() : modal?.kind === 'confirm' && spec.id === 'confirm.no' ? modal.noLabel.toLowerCase() : (spec.hint ?? '');
  return hintsFor(state).map((spec) => ({ keys: keysLabel(spec.hintKeys ?? spec.keys.slice(0, 1), theme.glyphs), label: answer(spec) }));
}

/** The help overlay's content, generated from the same map. */
export function helpContent(state: AppState, theme: Theme): HelpSection[] {
  const merged = new Map<string, HelpSection['entries'][number][]>();
  for (const { scope, commands } of helpSections(state)) {
    const title = SCOPE_TITLES[scope];
    const entries = merged.get(title) ?? [];
    for (const spec of commands) entries.push({ keys: spec.keys.map((k) => keysLabel([k], theme.glyphs)).join(' '), label: spec.label });
    merged.set(title, entries);
  }
  return [...merged].map(([title, entries]) => ({ title, entries }));
}

export function toneColor(tone: Tone, theme: Theme): string | undefined {
  return theme.status[tone];
}
