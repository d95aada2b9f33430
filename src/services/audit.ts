import type { StoreDocument } from '../domain/index.js';
import { displayText } from '../domain/index.js';
import type { AuditEntry, AuditRecord } from '../store/index.js';
import type { ServiceContext } from './context.js';

/**
 * The audit log as the admin reads it: who (kernel facts, and what only the environment claimed,
 * marked as claimed), from where, what changed, when. Every string is made safe for the terminal
 * here (the log is a file anyone with access could have edited), so views and the CLI draw it as is.
 * Never a secret: the log holds field names, never values.
 */
export interface AuditRow {
  readonly id: string;
  /** UTC ISO time of the change. */
  readonly at: string;
  readonly action: string;
  readonly entity: { readonly type: string; readonly id?: string; readonly name?: string } | null;
  readonly fields: readonly string[];
  readonly details: Readonly<Record<string, string | number | boolean>>;
  readonly revision: number;
  readonly actor: {
    readonly uid: number;
    readonly user: string;
    readonly loginUid?: number;
    readonly loginUser?: string;
    readonly pid: number;
    readonly host: string;
    readonly claimed?: { readonly sudoUser?: string; readonly sshClient?: string };
  };
  /** One line: `root (login alice; claimed: sudo by alice)`. */
  readonly who: string;
  /** One line: the host, and the SSH client the environment claimed. */
  readonly from: string;
  /** One line: `connection.reconfigure connection 'Contoso' (c-1): credential, authType`. */
  readonly what: string;
}

export interface AuditFilter {
  /** Changes at or after this time. */
  readonly since?: Date;
  /** Case-insensitive part of the user, login, uid, claimed sudo user or SSH client, or host. */
  readonly who?: string;
  /** Case-insensitive part of the action, the entity (type, id, current name) or a changed field. */
  readonly what?: string;
}

const TEXT_MAX = 200;

function safe(value: string, max = TEXT_MAX): string {
  return displayText(value, { maxLength: max });
}

function entityName(doc: StoreDocument, entity: AuditEntry['entity']): string | undefined {
  if (!entity?.id) return undefined;
  if (entity.type === 'connection') return doc.connections.find((c) => c.id === entity.id)?.displayName;
  if (entity.type === 'job') return doc.jobs.find((j) => j.id === entity.id)?.name;
  return undefined;
}

function whoOf(actor: AuditRow['actor']): string {
  const parts: string[] = [];
  if (actor.loginUid !== undefined && actor.loginUid !== actor.uid) parts.push(`login ${actor.loginUser ?? `uid ${actor.loginUid}`}`);
  if (actor.claimed?.sudoUser) parts.push(`claimed: sudo by ${actor.claimed.sudoUser}`);
  return parts.length > 0 ? `${actor.user} (${parts.join('; ')})` : actor.user;
}

function fromOf(actor: AuditRow['actor']): string {
  return actor.claimed?.sshClient ? `${actor.host} (claimed: ssh from ${actor.claimed.sshClient})` : actor.host;
}

function whatOf(action: string, entity: AuditRow['entity'], fields: readonly string[], details: AuditRow['details']): string {
  let text = action;
  if (entity) {
    const label = entity.name !== undefined ? `'${entity.name}'${entity.id ? ` (${entity.id})` : ''}` : (entity.id ?? '');
    text += entity.type === 'store' && !entity.id ? '' : ` ${entity.type}${label ? ` ${label}` : ''}`;
  }
  const extras = [...fields, ...Object.entries(details).map(([k, v]) => `${k}=${String(v)}`)];
  return extras.length > 0 ? `${text}: ${extras.join(', ')}` : text;
}

/** An entry as the admin reads it; `doc` names the entities that still exist. */
export function auditRow(entry: AuditEntry, doc: StoreDocument): AuditRow {
  const a = entry.actor;
  const actor: AuditRow['actor'] = {
    uid: a.uid,
    user: safe(a.user, 64),
    ...(a.loginUid !== undefined ? { loginUid: a.loginUid } : {}),
    ...(a.loginUser !== undefined ? { loginUser: safe(a.loginUser, 64) } : {}),
    pid: a.pid,
    host: safe(a.host, 128),
    ...(a.claimed
      ? {
          claimed: {
            ...(a.claimed.sudoUser !== undefined ? { sudoUser: safe(a.claimed.sudoUser, 64) } : {}),
            ...(a.claimed.sshClient !== undefined ? { sshClient: safe(a.claimed.sshClient, 64) } : {}),
          },
        }
      : {}),
  };
  const name = entityName(doc, entry.entity);
  const entity = entry.entity
    ? { type: safe(entry.entity.type, 32), ...(entry.entity.id !== undefined ? { id: safe(entry.entity.id, 64) } : {}), ...(name !== undefined ? { name: safe(name, 80) } : {}) }
    : null;
  const fields = entry.fields.slice(0, 50).map((f) => safe(f, 80));
  const details: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(entry.details).slice(0, 50)) details[safe(key, 64)] = typeof value === 'string' ? safe(value, 120) : value;
  const action = safe(entry.action, 64);
  return {
    id: safe(entry.id, 32),
    at: new Date(Date.parse(entry.ts)).toISOString(),
    action,
    entity,
    fields,
    details,
    revision: entry.revisionAfter,
    actor,
    who: whoOf(actor),
    from: fromOf(actor),
    what: safe(whatOf(action, entity, fields, details), 400),
  };
}

