/**
 * A use case could not be done. `message` is one line for the admin: what is wrong and how to fix it.
 * `kind` lets each front end choose its reaction (exit code, dialog) without parsing text.
 */
export type ServiceErrorKind =
  | 'bad-input' // unknown connection, malformed GUID, unreadable certificate file…
  | 'refused' // a rule forbids it (delete while jobs use it, dismiss a permanent alert)
  | 'verification-failed' // a check failed; nothing was saved
  | 'cancelled';

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
  ) {
    super(message);
  }
}
