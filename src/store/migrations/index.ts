import { CURRENT_SCHEMA_VERSION } from '../../domain/index.js';
import type { MigrationTools } from './v1-to-v2.js';
import { migrateV1ToV2 } from './v1-to-v2.js';

export type { MigrationTools } from './v1-to-v2.js';
export { V1Document } from './v1-schema.js';
export { sealedV1Backup } from './v1-backup.js';

/** One step: a document of version N (already validated by that version's schema) → version N + 1. */
export type Migration = (doc: Record<string, unknown>, tools: MigrationTools) => Record<string, unknown>;

/** Step functions by the version they migrate from. */
export const MIGRATIONS: Record<number, Migration> = {
  1: migrateV1ToV2,
};

/** Applies the steps from `fromVersion` up to the current version, one at a time. */
export function migrateToCurrent(doc: Record<string, unknown>, fromVersion: number, tools: MigrationTools, migrations: Record<number, Migration> = MIGRATIONS): Record<string, unknown> {
  let current = doc;
  for (let version = fromVersion; version < CURRENT_SCHEMA_VERSION; version++) {
    const step = migrations[version];
    if (!step) throw new Error(`no migration from schema version ${version}`);
    current = step(current, tools);
  }
  return current;
}