function includes(haystack: readonly (string | number | undefined)[], needle: string): boolean {
  return haystack.some((value) => value !== undefined && String(value).toLowerCase().includes(needle));
}

function matches(row: AuditRow, filter: AuditFilter): boolean {
  if (filter.since && Date.parse(row.at) < filter.since.getTime()) return false;
  const who = filter.who?.trim().toLowerCase();
  if (who) {
    const a = row.actor;
    if (!includes([a.user, a.loginUser, a.uid, a.loginUid, a.claimed?.sudoUser, a.claimed?.sshClient, a.host], who)) return false;
  }
  const what = filter.what?.trim().toLowerCase();
  if (what && !includes([row.action, row.entity?.type, row.entity?.id, row.entity?.name, ...row.fields], what)) return false;
  return true;
}

export interface AuditStream {
  /** The matching changes, oldest first, as the log is read. */
  readonly rows: AsyncIterable<AuditRow>;
  /** Lines of the log that could not be read (counted as the stream goes; final once it ends). */
  unreadable(): number;
}

/** Streams the matching changes, oldest first, without holding the log in memory. */
export function auditStream(ctx: ServiceContext, filter: AuditFilter = {}): AuditStream {
  let unreadable = 0;
  const records: AsyncIterable<AuditRecord> = ctx.store.auditLog();
  async function* rows(): AsyncGenerator<AuditRow> {
    for await (const record of records) {
      if ('unreadable' in record) {
        unreadable += 1;
        continue;
      }
      // The document is read per row: names follow renames made while a long log is being read.
      const row = auditRow(record, ctx.store.current());
      if (matches(row, filter)) yield row;
    }
  }
  return { rows: rows(), unreadable: () => unreadable };
}

export interface AuditPage {
  /** The newest matching changes, newest first, at most `limit`. */
  readonly rows: readonly AuditRow[];
  /** How many older matching changes were left out. */
  readonly older: number;
  readonly unreadable: number;
}

export const DEFAULT_AUDIT_LIMIT = 1000;

/** The newest `limit` matching changes, newest first (the Audit view's list); memory stays at `limit` rows. */
export async function recentAudit(ctx: ServiceContext, filter: AuditFilter = {}, limit = DEFAULT_AUDIT_LIMIT): Promise<AuditPage> {
  const stream = auditStream(ctx, filter);
  const keep = Math.max(1, Math.floor(limit));
  const ring: AuditRow[] = [];
  let older = 0;
  for await (const row of stream.rows) {
    ring.push(row);
    if (ring.length > keep) {
      ring.shift();
      older += 1;
    }
  }
  return { rows: ring.reverse(), older, unreadable: stream.unreadable() };
}

export interface AuditWindow {
  /** The newest changes, newest first, at most `limit`. */
  readonly rows: readonly AuditRow[];
  /** Older changes exist beyond `rows` (the window was full). */
  readonly capped: boolean;
  /** Unreadable lines met among those read. */
  readonly unreadable: number;
}

/**
 * The newest `limit` changes, newest first, read backwards from the end of the log (the Audit
 * view): a log of 100,000 changes costs about `limit` lines, not the file.
 */
export async function newestAudit(ctx: ServiceContext, limit = DEFAULT_AUDIT_LIMIT): Promise<AuditWindow> {
  const keep = Math.max(1, Math.floor(limit));
  const doc = ctx.store.current();
  const rows: AuditRow[] = [];
  let unreadable = 0;
  let capped = false;
  for await (const record of ctx.store.auditLog({ newestFirst: true })) {
    if ('unreadable' in record) {
      unreadable += 1;
      continue;
    }
    if (rows.length === keep) {
      capped = true;
      break;
    }
    rows.push(auditRow(record, doc));
  }
  return { rows, capped, unreadable };
}
