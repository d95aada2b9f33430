import { labelWidth } from '../../components/input/field-layout.js';
import { keepsStoredPassword } from '../../model/wizard/fields.js';
import { duplicateNameText, sameNamed } from '../../domain/index.js';
import { demoCertificateAddedText, demoReadyAppText } from '../../model/wizard/messages.js';
import { adminCenterUrl, chosenName, nameSource, resultingAuthType } from '../../model/wizard/plan.js';
import { safeText } from '../../text/safe-text.js';
import { blankRow, checkRows, failureRows, pairRow, textRows, type Row } from './rows.js';
import { form, note, runningRow, type StepContext, type StepRows } from './step-kit.js';
import { permissionsStep, registerStep, signInStep } from './sign-in-steps.js';

export type { StepContext, StepRows } from './step-kit.js';

function locationStep(ctx: StepContext): StepRows {
  return form(ctx, [], [blankRow(), ...note(ctx, 'Microsoft 365 connections use Modern Authentication (OAuth 2.0); Basic Authentication is not offered for them any more.')]);
}

function serverAddressStep(ctx: StepContext): StepRows {
  const admin = adminCenterUrl(ctx.wizard);
  return form(
    ctx,
    [],
    [
      // Its value starts in the fields' value column (marker, label, one space).
      ...pairRow('Admin center URL', admin ?? '(filled in from the server URL)', ctx.width, ctx.theme, labelWidth(ctx.width) + 1),
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

function appDetailsStep(ctx: StepContext): StepRows {
  const w = ctx.wizard;
  const { width, theme } = ctx;
  const before: Row[] = [];
  const after: Row[] = [];
  const generating = w.form.choices.credentialKind === 'generate';
  if (w.operation.running?.kind === 'certificate') after.push(...runningRow(ctx, generating ? 'Generating a certificate…' : 'Reading the certificate file…'));
  const cert = w.form.certificate;
  const demoStyle = { color: theme.status.info, bold: theme.emphasis };
  if (generating && cert?.generatedTo !== undefined) {
    const m = cert.material;
    // Above the fields: what Enter made stays in view next to the client ID to type (80x24).
    before.push(
      ...textRows(`${theme.glyphs.pass} New certificate ${safeText(m.subject)}: SHA-256 thumbprint ${m.thumbprintSha256}, valid until ${m.notAfter.slice(0, 10)}. Public certificate written to ${safeText(cert.generatedTo)}; its key is sealed in the store when you finish.`, width, {
        color: theme.status.success,
      }),
    );
    // The demo has no admin center: its tenant did the upload, and the step says so in its place.
    if (cert.addedToDemoApp && w.demoApp) before.push(...textRows(safeText(demoCertificateAddedText(w.demoApp)), width, demoStyle));
    else before.push(...textRows('Upload that file to the app registration (Microsoft Entra admin center > App registrations > the app > Certificates & secrets > Upload certificate), enter the Application (client) ID below, then Enter.', width, { color: theme.status.info }));
  } else {
    // Clearly the demo's: what to type to try Manual registration without a tenant of one's own.
    if (w.demoApp) before.push(...textRows(safeText(demoReadyAppText(w.demoApp)), width, demoStyle));
    if (generating && !w.operation.running) after.push(...note(ctx, 'Enter generates the certificate and writes its public part to the file named above (nothing else is needed yet).'));
  }
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
  return form(ctx, before, after);
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
  // The name is the Summary's one field: assigned for a new connection, kept on Edit; typing renames.
  const named = form({ ...ctx, wizard: { ...w, operation: { ...w.operation, failure: undefined } } }).rows;
  rows.push(...named, ...textRows(`(${nameSource(w)})`, width, { color: theme.text.muted }, 4));
  const twins = sameNamed(chosenName(w), w.others ?? [], w.connection?.id);
  if (twins.length) rows.push(...textRows(`${theme.glyphs.warn} ${safeText(duplicateNameText(chosenName(w), twins))}`, width, { color: theme.status.warning }, 4));
  const service = w.service === 'exchange' ? 'Exchange' : 'SharePoint';
  pair('Type', `${service}${theme.glyphs.separator}${w.form.choices.location === 'online' ? `Microsoft 365 (${service} Online)` : `On-premises (${service} Server)`}`);
  pair('Authentication', resultingAuthType(w));
  if (w.form.choices.location === 'online') {
    if (w.form.choices.registration === 'automatic' && w.registration.app) {
      pair('Registration', `automatic: '${safeText(w.registration.app.displayName)}', client ID ${w.registration.app.clientId}`);
      pair('Certificate', `new, SHA-256 ${theme.glyphs.ellipsis}${w.registration.app.certificate.thumbprintSha256.slice(-8)}, valid until ${w.registration.app.certificate.notAfter.slice(0, 10)}`);
    } else {
      pair('Registration', `manual: client ID ${safeText(w.form.text.clientId.trim())}, tenant ${safeText(w.form.text.tenant.trim())}`);
      if (w.form.choices.credentialKind !== 'secret' && w.form.certificate) pair(w.form.certificate.generatedTo ? 'New certificate' : 'Certificate', `SHA-256 ${theme.glyphs.ellipsis}${w.form.certificate.material.thumbprintSha256.slice(-8)}, valid until ${w.form.certificate.material.notAfter.slice(0, 10)}`);
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
    const jobs = w.usedBy.length ? `its ${w.usedBy.length === 1 ? 'job' : 'jobs'} ${w.usedBy.map((n) => `'${safeText(n)}'`).join(', ')} ${w.usedBy.length === 1 ? 'keeps' : 'keep'} using it` : 'no job uses it';
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
