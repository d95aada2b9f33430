import type { AuthType, Cloud, Connection, Location, Service, StoreDocument } from '../domain/index.js';
import { appCredential, authType, cloudOf, credentialExpiry, isObsolete, locationShort, serviceLabel } from '../domain/index.js';
import { tenantOfConnection } from './registration/tenant-guard.js';

/** One row of Manage server connections and of `connections list`. */
export interface ConnectionRow {
  readonly id: string;
  readonly name: string;
  readonly service: Service;
  readonly location: Location;
  readonly authType: AuthType;
  /** Microsoft 365 connections: the national cloud (contracts §6); undefined on-premises. */
  readonly cloud: Cloud | undefined;
  readonly obsolete: boolean;
  /** Microsoft 365: the tenant (GUID or domain) as the store knows it; undefined on-premises. With the id, what tells same-named connections apart. */
  readonly tenant: string | undefined;
  /** The app registration's application (client) ID; undefined on Basic Authentication. */
  readonly clientId: string | undefined;
  readonly credentialKind: Connection['credential']['kind'];
  /** ISO end of the certificate, or of the client secret when the admin gave it. */
  readonly credentialExpires: string | undefined;
  /** Names of the jobs that use the connection. */
  readonly usedBy: readonly string[];
  readonly typeLabel: string;
  readonly locationLabel: string;
  readonly connection: Connection;
}

export function jobNamesByConnection(doc: Pick<StoreDocument, 'jobs'>): Map<string, string[]> {
  const byConnection = new Map<string, string[]>();
  for (const job of doc.jobs) {
    const names = byConnection.get(job.connectionId);
    if (names) names.push(job.name);
    else byConnection.set(job.connectionId, [job.name]);
  }
  return byConnection;
}

export function connectionRows(doc: Pick<StoreDocument, 'connections' | 'jobs'>): ConnectionRow[] {
  const usedBy = jobNamesByConnection(doc);
  return doc.connections.map((connection) => ({
    id: connection.id,
    name: connection.displayName,
    service: connection.service,
    location: connection.location,
    authType: authType(connection),
    cloud: cloudOf(connection),
    obsolete: isObsolete(connection),
    tenant: tenantOfConnection(connection)?.name,
    clientId: appCredential(connection)?.clientId,
    credentialKind: connection.credential.kind,
    credentialExpires: credentialExpiry(connection)?.toISOString(),
    usedBy: usedBy.get(connection.id) ?? [],
    typeLabel: serviceLabel(connection),
    locationLabel: locationShort(connection),
    connection,
  }));
}

/** The `--json` shape of a row (contracts §7). */
export function connectionRowJson(row: ConnectionRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    service: row.service,
    location: row.location,
    authType: row.authType,
    ...(row.cloud ? { cloud: row.cloud } : {}),
    obsolete: row.obsolete,
    usedBy: row.usedBy,
    ...(row.tenant ? { tenant: row.tenant } : {}),
    ...(row.clientId ? { clientId: row.clientId } : {}),
    credentialKind: row.credentialKind,
    ...(row.credentialExpires ? { credentialExpires: row.credentialExpires } : {}),
  };
}
