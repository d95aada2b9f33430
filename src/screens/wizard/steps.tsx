import { Text } from 'ink';
import type { Theme } from '../../theme/index.js';
import { fieldsOf, keepsStoredPassword, type FieldSpec } from '../../model/wizard/fields.js';
import { adminCenterUrl, appDisplayName, connectionName, nameSource, resultingAuthType, signInTenant } from '../../model/wizard/plan.js';
import type { WizardState } from '../../model/wizard/types.js';
import { RadioGroup, radioHeight } from '../../components/input/RadioGroup.js';
import { SecretField } from '../../components/input/SecretField.js';
import { TextField } from '../../components/input/TextField.js';
import { fit } from '../../text/cells.js';
import { safeText } from '../../text/safe-text.js';
import { blankRow, checkRows, failureRows, pairRow, textRows, themed, type Row } from './rows.js';

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

function form(ctx: StepContext, before: Row[] = [], after: Row[] = []): StepRows {
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

function note(ctx: StepContext, text: string): Row[] {
  return textRows(text, ctx.width, { color: ctx.theme.text.muted });
}

function runningRow(ctx: StepContext, text: string): Row[] {
  return textRows(themed(`${ctx.theme.glyphs.running} ${text}`, ctx.theme), ctx.width, { color: ctx.theme.status.info });
}

function locationStep(ctx: StepContext): StepRows {
  return form(ctx, [], [blankRow(), ...note(ctx, 'Microsoft 365 connections use Modern Authentication (OAuth 2.0); Basic Authentication is not offered for them any more.')]);
}

function serverAddressStep(ctx: StepContext): StepRows {
  const admin = adminCenterUrl(ctx.wizard);
  return form(
    ctx,
    [],
    [
      ...pairRow('Admin center URL', admin ?? '(filled in from the server URL)', ctx.width, ctx.theme, 22),
      blankRow(),
      ...note(ctx, 'Type your tenant’s name in place of <tenant>: if your domain is contoso.onmicrosoft.com or contoso.com, the URL is https://contoso.sharepoint.com.'),
    ],
  );
}

function registrationStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const before: Row[] = [];
  const c = w.connection;
  if (c && c.location === 'online') {
    const intro =
      c.credential.kind === 'basic'
        ? `'${safeText(c.displayName)}' still signs in with a user name and password (Basic Authentication), which Microsoft 365 no longer accepts. Register an application to use Modern Authentication (OAuth 2.0). The connection keeps its id, name and jobs.`
        : `'${safeText(c.displayName)}' uses Modern Authentication. Register the application again or enter other application details; the connection keeps its id, name and jobs.`;
    before.push(...textRows(intro, ctx.width), blankRow());
  }
  const after: Row[] = [];
  if (w.service === 'sharepoint') after.push(blankRow(), ...note(ctx, 'SharePoint needs a certificate: SharePoint REST refuses app-only tokens from a client secret (automatic registration creates one).'));
  return form(ctx, before, after);
}

function permissionsStep(ctx: StepContext): StepRows {
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
    ...textRows(`Next you sign in to ${safeText(signInTenant(w) === 'organizations' ? 'your tenant' : signInTenant(w))} with a code on any device with a browser. The account must have the Global Administrator or Privileged Role Administrator role.`, width, {
      color: theme.status.info,
    }),
  );
  return { rows, mode: 'document' };
}

function formatLeft(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function signInStep(ctx: StepContext): StepRows {
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
    if (w.demo) rows.push(...textRows('Demo: the sandbox tenant approves this sign-in by itself in a few seconds; there is nothing to open.', width, { color: theme.status.info, bold: theme.emphasis }));
    rows.push(...textRows('On any device with a browser, open the address and enter the code. Sign in with an account that has the Global Administrator or Privileged Role Administrator role.', width, { color: theme.text.muted }));
  }
  if (w.operation.failure) rows.push(...failureRows(w.operation.failure, width, theme));
  // A failure is the newest thing and says what to do: keep it in view.
  return { rows, mode: w.operation.failure ? 'log' : 'document' };
}

