/**
 * At most N operations at once per key (Exchange Online allows 4 concurrent requests per mailbox),
 * first come first served. A slot is held until the caller releases it, so a streamed reply keeps
 * its slot until its body has been read.
 */
export class KeyedLimiter {
  readonly #active = new Map<string, number>();
  readonly #waiting = new Map<string, Array<() => void>>();

  constructor(readonly perKey: number) {}

  async acquire(key: string): Promise<() => void> {
    const active = this.#active.get(key) ?? 0;
    if (active < this.perKey) {
      this.#active.set(key, active + 1);
    } else {
      await new Promise<void>((resolve) => {
        const queue = this.#waiting.get(key) ?? [];
        queue.push(resolve);
        this.#waiting.set(key, queue);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const queue = this.#waiting.get(key);
      const next = queue?.shift();
      if (queue && queue.length === 0) this.#waiting.delete(key);
      if (next) next(); // the slot passes on
      else {
        const n = (this.#active.get(key) ?? 1) - 1;
        if (n <= 0) this.#active.delete(key);
        else this.#active.set(key, n);
      }
    };
  }

  /** Runs `fn` inside one slot. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** Runs `worker` over `items` with at most `concurrency` at once; stops taking new items once `stop()` says so. */
export async function forEachBounded<T>(items: Iterable<T> | AsyncIterable<T>, concurrency: number, worker: (item: T) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  const iterator = (Symbol.asyncIterator in items ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]()) as AsyncIterator<T> | Iterator<T>;
  let failure: unknown;
  let failed = false;
  const lane = async () => {
    for (;;) {
      if (failed || stop()) return;
      const next = await iterator.next();
      if (next.done) return;
      try {
        await worker(next.value);
      } catch (error) {
        if (!failed) {
          failed = true;
          failure = error;
        }
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  if (failed) throw failure;
}
