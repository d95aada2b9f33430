import type { AuthType } from '../../domain/index.js';
import {
  accountProblem,
  assignedConnectionName,
  autodiscoverEmailProblem,
  clientIdProblem,
  connectionNameProblem,
  domainOfUpn,
  FIELD_WORDS,
  hostProblem,
  legacyAccountProblem,
  mailboxProblem,
  secretExpiryProblem,
  serverUrlProblem,
  sharePointAdminUrl,
  sharePointOnlineUrlProblem,
  tenantFromSharePointUrl,
  tenantProblem,
} from '../../domain/index.js';
import { ServiceError } from '../../services/errors.js';
import type { OnPremisesEditInput } from '../../services/edit-onpremises.js';
import type { NewConnectionInput } from '../../services/new-connection.js';
import type { AppCredentialInput, ModernAuthInput } from '../../services/reconfigure.js';
import { keepsStoredPassword, TENANT_PLACEHOLDER } from './fields.js';
import type { FieldId, WizardPlan, WizardState } from './types.js';

/** The problem with one field's value, or undefined (domain/field-rules.ts words it). Pure: no file is read here. */
export function fieldError(w: WizardState, id: FieldId): string | undefined {
  const t = w.form.text;
  switch (id) {
    case 'name':
      return connectionNameProblem(t.name, w.others ?? [], w.connection?.id);
    case 'spUrl':
      if (t.spUrl.includes(TENANT_PLACEHOLDER)) return 'Type your tenant’s name in place of <tenant>, e.g. https://contoso.sharepoint.com.';
      return sharePointOnlineUrlProblem(t.spUrl);
    case 'tenant':
      return tenantProblem(t.tenant);
    case 'clientId':
      return clientIdProblem(t.clientId);
    case 'certPath':
      return t.certPath.trim() ? undefined : FIELD_WORDS.certificatePath;
    case 'certOut':
      return t.certOut.trim() ? undefined : 'Give the path of the file to write the public certificate to, e.g. ~/backup-panel.cer.';
    case 'clientSecret':
      return w.form.secrets.clientSecret.isEmpty ? FIELD_WORDS.clientSecret : undefined;
    case 'secretExpiry':
      return secretExpiryProblem(t.secretExpiry, w.today);
    case 'mailbox':
      return mailboxProblem(t.mailbox);
    case 'legacyUser':
      return w.form.choices.legacyChoice === 'account' ? legacyAccountProblem(t.legacyUser) : undefined;
    case 'legacyPassword':
      return w.form.choices.legacyChoice === 'account' && w.form.secrets.legacyPassword.isEmpty ? FIELD_WORDS.password : undefined;
    case 'server':
      return hostProblem(t.server);
    case 'autodiscoverEmail':
      return autodiscoverEmailProblem(t.autodiscoverEmail);
    case 'siteUrl':
      return serverUrlProblem(t.siteUrl, 'Site URL');
    case 'userName':
      return accountProblem(t.userName);
    case 'password':
      return w.form.secrets.password.isEmpty && !keepsStoredPassword(w) ? FIELD_WORDS.password : undefined;
    default:
      return undefined;
  }
}

/** `https://contoso.sharepoint.com` of the SharePoint Online connection being made or edited. */
export function sharePointUrl(w: WizardState): string {
  if (w.connection?.service === 'sharepoint') return w.connection.url;
  return w.form.text.spUrl.trim().replace(/\/+$/, '');
}

export function adminCenterUrl(w: WizardState): string | undefined {
  return sharePointAdminUrl(sharePointUrl(w));
}

/** The tenant the admin signs in to: Edit → the connection's tenant; New Exchange → any work account. */
export function signInTenant(w: WizardState): string {
  if (w.mode === 'edit' && w.form.text.tenant.trim()) return w.form.text.tenant.trim();
  if (w.service === 'sharepoint') return tenantFromSharePointUrl(sharePointUrl(w)) ?? 'organizations';
  return 'organizations';
}

/** The subject of a certificate generated for Manual registration (as Automatic's: the host named). */
export function certificateSubject(w: WizardState): string {
  return `CN=backup-panel-${w.host}`;
}

/** A certificate was generated for the path the field holds now. */
export function generatedForField(w: WizardState): boolean {
  const cert = w.form.certificate;
  return cert?.generatedTo !== undefined && cert.path === w.form.text.certOut.trim();
}

/** The app registration's display name, e.g. "backup-panel Exchange (backup01)". */
export function appDisplayName(w: WizardState): string {
  return `backup-panel ${w.service === 'exchange' ? 'Exchange' : 'SharePoint'} (${w.host})`;
}

function mailbox(w: WizardState): string | undefined {
  if (w.service !== 'exchange') return undefined;
  if (w.form.choices.registration === 'automatic') return w.form.text.mailbox.trim() && w.mode === 'edit' ? w.form.text.mailbox.trim() : w.registration.session?.userPrincipalName;
  return w.form.text.mailbox.trim();
}

function legacy(w: WizardState): Pick<ModernAuthInput, 'legacyAccount'> {
  if (w.service !== 'sharepoint') return {};
  if (w.form.choices.legacyChoice === 'keep') return { legacyAccount: 'keep' };
  if (w.form.choices.legacyChoice === 'account') return { legacyAccount: { userName: w.form.text.legacyUser.trim(), password: w.form.secrets.legacyPassword } };
  return {};
}

