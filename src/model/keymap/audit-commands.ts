import type { KeyName } from './keys.js';

/** The keys of the Audit view: part of the one command map (commands.ts concatenates them). */

export type AuditScope = 'audit';

export type AuditCommandId = 'nav.audit' | 'audit.open' | 'audit.refresh';

export interface AuditCommandSpec {
  readonly id: AuditCommandId;
  readonly scope: AuditScope | 'app';
  readonly keys: readonly KeyName[];
  readonly label: string;
  readonly hint?: string;
  readonly hintKeys?: readonly KeyName[];
}

export const AUDIT_COMMANDS: readonly AuditCommandSpec[] = [
  { id: 'audit.open', scope: 'audit', keys: ['return'], label: 'The selected change in full: who (and what was only claimed), from where, fields, details', hint: 'details' },
  { id: 'audit.refresh', scope: 'audit', keys: ['r', 'ctrl-r'], label: 'Read the audit log again (it is also read after every change to the store)', hint: 'refresh' },
  { id: 'nav.audit', scope: 'app', keys: ['6'], label: 'Go to Audit: who changed what, from where, when' },
];

export const AUDIT_SCOPE_TITLES: Readonly<Record<AuditScope, string>> = {
  audit: 'Audit',
};
