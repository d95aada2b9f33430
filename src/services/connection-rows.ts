import type { AuthType, Cloud, Connection, Location, Service, StoreDocument } from '../domain/index.js';
import { authType, cloudOf, isObsolete, locationShort, serviceLabel } from '../domain/index.js';
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
  /** Microsoft 365 connections: the tenant as stored (GUID or domain); undefined on-premises. */
  readonly tenant: string | undefined;
  readonly obsolete: boolean;
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
    tenant: tenantOfConnection(connection)?.name,
    obsolete: isObsolete(connection),
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
  };
}
