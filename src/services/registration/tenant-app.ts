import type { Cloud, Connection, Service, StoreDocument } from '../../domain/index.js';
import { appCredential, cloudOf } from '../../domain/index.js';

/**
 * One app registration per tenant serves every connection of that tenant (issue 12 item 2): the
 * connections that share it with the one being (re)configured, and what the registration must
 * therefore keep — their services' roles and their certificates.
 */

export interface TenantApp {
  /** The other connections of the tenant on an automatically registered app. */
  readonly siblings: readonly Connection[];
  /** Their services: the registration keeps (or adds) the roles they need. */
  readonly alsoServes: readonly Service[];
  /** Certificates (PEM) that must stay on the registration while it is rotated for this connection. */
  readonly keepCertificates: readonly string[];
  /** The client ID the tenant's automatic registration had so far, if any. */
  readonly clientId: string | undefined;
}

/** Whether a stored connection belongs to this directory (by GUID, or by the tenant name it was saved with). */
function inTenant(connection: Connection, directoryId: string, cloud: Cloud): boolean {
  const app = appCredential(connection);
  if (!app || cloudOf(connection) !== cloud) return false;
  const ids = [app.tenantId, app.registration?.directoryId].filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
  return ids.includes(directoryId.toLowerCase());
}

/**
 * The tenant's shared registration as the store knows it, for `connection` signing in to the
 * directory `directoryId`. Its own current certificate is kept too until the new one is saved
 * (then pruned), so that a failed save never leaves it without a working key.
 */
export function tenantApp(doc: Pick<StoreDocument, 'connections'>, connection: Connection, directoryId: string, cloud: Cloud): TenantApp {
  const siblings = doc.connections.filter((c) => c.id !== connection.id && inTenant(c, directoryId, cloud) && appCredential(c)?.registration?.method === 'automatic');
  const mine = appCredential(connection);
  const ownAutomatic = mine?.registration?.method === 'automatic' && inTenant(connection, directoryId, cloud) ? mine : undefined;
  const certificates = [...siblings, ...(ownAutomatic ? [connection] : [])]
    .map((c) => appCredential(c))
    .flatMap((app) => (app?.kind === 'app-certificate' ? [app.certificate.pem] : []));
  const clientId = ownAutomatic?.clientId ?? siblings.map((c) => appCredential(c)?.clientId).find((id) => id !== undefined);
  return {
    siblings,
    alsoServes: [...new Set(siblings.map((c) => c.service))],
    keepCertificates: [...new Set(certificates)],
    clientId,
  };
}

/** Certificates that stay once this connection saved its new one: the siblings' and the new one. */
export function certificatesAfterRotation(app: TenantApp, newCertificatePem: string): string[] {
  const siblingPems = app.siblings.map((c) => appCredential(c)).flatMap((a) => (a?.kind === 'app-certificate' ? [a.certificate.pem] : []));
  return [...new Set([newCertificatePem, ...siblingPems])];
}

/**
 * What a registration in this directory must keep when the caller does not say which connection it
 * is for (the wizard today): every automatic connection's services and certificates, so that no
 * other connection loses its key. The edited connection's previous certificate then stays until the
 * next registration in the tenant retires it.
 */
export function keepForTenant(doc: Pick<StoreDocument, 'connections'>, directoryId: string, cloud: Cloud): { alsoServes: Service[]; keepCertificates: string[] } {
  const all = doc.connections.filter((c) => inTenant(c, directoryId, cloud) && appCredential(c)?.registration?.method === 'automatic');
  const pems = all.map((c) => appCredential(c)).flatMap((app) => (app?.kind === 'app-certificate' ? [app.certificate.pem] : []));
  return { alsoServes: [...new Set(all.map((c) => c.service))], keepCertificates: [...new Set(pems)] };
}
