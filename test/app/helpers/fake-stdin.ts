import { EventEmitter } from 'node:events';

/** What Ink needs of a TTY stdin (the same shape ink-testing-library uses); `type()` is a keypress. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  #data: string | null = null;
  type(data: string): void {
    this.#data = data;
    this.emit('readable');
  }
  read(): string | null {
    const data = this.#data;
    this.#data = null;
    return data;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
