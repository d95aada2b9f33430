import { Text } from 'ink';
import { REGISTERING_ACCOUNT_WORDS } from '../../domain/index.js';
import { DEMO_SIGN_IN_APPROVES } from '../../model/wizard/messages.js';
import { appDisplayName, signInTenant } from '../../model/wizard/plan.js';
import { fit } from '../../text/cells.js';
import { safeText } from '../../text/safe-text.js';
import { blankRow, failureRows, textRows, themed, type Row } from './rows.js';
import { runningRow, type StepContext, type StepRows } from './step-kit.js';

/** The steps of automatic registration: what it grants, the device-code sign-in, the registration. */

export function permissionsStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const { width, theme } = ctx;
  const rows: Row[] = [
    ...textRows(`Automatic registration creates the app '${safeText(appDisplayName(w))}' with a new certificate and grants it these application permissions, tenant-wide and at once:`, width),
  ];
  if (w.permissions.length === 0) rows.push(...runningRow(ctx, 'Loading the list of permissions…'));
  for (const p of w.permissions) {
    rows.push(...textRows(`${theme.glyphs.bullet} ${p.name} (${p.resource})`, width, { bold: theme.emphasis }, 1));
    rows.push(...textRows(p.why, width, { color: theme.text.muted }, 4));
  }
  rows.push(
    blankRow(),
    ...textRows(`Next you sign in to ${safeText(signInTenant(w) === 'organizations' ? 'your tenant' : signInTenant(w))} with a code on any device with a browser. ${REGISTERING_ACCOUNT_WORDS}`, width, {
      color: theme.status.info,
    }),
  );
  return { rows, mode: 'document' };
}

function formatLeft(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export function signInStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const { width, theme } = ctx;
  const rows: Row[] = [];
  if (w.operation.running && !w.signIn.prompt) rows.push(...runningRow(ctx, w.operation.running.cancelling ? 'Cancelling the sign-in…' : 'Asking Microsoft Entra ID for a sign-in code…'));
  if (w.operation.running && w.signIn.prompt) {
    const left = w.signIn.prompt.expiresAt.getTime() - w.signIn.clock;
    const label = (text: string) => <Text color={theme.text.muted}>{text.padEnd(11)}</Text>;
    rows.push({
      key: 'url',
      node: (
        <Text>
          {label('Open')}
          <Text color={theme.ui.focus} bold={theme.emphasis}>
            {fit(safeText(w.signIn.prompt.verificationUri), width - 11, theme.glyphs.ellipsis)}
          </Text>
        </Text>
      ),
    });
    rows.push({
      key: 'code',
      node: (
        <Text>
          {label('Enter code')}
          <Text color={theme.ui.focus} bold={theme.emphasis} inverse={theme.ui.selection.inverse}>
            {` ${safeText(w.signIn.prompt.userCode)} `}
          </Text>
        </Text>
      ),
    });
    const waiting = w.operation.running.cancelling ? 'cancelling the sign-in' : 'waiting for the sign-in (Esc cancels)';
    rows.push({
      key: 'left',
      node: (
        <Text color={left < 60_000 ? theme.status.warning : undefined}>
          {label('Time left')}
          {fit(themed(`${formatLeft(left)} · ${waiting}`, theme), width - 11, theme.glyphs.ellipsis)}
        </Text>
      ),
    });
    if (w.demo) rows.push(...textRows(DEMO_SIGN_IN_APPROVES, width, { color: theme.status.info, bold: theme.emphasis }));
    rows.push(...textRows(`On any device with a browser, open the address and enter the code. ${REGISTERING_ACCOUNT_WORDS}`, width, { color: theme.text.muted }));
  }
  if (w.operation.failure) rows.push(...failureRows(w.operation.failure, width, theme));
  // A failure is the newest thing and says what to do: keep it in view.
  return { rows, mode: w.operation.failure ? 'log' : 'document' };
}

export function registerStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const { width, theme } = ctx;
  const rows: Row[] = [];
  if (w.registration.session) rows.push(...textRows(`Signed in as ${safeText(w.registration.session.userPrincipalName)}. Registering '${safeText(appDisplayName(w))}':`, width));
  for (const p of w.registration.steps) {
    rows.push(...textRows(`${p.done ? theme.glyphs.pass : theme.glyphs.running} ${safeText(p.detail)}`, width, { color: p.done ? theme.status.success : theme.status.info }, 1));
  }
  if (w.operation.running && w.operation.running.cancelling) rows.push(...runningRow(ctx, 'Stopping…'));
  if (w.operation.failure) rows.push(blankRow(), ...failureRows(w.operation.failure, width, theme));
  return { rows, mode: 'log' };
}

