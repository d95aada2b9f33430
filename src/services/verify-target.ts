import type { AppCertificateMaterial, AppSecretMaterial, VerifyTarget } from '../auth/api.js';
import type { Connection } from '../domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef, domainOfUpn } from '../domain/index.js';
import type { Store } from '../store/api.js';

/** What verification needs for a stored connection, with its secrets decrypted for the call. */
export function verifyTargetFor(store: Pick<Store, 'reveal'>, connection: Connection): VerifyTarget {
  const reveal = (sealed: Parameters<Store['reveal']>[0], field: (typeof CONNECTION_SECRET_FIELDS)[keyof typeof CONNECTION_SECRET_FIELDS]) =>
    store.reveal(sealed, connectionSecretRef(connection.id, field));

  if (connection.location === 'onpremises') {
    const { userName, password } = connection.credential;
    const secret = reveal(password, CONNECTION_SECRET_FIELDS.password);
    if (connection.service === 'exchange') {
      return {
        kind: 'onprem-exchange',
        server: connection.server,
        ...(connection.autodiscoverEmail ? { autodiscoverEmail: connection.autodiscoverEmail } : {}),
        userName,
        password: secret,
      };
    }
    return { kind: 'onprem-sharepoint', url: connection.url, userName, password: secret };
  }

  const siteUrl = connection.service === 'sharepoint' ? { siteUrl: connection.url } : {};
  const cloud = connection.cloud && connection.cloud !== 'global' ? { cloud: connection.cloud } : {};
  const credential = connection.credential;
  if (credential.kind === 'basic') {
    return {
      kind: 'online-basic',
      service: connection.service,
      ...cloud,
      userName: credential.userName,
      password: reveal(credential.password, CONNECTION_SECRET_FIELDS.password),
      ...siteUrl,
    };
  }
  const material: AppCertificateMaterial | AppSecretMaterial =
    credential.kind === 'app-certificate'
      ? {
          kind: 'certificate',
          certificate: {
            certificatePem: credential.certificate.pem,
            privateKeyPem: reveal(credential.privateKey, CONNECTION_SECRET_FIELDS.privateKey),
            thumbprintSha256: credential.certificate.thumbprintSha256,
            subject: credential.certificate.subject,
            notBefore: credential.certificate.notBefore,
            notAfter: credential.certificate.notAfter,
          },
        }
      : { kind: 'secret', clientSecret: reveal(credential.clientSecret, CONNECTION_SECRET_FIELDS.clientSecret) };
  const legacy =
    connection.service === 'sharepoint' && connection.legacyAccount
      ? {
          legacyAccount: {
            userName: connection.legacyAccount.userName,
            password: reveal(connection.legacyAccount.password, CONNECTION_SECRET_FIELDS.legacyPassword),
          },
        }
      : {};
  const mailbox = connection.service === 'exchange' && connection.mailbox ? { mailbox: connection.mailbox } : {};
  return {
    kind: 'online-app',
    service: connection.service,
    ...cloud,
    ...(credential.registration?.legacyEws ? { legacyEws: true } : {}),
    tenantId: credential.tenantId,
    clientId: credential.clientId,
    credential: material,
    ...mailbox,
    ...siteUrl,
    ...legacy,
  };
}

/** The tenant an obsolete connection belongs to, from its user name (admin@contoso.onmicrosoft.com). */
export function tenantHint(connection: Connection): string | undefined {
  if (connection.location !== 'online') return undefined;
  if (connection.credential.kind !== 'basic') return connection.credential.tenantId;
  return domainOfUpn(connection.credential.userName);
}
