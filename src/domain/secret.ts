import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/**
 * A plaintext secret in memory. Printing, logging or JSON-serialising it yields "[REDACTED]";
 * only `reveal()` gives the value, and only code handing it to a protocol should call it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
