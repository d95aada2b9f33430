/** Exit codes the contracts promise to scripts (contracts §7). */
export const EXIT = {
  ok: 0,
  /** The operation ran and failed or was refused (verification failed, job failed, delete refused). */
  failed: 1,
  /** Bad input: unknown connection, malformed GUID, unreadable certificate, corrupt store, unknown category. */
  badInput: 2,
  /** `check` only: the store could not be read (Nagios UNKNOWN). */
  unknown: 3,
} as const;

/** Thrown to end a command with a given exit code after its message has been printed. */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