export function modernInput(w: WizardState): ModernAuthInput {
  const box = mailbox(w);
  if (w.form.choices.registration === 'automatic') {
    const app = w.registration.app;
    if (!app) throw new ServiceError('bad-input', 'The application is not registered yet.');
    return {
      tenantId: app.tenantId,
      clientId: app.clientId,
      credential: { kind: 'certificate', certificate: app.certificate },
      ...(box ? { mailbox: box } : {}),
      registration: {
        method: 'automatic',
        applicationObjectId: app.applicationObjectId,
        servicePrincipalId: app.servicePrincipalId,
        ...(w.registration.session ? { registeredBy: w.registration.session.userPrincipalName } : {}),
      },
      ...legacy(w),
      recentlyRegistered: true,
    };
  }
  let credential: AppCredentialInput;
  if (w.form.choices.credentialKind !== 'secret') {
    if (!w.form.certificate) throw new ServiceError('bad-input', w.form.choices.credentialKind === 'generate' ? 'The certificate has not been generated yet.' : 'The certificate file has not been read yet.');
    credential = { kind: 'certificate', certificate: w.form.certificate.material };
  } else {
    const expiry = w.form.text.secretExpiry.trim();
    credential = { kind: 'secret', clientSecret: w.form.secrets.clientSecret, ...(expiry ? { expiresAt: `${expiry}T23:59:59.000Z` } : {}) };
  }
  return {
    tenantId: w.form.text.tenant.trim(),
    clientId: w.form.text.clientId.trim().toLowerCase(),
    credential,
    ...(box ? { mailbox: box } : {}),
    registration: { method: 'manual' },
    ...legacy(w),
  };
}

/** The connection name the program assigns (Edit keeps the existing one). */
export function connectionName(w: WizardState): string {
  if (w.connection) return w.connection.displayName;
  if (w.form.choices.location === 'online') {
    if (w.service === 'exchange') return assignedConnectionName({ service: 'exchange', location: 'online', upn: mailbox(w) ?? '' });
    return assignedConnectionName({ service: 'sharepoint', location: 'online', url: sharePointUrl(w) });
  }
  if (w.service === 'exchange') {
    if (w.form.choices.exchangeMode === 'server') return assignedConnectionName({ service: 'exchange', location: 'onpremises', server: w.form.text.server.trim() });
    const domain = domainOfUpn(w.form.text.autodiscoverEmail.trim());
    return assignedConnectionName({ service: 'exchange', location: 'onpremises', server: null, ...(domain ? { autodiscoverDomain: domain } : {}) });
  }
  return assignedConnectionName({ service: 'sharepoint', location: 'onpremises', url: w.form.text.siteUrl.trim() });
}

/** The name the connection is saved with: what the Summary's field holds, else the assigned one. */
export function chosenName(w: WizardState): string {
  return w.form.text.name.trim() || connectionName(w);
}

/** Where the name comes from, in words (Summary). */
export function nameSource(w: WizardState): string {
  if (w.connection) return w.form.text.name.trim() && w.form.text.name.trim() !== w.connection.displayName ? `renamed from '${w.connection.displayName}'` : 'kept; type another name to rename it';
  if (w.form.nameEdited && w.form.text.name.trim() !== connectionName(w)) return 'typed by you';
  if (w.form.choices.location === 'online') {
    if (w.service === 'sharepoint') return 'assigned from the SharePoint URL';
    return w.form.choices.registration === 'automatic' ? 'assigned from the signed-in admin' : 'assigned from the mailbox given';
  }
  if (w.service === 'exchange') return w.form.choices.exchangeMode === 'server' ? 'assigned from the server name' : 'assigned from the e-mail domain';
  return 'assigned from the site URL';
}

export function resultingAuthType(w: WizardState): AuthType {
  if (w.form.choices.location === 'onpremises') return 'legacy';
  if (w.service === 'sharepoint' && w.form.choices.legacyChoice !== 'none') return 'modern and legacy';
  return 'modern';
}

function onPremisesEdit(w: WizardState): OnPremisesEditInput {
  const password = w.form.secrets.password;
  const common = { userName: w.form.text.userName.trim(), ...(password.isEmpty ? {} : { password }) };
  if (w.service === 'sharepoint') return { url: w.form.text.siteUrl.trim(), ...common };
  return w.form.choices.exchangeMode === 'server' ? { server: w.form.text.server.trim(), ...common } : { server: null, autodiscoverEmail: w.form.text.autodiscoverEmail.trim(), ...common };
}

function newInput(w: WizardState): NewConnectionInput {
  const displayName = chosenName(w);
  if (w.form.choices.location === 'online') {
    const modern = modernInput(w);
    return w.service === 'exchange'
      ? { service: 'exchange', location: 'online', displayName, modern }
      : { service: 'sharepoint', location: 'online', displayName, url: sharePointUrl(w), modern };
  }
  const account = { userName: w.form.text.userName.trim(), password: w.form.secrets.password };
  if (w.service === 'sharepoint') return { service: 'sharepoint', location: 'onpremises', displayName, url: w.form.text.siteUrl.trim(), ...account };
  if (w.form.choices.exchangeMode === 'server') return { service: 'exchange', location: 'onpremises', displayName, server: w.form.text.server.trim(), ...account };
  return { service: 'exchange', location: 'onpremises', displayName, server: null, autodiscoverEmail: w.form.text.autodiscoverEmail.trim(), ...account };
}

/** What verification and Finish are called with. Throws a ServiceError when something is missing. */
export function planOf(w: WizardState): WizardPlan {
  if (w.mode === 'new' || !w.connection) return { mode: 'new', input: newInput(w) };
  const name = chosenName(w);
  const rename = name !== w.connection.displayName ? { rename: name } : {};
  if (w.connection.location === 'online') return { mode: 'edit-online', connectionId: w.connection.id, input: modernInput(w), basedOn: w.connection, ...rename };
  return { mode: 'edit-onpremises', connectionId: w.connection.id, input: onPremisesEdit(w), basedOn: w.connection, ...rename };
}
