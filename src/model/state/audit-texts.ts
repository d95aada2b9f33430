import type { AuditRow } from '../../services/audit.js';
import { auditTime } from '../../domain/index.js';
import type { Modal } from './types.js';

/**
 * Every sentence of the Audit view, in one place. The rows come from services/audit.ts, which has
 * already made every string of the log safe for the terminal: they are drawn as they are.
 */

export const AUDIT_TITLE = 'Audit';
export const AUDIT_READING = 'Reading the audit log.';
export const AUDIT_EMPTY = 'No changes recorded yet: every change to the store is logged here.';
export const AUDIT_NO_MATCH = 'No change matches the filter (Esc clears it).';

/** The title: how many changes are shown, and that older ones were left out (the view reads a window). */
export function auditTitle(shown: number, loaded: number, capped: boolean, filtered: boolean): string {
  const of = filtered ? `${shown} of ` : '';
  return `${AUDIT_TITLE} (${of}${capped ? `the newest ${loaded}` : loaded})`;
}

/** Under the table: what was left out, and why. */
export function auditWindowNote(capped: boolean, unreadable: number): string | undefined {
  const parts: string[] = [];
  if (capped) parts.push('Older changes are not shown here: audit list shows them all (--since to narrow).');
  if (unreadable > 0) parts.push(`${unreadable} unreadable ${unreadable === 1 ? 'line' : 'lines'} left out.`);
  return parts.length ? parts.join(' ') : undefined;
}

export function auditFailure(message: string, hint: string | undefined): string {
  return `The audit log could not be read: ${hint ? `${message} ${hint}` : message}`;
}

function actorLine(row: AuditRow): string {
  const a = row.actor;
  const login = a.loginUid !== undefined ? `, login ${a.loginUser ?? 'unknown'} (uid ${a.loginUid})` : '';
  return `${a.user} (uid ${a.uid})${login}, process ${a.pid} on ${a.host}`;
}

function claimedLine(row: AuditRow): string | undefined {
  const c = row.actor.claimed;
  if (!c) return undefined;
  const parts = [...(c.sudoUser ? [`sudo by ${c.sudoUser}`] : []), ...(c.sshClient ? [`SSH from ${c.sshClient}`] : [])];
  return parts.length ? `${parts.join('; ')} (only the environment says so: not proven)` : undefined;
}

/** One change in full: Enter on a row of the Audit view. */
export function auditDetailDialog(row: AuditRow): Extract<Modal, { kind: 'message' }> {
  const entity = row.entity ? `${row.entity.type}${row.entity.name !== undefined ? ` '${row.entity.name}'` : ''}${row.entity.id ? ` (${row.entity.id})` : ''}` : '-';
  const details = Object.entries(row.details).map(([k, v]) => `${k}=${String(v)}`);
  const claimed = claimedLine(row);
  const lines = [
    `When:      ${auditTime(row.at)}`,
    `Who:       ${row.who}`,
    `From:      ${row.from}`,
    `What:      ${row.what}`,
    `Action:    ${row.action}`,
    `Entity:    ${entity}`,
    `Fields:    ${row.fields.length ? row.fields.join(', ') : '-'}`,
    `Details:   ${details.length ? details.join(', ') : '-'}`,
    `Revision:  ${row.revision}`,
    `Process:   ${actorLine(row)}`,
    ...(claimed ? [`Claimed:   ${claimed}`] : []),
    `Entry id:  ${row.id}`,
  ];
  return { kind: 'message', tone: 'info', title: `Change of ${auditTime(row.at)}`, text: lines.join('\n') };
}
