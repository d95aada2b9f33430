/**
 * Where each object is: the in-memory form of the index files plus the packs this session wrote.
 * Compact on purpose (a storage of a million objects): the location fields live in typed arrays and
 * the map holds only a 32-character key per object.
 */
import type { ObjectKind } from './seal.js';
import { KIND_CODE, KIND_OF_CODE } from './seal.js';

export interface PackRef {
  readonly name: string;
  /** Where to read it now: the temp file while it is written, then its place in `packs/`. */
  path: string;
  /** Named by a durable index file (committed objects may refer to its objects). */
  indexed: boolean;
}

export interface ObjectLocation {
  readonly pack: PackRef;
  readonly kind: ObjectKind;
  readonly offset: number;
  readonly length: number;
  readonly rawLength: number;
}

/** The key of an id in the map: its 32 bytes as a one-byte string (half the memory of hex). */
export function idKey(id: Buffer): string {
  return id.toString('latin1');
}

export class BlobIndex {
  readonly #slots = new Map<string, number>();
  readonly #packs: PackRef[] = [];
  readonly #packByName = new Map<string, number>();
  #packOf = new Uint32Array(1024);
  #offset = new Uint32Array(1024);
  #length = new Uint32Array(1024);
  #raw = new Uint32Array(1024);
  #kind = new Uint8Array(1024);
  #used = 0;
  #bytes = 0;
  #free: number[] = [];

  get size(): number {
    return this.#slots.size;
  }

  /** Sealed bytes of every object held. */
  get bytes(): number {
    return this.#bytes;
  }

  pack(name: string, path: string, indexed: boolean): PackRef {
    const known = this.#packByName.get(name);
    if (known !== undefined) return this.#packs[known]!;
    const ref: PackRef = { name, path, indexed };
    this.#packByName.set(name, this.#packs.length);
    this.#packs.push(ref);
    return ref;
  }

  has(id: Buffer): boolean {
    return this.#slots.has(idKey(id));
  }

  get(id: Buffer): ObjectLocation | undefined {
    const slot = this.#slots.get(idKey(id));
    if (slot === undefined) return undefined;
    return {
      pack: this.#packs[this.#packOf[slot]!]!,
      kind: KIND_OF_CODE[this.#kind[slot]!]!,
      offset: this.#offset[slot]!,
      length: this.#length[slot]!,
      rawLength: this.#raw[slot]!,
    };
  }

  /** Records an object; a second copy of an id (two index files after a prune crash) keeps the first. */
  add(id: Buffer, pack: PackRef, kind: ObjectKind, offset: number, length: number, rawLength: number): void {
    const key = idKey(id);
    if (this.#slots.has(key)) return;
    const slot = this.#free.pop() ?? this.#next();
    this.#packOf[slot] = this.#packByName.get(pack.name)!;
    this.#offset[slot] = offset;
    this.#length[slot] = length;
    this.#raw[slot] = rawLength;
    this.#kind[slot] = KIND_CODE[kind];
    this.#slots.set(key, slot);
    this.#bytes += length;
  }

  /** Forgets the objects of packs that no index names (a session that failed before its index). */
  forgetUnindexed(): void {
    for (const [key, slot] of this.#slots) {
      if (this.#packs[this.#packOf[slot]!]!.indexed) continue;
      this.#slots.delete(key);
      this.#bytes -= this.#length[slot]!;
      this.#free.push(slot);
    }
  }

  /** Forgets everything (prune reloads the index it just wrote). */
  clear(): void {
    this.#slots.clear();
    this.#packs.length = 0;
    this.#packByName.clear();
    this.#used = 0;
    this.#bytes = 0;
    this.#free = [];
  }

  /** Every object, for prune and check. */
  *entries(): Generator<{ id: Buffer; location: ObjectLocation }> {
    for (const key of this.#slots.keys()) {
      const id = Buffer.from(key, 'latin1');
      yield { id, location: this.get(id)! };
    }
  }

  #next(): number {
    if (this.#used === this.#offset.length) {
      const grow = <T extends Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
        const next = make(old.length * 2);
        next.set(old);
        return next;
      };
      this.#packOf = grow(this.#packOf, (n) => new Uint32Array(n));
      this.#offset = grow(this.#offset, (n) => new Uint32Array(n));
      this.#length = grow(this.#length, (n) => new Uint32Array(n));
      this.#raw = grow(this.#raw, (n) => new Uint32Array(n));
      this.#kind = grow(this.#kind, (n) => new Uint8Array(n));
    }
    return this.#used++;
  }
}
