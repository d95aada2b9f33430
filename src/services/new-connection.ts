import type { CheckResult, Progress, VerifyTarget } from '../auth/api.js';
import type { BasicCredential, Connection, Secret } from '../domain/index.js';
import {
  accountProblem,
  autodiscoverEmailProblem,
  CONNECTION_SECRET_FIELDS,
  connectionSecretRef,
  duplicateNameText,
  FIELD_WORDS,
  hostProblem,
  serverUrlProblem,
  sharePointAdminUrl,
  sameNamed,
  SHAREPOINT_NEEDS_CERTIFICATE,
  sharePointOnlineUrlProblem,
  uniqueConnectionName,
} from '../domain/index.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { newConnectionId } from './ids.js';
import type { ModernAuthInput } from './reconfigure.js';
import { validateModernAuthInput } from './reconfigure.js';
import { firstFailure } from './verification.js';

/** A connection the wizard is about to create (New → Exchange / SharePoint connection). */
export type NewConnectionInput =
  | { readonly service: 'exchange'; readonly location: 'online'; readonly displayName: string; readonly modern: ModernAuthInput }
  | { readonly service: 'sharepoint'; readonly location: 'online'; readonly displayName: string; readonly url: string; readonly modern: ModernAuthInput }
  | {
      readonly service: 'exchange';
      readonly location: 'onpremises';
      readonly displayName: string;
      /** Host name or IP; null = Autodiscover from `autodiscoverEmail`. */
      readonly server: string | null;
      readonly autodiscoverEmail?: string;
      readonly userName: string;
      readonly password: Secret;
    }
  | { readonly service: 'sharepoint'; readonly location: 'onpremises'; readonly displayName: string; readonly url: string; readonly userName: string; readonly password: Secret };

/** https URL (http only for loopback, as on-premises test servers may be); `what` names it. */
export function validateServerUrl(value: string, what: string): URL {
  const problem = serverUrlProblem(value, what);
  if (problem) throw new ServiceError('bad-input', problem);
  return new URL(value.trim());
}

/** https://<name>.sharepoint.com, the form SharePoint Online site URLs take. */
export function validateSharePointOnlineUrl(value: string): URL {
  const problem = sharePointOnlineUrlProblem(value);
  if (problem) throw new ServiceError('bad-input', problem);
  return new URL(value.trim());
}

function refuse(problem: string | undefined): void {
  if (problem) throw new ServiceError('bad-input', problem);
}

export function validateNewConnection(input: NewConnectionInput, now: Date): void {
  if (input.location === 'online') {
    if (input.service === 'sharepoint') validateSharePointOnlineUrl(input.url);
    if (input.service === 'sharepoint' && input.modern.credential.kind === 'secret') refuse(SHAREPOINT_NEEDS_CERTIFICATE);
    validateModernAuthInput(input.modern, now);
    return;
  }
  refuse(accountProblem(input.userName));
  if (input.password.isEmpty) refuse(FIELD_WORDS.password);
  if (input.service === 'sharepoint') validateServerUrl(input.url, 'Site URL');
  else if (input.server === null) refuse(autodiscoverEmailProblem(input.autodiscoverEmail ?? (input.userName.includes('@') ? input.userName : '')));
  else refuse(hostProblem(input.server));
}

export function newConnectionTarget(input: NewConnectionInput): VerifyTarget {
  if (input.location === 'onpremises') {
    if (input.service === 'exchange') {
      return {
        kind: 'onprem-exchange',
        server: input.server,
        ...(input.autodiscoverEmail ? { autodiscoverEmail: input.autodiscoverEmail } : {}),
        userName: input.userName,
        password: input.password,
      };
    }
    return { kind: 'onprem-sharepoint', url: input.url, userName: input.userName, password: input.password };
  }
  const m = input.modern;
  const legacy = input.service === 'sharepoint' && m.legacyAccount && m.legacyAccount !== 'keep' ? { legacyAccount: m.legacyAccount } : {};
  return {
    kind: 'online-app',
    service: input.service,
    ...(m.cloud && m.cloud !== 'global' ? { cloud: m.cloud } : {}),
    tenantId: m.tenantId,
    clientId: m.clientId,
    credential: m.credential.kind === 'certificate' ? { kind: 'certificate', certificate: m.credential.certificate } : { kind: 'secret', clientSecret: m.credential.clientSecret },
    ...(input.service === 'exchange' && m.mailbox ? { mailbox: m.mailbox } : {}),
    ...(input.service === 'sharepoint' ? { siteUrl: input.url } : {}),
    ...legacy,
    ...(m.recentlyRegistered ? { recentlyRegistered: true } : {}),
  };
}

