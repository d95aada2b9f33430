import type { SealedSecret, SecretRef } from '../../domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef } from '../../domain/index.js';
import { isV1EventAlert } from './v1-schema.js';

export interface MigrationTools {
  seal(plaintext: string, ref: SecretRef): SealedSecret;
  readonly now: Date;
}

type Json = Record<string, unknown>;

function migrateConnection(v1: Json, tools: MigrationTools): Json {
  const online = v1.location === 'office365';
  const out: Json = {};
  // Walk the record in its own order so that unknown fields stay where they were.
  for (const [key, value] of Object.entries(v1)) {
    switch (key) {
      case 'type':
        out.service = value;
        break;
      case 'location':
        out.location = online ? 'online' : 'onpremises';
        break;
      case 'userName':
        out.credential = {
          kind: 'basic',
          userName: value,
          password: tools.seal(String(v1.password), connectionSecretRef(String(v1.id), CONNECTION_SECRET_FIELDS.password)),
        };
        break;
      case 'password':
        break;
      default:
        out[key] = value;
    }
  }
  if (v1.type === 'exchange' && !online && out.server === undefined) out.server = null;
  // Basic Authentication against Microsoft 365: the connection must be reconfigured (contracts §3).
  if (online) out.obsoleteSince = tools.now.toISOString();
  return out;
}

function renameKey(record: Json, from: string, to: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(record)) out[key === from ? to : key] = value;
  return out;
}

/**
 * Version 1 (the pre-Modern-Auth release) → version 2, per contracts §3. Nothing is lost: unknown
 * fields stay in place, alerts of types version 2 does not know move to `legacyAlerts` untouched,
 * passwords are sealed, and every Microsoft 365 connection becomes obsolete.
 *
 * Give it the parsed file itself (after V1Document accepted it), not zod's output, so that key order is kept;
 * it reuses the input's values rather than copying 30,000 records.
 */
export function migrateV1ToV2(v1: Json, tools: MigrationTools): Json {
  const out: Json = { schemaVersion: 2, revision: 0 };
  const legacyAlerts: unknown[] = [];
  for (const [key, value] of Object.entries(v1)) {
    switch (key) {
      case 'version':
      case 'schemaVersion':
      case 'revision':
        break;
      case 'connections':
        out.connections = (value as Json[]).map((c) => migrateConnection(c, tools));
        break;
      case 'jobs':
        out.jobs = value;
        break;
      case 'alerts': {
        const alerts: Json[] = [];
        for (const alert of value as Json[]) {
          if (isV1EventAlert(alert)) alerts.push(renameKey(alert, 'type', 'category'));
          else legacyAlerts.push(alert);
        }
        out.alerts = alerts;
        break;
      }
      case 'legacyAlerts':
        if (Array.isArray(value)) legacyAlerts.unshift(...(value as unknown[]));
        else out[key] = value;
        break;
      case 'notifications':
        out.notifications = renameKey((value ?? {}) as Json, 'disabled', 'muted');
        break;
      default:
        out[key] = value;
    }
  }
  out.connections ??= [];
  out.jobs ??= [];
  out.alerts ??= [];
  out.notifications ??= { muted: [] };
  if (legacyAlerts.length > 0) out.legacyAlerts = legacyAlerts;
  return out;
}
