import type { StoreDocument } from '../domain/index.js';
import { CURRENT_SCHEMA_VERSION, storeDocumentTrusting } from '../domain/index.js';
import { StoreError } from './api.js';
import { StoreExtras } from './encryption-record.js';
import { showPath } from '../fs/io-errors.js';
import { findJsonSyntaxProblem } from './json-errors.js';
import { V1Document } from './migrations/index.js';
import { describeIssues } from './validation-errors.js';

/** A readable store file: the current version (validated), or version 1 (validated, still to migrate). */
export type ParsedStore =
  | { readonly version: typeof CURRENT_SCHEMA_VERSION; readonly doc: StoreDocument }
  | { readonly version: 1; readonly raw: Record<string, unknown> };

const UNCHANGED = 'the file was left unchanged';

function invalid(path: string, detail: string): StoreError {
  return new StoreError('invalid', `${showPath(path)} ${detail}; ${UNCHANGED}`, path);
}

function describeTopLevel(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

export function parseJson(text: string, path: string): unknown {
  if (text.trim() === '') throw invalid(path, 'is empty (it holds no JSON at all; was a save interrupted?)');
  try {
    return JSON.parse(text);
  } catch {
    const problem = findJsonSyntaxProblem(text);
    if (!problem) throw invalid(path, 'is not valid JSON');
    throw invalid(path, `is not valid JSON: ${problem.reason} at line ${problem.line}, column ${problem.column}`);
  }
}

/** The schema version a parsed file declares; throws for newer, unknown or missing versions. */
export function schemaVersionOf(root: Record<string, unknown>, path: string): number {
  if ('schemaVersion' in root) {
    const version = root.schemaVersion;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      throw invalid(path, 'is not a valid backup-panel store: schemaVersion: expected a whole number');
    }
    if (version > CURRENT_SCHEMA_VERSION) {
      throw new StoreError(
        'newer-version',
        `${showPath(path)} was written by a newer version of backup-panel (schema ${version}; this release reads up to ${CURRENT_SCHEMA_VERSION}) — upgrade; ${UNCHANGED}`,
        path,
      );
    }
    if (version !== CURRENT_SCHEMA_VERSION) throw invalid(path, `is not a valid backup-panel store: schemaVersion: unknown schema version ${version}`);
    return version;
  }
  if ('version' in root) {
    if (root.version === 1) return 1;
    throw invalid(path, 'is not a valid backup-panel store: version: unknown version (expected 1, or a schemaVersion)');
  }
  throw invalid(path, 'is not a backup-panel store: it has no schemaVersion (nor the version of the first release)');
}

/**
 * Validates a current-version document with the domain schema plus the store's own root fields.
 * `purpose` only changes the wording: a failure before a save is a bug, and nothing is written.
 */
/** `trusted`: root sections that are a validated document's own values (a save's untouched ones). */
export function validateDocument(value: unknown, path: string, purpose: 'read' | 'save', trusted: Iterable<string> = []): StoreDocument {
  const result = storeDocumentTrusting(trusted).safeParse(value);
  const root = (value ?? {}) as Record<string, unknown>;
  const extras = StoreExtras.safeParse({ updatedBy: root.updatedBy, encryption: root.encryption, lastChange: root.lastChange });
  const issues = [...(result.error?.issues ?? []), ...(extras.error?.issues ?? [])];
  if (issues.length === 0 && result.success) return result.data;
  const detail = describeIssues(issues, value);
  if (purpose === 'save') {
    throw new StoreError('invalid', `refusing to save ${showPath(path)}: the change would make the store invalid (${detail}); nothing was written`, path);
  }
  throw invalid(path, `is not a valid backup-panel store: ${detail}`);
}

export function parseStoreText(text: string, path: string): ParsedStore {
  const value = parseJson(text, path);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(path, `is not a backup-panel store (the top level is ${describeTopLevel(value)}, not an object)`);
  }
  const root = value as Record<string, unknown>;
  const version = schemaVersionOf(root, path);
  if (version === CURRENT_SCHEMA_VERSION) return { version: CURRENT_SCHEMA_VERSION, doc: validateDocument(root, path, 'read') };
  const v1 = V1Document.safeParse(root);
  if (!v1.success) throw invalid(path, `is not a valid backup-panel store (version 1): ${describeIssues(v1.error.issues, root)}`);
  return { version: 1, raw: root };
}
