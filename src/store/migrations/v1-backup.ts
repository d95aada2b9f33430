import type { SealedSecret, SecretRef } from '../../domain/index.js';

/**
 * The version-1 original as kept in `<store>.v1.bak`: the same JSON with every password replaced
 * by a sealed envelope bound to `connection:<id>|v1.password`, so no plaintext password survives
 * the migration anywhere on disk.
 */
export function sealedV1Backup(raw: Record<string, unknown>, seal: (plaintext: string, ref: SecretRef) => SealedSecret): string {
  // Shallow copies: only the password values differ from the original.
  const connections = Array.isArray(raw.connections)
    ? (raw.connections as unknown[]).map((connection) => {
        if (connection === null || typeof connection !== 'object') return connection;
        const record = connection as Record<string, unknown>;
        if (typeof record.password !== 'string') return record;
        return { ...record, password: seal(record.password, { record: 'connection', id: String(record.id), field: 'v1.password' }) };
      })
    : raw.connections;
  return JSON.stringify({ ...raw, connections }, null, 2) + '\n';
}