export async function verifyNewConnection(
  ctx: ServiceContext,
  input: NewConnectionInput,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<readonly CheckResult[]> {
  validateNewConnection(input, ctx.now());
  const auth = await ctx.auth();
  return auth.verify(newConnectionTarget(input), {
    now: ctx.now(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/** Saves a verified new connection (Finish). Nothing is saved before this. */
export async function saveNewConnection(
  ctx: ServiceContext,
  given: NewConnectionInput,
  checks: readonly CheckResult[],
  options: {
    /**
     * Another connection took the name meanwhile (or had it): 'allow' keeps it (the panel has warned),
     * 'refuse' refuses (a name the admin gave the CLI, contracts §7), 'number' makes it unique (a default).
     */
    readonly uniqueName?: 'allow' | 'refuse' | 'number';
  } = {},
): Promise<Connection> {
  if (checks.length === 0 || firstFailure(checks)) {
    throw new ServiceError('verification-failed', 'The connection was not verified (a check failed or none ran); nothing was saved.');
  }
  validateNewConnection(given, ctx.now());
  return ctx.store.update((draft, tools) => {
    let input = given;
    const others = sameNamed(given.displayName, draft.connections);
    if (others.length > 0 && options.uniqueName === 'refuse') throw new ServiceError('bad-input', duplicateNameText(given.displayName, others));
    if (others.length > 0 && options.uniqueName === 'number') input = { ...given, displayName: uniqueConnectionName(given.displayName, draft.connections) };
    const id = newConnectionId();
    const now = tools.now.toISOString();
    const basic = (userName: string, password: Secret, field: typeof CONNECTION_SECRET_FIELDS.password | typeof CONNECTION_SECRET_FIELDS.legacyPassword): BasicCredential => ({
      kind: 'basic',
      userName,
      password: tools.seal(password.reveal(), connectionSecretRef(id, field)),
    });
    let connection: Connection;
    if (input.location === 'onpremises') {
      connection =
        input.service === 'exchange'
          ? {
              id,
              service: 'exchange',
              location: 'onpremises',
              displayName: input.displayName,
              created: now,
              server: input.server,
              ...(input.autodiscoverEmail ? { autodiscoverEmail: input.autodiscoverEmail } : {}),
              credential: basic(input.userName, input.password, CONNECTION_SECRET_FIELDS.password),
            }
          : { id, service: 'sharepoint', location: 'onpremises', displayName: input.displayName, created: now, url: input.url, credential: basic(input.userName, input.password, CONNECTION_SECRET_FIELDS.password) };
    } else {
      const m = input.modern;
      const registration = { ...m.registration, registeredAt: now };
      const cloud = m.cloud && m.cloud !== 'global' ? { cloud: m.cloud } : {};
      const credential =
        m.credential.kind === 'certificate'
          ? {
              kind: 'app-certificate' as const,
              tenantId: m.tenantId,
              clientId: m.clientId,
              registration,
              certificate: {
                pem: m.credential.certificate.certificatePem,
                thumbprintSha256: m.credential.certificate.thumbprintSha256,
                subject: m.credential.certificate.subject,
                notBefore: m.credential.certificate.notBefore,
                notAfter: m.credential.certificate.notAfter,
              },
              privateKey: tools.seal(m.credential.certificate.privateKeyPem.reveal(), connectionSecretRef(id, CONNECTION_SECRET_FIELDS.privateKey)),
            }
          : {
              kind: 'app-secret' as const,
              tenantId: m.tenantId,
              clientId: m.clientId,
              registration,
              clientSecret: tools.seal(m.credential.clientSecret.reveal(), connectionSecretRef(id, CONNECTION_SECRET_FIELDS.clientSecret)),
              ...(m.credential.expiresAt ? { expiresAt: m.credential.expiresAt } : {}),
            };
      if (input.service === 'exchange') {
        connection = { id, service: 'exchange', location: 'online', displayName: input.displayName, created: now, ...cloud, ...(m.mailbox ? { mailbox: m.mailbox } : {}), credential };
      } else {
        const adminUrl = sharePointAdminUrl(input.url);
        const legacy = m.legacyAccount && m.legacyAccount !== 'keep' ? { legacyAccount: basic(m.legacyAccount.userName, m.legacyAccount.password, CONNECTION_SECRET_FIELDS.legacyPassword) } : {};
        connection = { id, service: 'sharepoint', location: 'online', displayName: input.displayName, created: now, url: input.url, ...(adminUrl ? { adminUrl } : {}), ...cloud, credential, ...legacy };
      }
    }
    draft.connections.push(connection);
    return {
      change: {
        action: 'connection.create',
        entity: { type: 'connection', id },
        details: {
          service: input.service,
          location: input.location,
          name: input.displayName,
          credential: connection.credential.kind,
          ...(connection.location === 'online' && connection.credential.kind !== 'basic' ? { tenant: connection.credential.tenantId, clientId: connection.credential.clientId } : {}),
          ...(connection.location === 'online' && connection.cloud ? { cloud: connection.cloud } : {}),
        },
      },
      result: connection,
    };
  });
}
