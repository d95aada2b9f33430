import type * as z from 'zod';
import { displayText } from '../domain/index.js';

type PathKey = PropertyKey;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `connections[2].credential.kind`; odd keys as `["a b"]`. Raw: sanitise before printing. */
export function formatJsonPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(top level)';
}

const RECORD_NAMES: Readonly<Record<string, { noun: string; field: string }>> = {
  connections: { noun: 'connection', field: 'displayName' },
  jobs: { noun: 'job', field: 'name' },
  alerts: { noun: 'alert', field: 'id' },
  legacyAlerts: { noun: 'alert', field: 'id' },
};

/** "(connection 'contoso.sharepoint.com')" for a path into a list of records, when the record has a name. */
function recordHint(path: readonly PathKey[], input: unknown): string {
  const [list, index] = path;
  if (typeof list !== 'string' || typeof index !== 'number') return '';
  const names = RECORD_NAMES[list];
  if (!names || input === null || typeof input !== 'object') return '';
  const records = (input as Record<string, unknown>)[list];
  if (!Array.isArray(records)) return '';
  const record: unknown = records[index];
  if (record === null || typeof record !== 'object') return '';
  const name = (record as Record<string, unknown>)[names.field];
  if (typeof name !== 'string' || name === '') return '';
  return ` (${names.noun} '${displayText(name, { maxLength: 80 })}')`;
}

/**
 * One line for the first validation problem: the JSON path, the record's name when it has one,
 * zod's message (which never contains input values unless asked to, but does quote unknown keys,
 * so it is sanitised), and how many more problems there are.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const first = issues[0];
  if (!first) return 'invalid content';
  const where = displayText(formatJsonPath(first.path), { maxLength: 200 }) + recordHint(first.path, input);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${where}: ${displayText(first.message, { maxLength: 200 })}${more}`;
}