function registerStep(ctx: StepContext): StepRows {
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

function appDetailsStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const { width, theme } = ctx;
  const after: Row[] = [];
  if (w.operation.running?.kind === 'certificate') after.push(...runningRow(ctx, 'Reading the certificate file…'));
  const cert = w.form.certificate;
  if (cert && w.form.choices.credentialKind === 'certificate') {
    const m = cert.material;
    after.push(...textRows(`Certificate ${safeText(m.subject)}, SHA-256 ${theme.glyphs.ellipsis}${m.thumbprintSha256.slice(-8)}, RSA ${m.keyBits ?? '?'} bits, valid until ${m.notAfter.slice(0, 10)}.`, width, { color: theme.text.muted }));
    // loadCertificateFile's LoadedCertificate: the file gives its private key away to other users.
    const fileWarning = (m as { fileWarning?: string }).fileWarning;
    if (fileWarning) after.push(...textRows(`${theme.glyphs.warn} ${fileWarning}`, width, { color: theme.status.warning }));
    if (m.expiresSoon) {
      after.push(...textRows(`${theme.glyphs.warn} It expires on ${m.notAfter.slice(0, 10)}, within 30 days: the connection stops working then. Renew it soon. Enter goes on with this certificate.`, width, { color: theme.status.warning }));
    }
  }
  if (w.service === 'exchange') after.push(...note(ctx, 'The mailbox must belong to a user with an Exchange Online licence; it is used to check access.'));
  return form(ctx, [], after);
}

function legacyStep(ctx: StepContext): StepRows {
  return form(ctx, textRows('A few SharePoint operations (restoring custom web part page layouts or some surveys, creating team sites) used a user name and password besides OAuth 2.0.', ctx.width));
}

function exchangeServerStep(ctx: StepContext): StepRows {
  return form(ctx, [], [blankRow(), ...note(ctx, 'On-premises Exchange keeps Basic Authentication (legacy); it is never marked obsolete.')]);
}

function siteUrlStep(ctx: StepContext): StepRows {
  return form(ctx, [], [blankRow(), ...note(ctx, 'The SharePoint Server site or web application, e.g. https://sp.corp.contoso.com. It keeps Basic Authentication (legacy).')]);
}

function accountStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const after: Row[] = [blankRow()];
  if (keepsStoredPassword(w)) after.push(...note(ctx, 'Leave the password empty to keep the stored one.'));
  after.push(
    ...note(
      ctx,
      w.service === 'exchange'
        ? 'The account must be mailbox-enabled with impersonation rights (members of Organization Management have them).'
        : 'The account needs Full Control on the web application (the account that deployed SharePoint has every right needed).',
    ),
  );
  return form(ctx, [], after);
}

function verifyStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const { width, theme } = ctx;
  const rows: Row[] = [];
  // What the automatic registration did stays above the checks (↑ scrolls back to it).
  if (w.registration.app && w.registration.steps.length) {
    rows.push(...textRows(`Registered '${safeText(w.registration.app.displayName)}'${w.registration.session ? ` as ${safeText(w.registration.session.userPrincipalName)}` : ''}:`, width, { color: theme.text.muted }));
    for (const p of w.registration.steps) rows.push(...textRows(`${theme.glyphs.pass} ${safeText(p.detail)}`, width, { color: theme.text.muted }, 1));
    rows.push(blankRow());
  }
  rows.push(...checkRows(w.verification.checks, width, theme));
  if (w.operation.running?.kind === 'verify') rows.push(...runningRow(ctx, w.operation.running.cancelling ? 'Stopping the checks…' : `Checking: ${safeText(w.verification.running ?? 'starting')}`));
  if (w.verification.done) {
    const failed = w.verification.checks.some((c) => c.status === 'fail');
    const warned = w.verification.checks.filter((c) => c.status === 'warn').length;
    if (failed) {
      rows.push(...textRows(`${theme.glyphs.fail} A check failed; nothing was saved. Ctrl-B goes back to fix the settings; Enter runs the checks again.`, width, { color: theme.status.error, bold: theme.emphasis }));
    } else {
      const text = warned ? `All checks passed, ${warned} with a warning. Enter: Summary.` : 'All checks passed. Enter: Summary.';
      rows.push(...textRows(`${theme.glyphs.pass} ${text}`, width, { color: theme.status.success, bold: theme.emphasis }));
    }
  }
  if (w.operation.failure) rows.push(...failureRows(w.operation.failure, width, theme));
  return { rows, mode: 'log' };
}

function summaryStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const { width, theme } = ctx;
  const rows: Row[] = [];
  const pair = (label: string, value: string) => rows.push(...pairRow(label, value, width, theme, 20));
  pair('Connection name', `${safeText(connectionName(w))} (${nameSource(w)})`);
  const service = w.service === 'exchange' ? 'Exchange' : 'SharePoint';
  pair('Type', `${service}${theme.glyphs.separator}${w.form.choices.location === 'online' ? `Microsoft 365 (${service} Online)` : `On-premises (${service} Server)`}`);
  pair('Authentication', resultingAuthType(w));
  if (w.form.choices.location === 'online') {
    if (w.form.choices.registration === 'automatic' && w.registration.app) {
      pair('Registration', `automatic: '${safeText(w.registration.app.displayName)}', client ID ${w.registration.app.clientId}`);
      pair('Certificate', `new, SHA-256 ${theme.glyphs.ellipsis}${w.registration.app.certificate.thumbprintSha256.slice(-8)}, valid until ${w.registration.app.certificate.notAfter.slice(0, 10)}`);
    } else {
      pair('Registration', `manual: client ID ${safeText(w.form.text.clientId.trim())}, tenant ${safeText(w.form.text.tenant.trim())}`);
      if (w.form.choices.credentialKind === 'certificate' && w.form.certificate) pair('Certificate', `SHA-256 ${theme.glyphs.ellipsis}${w.form.certificate.material.thumbprintSha256.slice(-8)}, valid until ${w.form.certificate.material.notAfter.slice(0, 10)}`);
      else pair('Client secret', w.form.text.secretExpiry.trim() ? `expires ${safeText(w.form.text.secretExpiry.trim())}` : 'expiry not given');
    }
    if (w.service === 'sharepoint') pair('SharePoint URL', safeText(w.connection?.service === 'sharepoint' ? w.connection.url : w.form.text.spUrl.trim()));
  } else if (w.service === 'exchange') {
    pair('Server', w.form.choices.exchangeMode === 'server' ? safeText(w.form.text.server.trim()) : `Autodiscover for ${safeText(w.form.text.autodiscoverEmail.trim())}`);
    pair('Account', safeText(w.form.text.userName.trim()));
  } else {
    pair('Site URL', safeText(w.form.text.siteUrl.trim()));
    pair('Account', safeText(w.form.text.userName.trim()));
  }
  const warned = w.verification.checks.filter((c) => c.status === 'warn').length;
  pair('Verification', `${w.verification.checks.length} ${w.verification.checks.length === 1 ? 'check' : 'checks'} passed${warned ? `, ${warned} with a warning` : ''}`);
  rows.push(blankRow());
  if (w.connection) {
    const jobs = w.usedBy.length ? `its ${w.usedBy.length === 1 ? 'job' : 'jobs'} ${w.usedBy.map((n) => `'${safeText(n)}'`).join(', ')} keep using it` : 'no job uses it';
    const what =
      w.connection.location === 'online'
        ? `Finish replaces the connection's credential; id, name and every job stay (${jobs}). The old password is removed from the store${w.form.choices.legacyChoice === 'keep' && w.service === 'sharepoint' ? ', except as the kept legacy account' : ''}.`
        : `Finish saves the new settings; id, name and every job stay (${jobs}).`;
    rows.push(...textRows(what, width));
  }
  rows.push(...textRows('Nothing has been saved yet. Enter: Finish.', width, { color: theme.status.info, bold: theme.emphasis }));
  if (w.operation.running?.kind === 'save') rows.push(...runningRow(ctx, 'Saving…'));
  if (w.operation.failure) rows.push(blankRow(), ...failureRows(w.operation.failure, width, theme));
  return { rows, mode: w.operation.failure || w.operation.running ? 'log' : 'document' };
}

export function stepRows(ctx: StepContext): StepRows {
  switch (ctx.wizard.view.step) {
    case 'location':
      return locationStep(ctx);
    case 'server-address':
      return serverAddressStep(ctx);
    case 'registration':
      return registrationStep(ctx);
    case 'permissions':
      return permissionsStep(ctx);
    case 'sign-in':
      return signInStep(ctx);
    case 'register':
      return registerStep(ctx);
    case 'app-details':
      return appDetailsStep(ctx);
    case 'legacy':
      return legacyStep(ctx);
    case 'exchange-server':
      return exchangeServerStep(ctx);
    case 'site-url':
      return siteUrlStep(ctx);
    case 'account':
      return accountStep(ctx);
    case 'verify':
      return verifyStep(ctx);
    case 'summary':
      return summaryStep(ctx);
  }
}
