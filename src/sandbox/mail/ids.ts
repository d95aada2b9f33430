/**
 * Exchange item and folder ids. Graph serves them URL-safe ('-', '_'), EWS in standard base64
 * ('+', '/'); both name the same item. An id encodes where a seeded item comes from, so a pristine
 * seeded message needs no memory until it changes. Ids never change when an item moves (what Graph
 * calls ImmutableId).
 */
import { derive } from '../data/random.js';

export const IdKind = { SeededFolder: 1, CreatedFolder: 2, SeededMessage: 3, CreatedMessage: 4, Attachment: 5, UploadSession: 6 } as const;
export type IdKind = (typeof IdKind)[keyof typeof IdKind];

const PREFIX = 'AAMkAD';

export interface DecodedId {
  readonly kind: IdKind;
  readonly a: number;
  readonly b: number;
}

const tags = new Map<string, Buffer>();

function mailboxTag(mailboxKey: string): Buffer {
  const key = mailboxKey.toLowerCase();
  let tag = tags.get(key);
  if (!tag) {
    tag = derive('mailbox-id', key).subarray(0, 6);
    if (tags.size > 10_000) tags.clear();
    tags.set(key, tag);
  }
  return tag;
}

export function makeId(mailboxKey: string, kind: IdKind, a: number, b: number): string {
  const bytes = Buffer.alloc(21);
  mailboxTag(mailboxKey).copy(bytes, 0);
  bytes.writeUInt8(kind, 6);
  bytes.writeUInt16BE(a, 7);
  bytes.writeUInt32BE(b, 9);
  derive('id-check', mailboxKey.toLowerCase(), kind, a, b).copy(bytes, 13, 0, 8);
  return PREFIX + bytes.toString('base64url');
}

/** Graph's spelling of an id given in either spelling. */
export function normaliseId(id: string): string {
  return id.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function toEwsId(id: string): string {
  return id.replace(/-/g, '+').replace(/_/g, '/');
}

export function decodeId(mailboxKey: string, id: string): DecodedId | undefined {
  const norm = normaliseId(id);
  if (!norm.startsWith(PREFIX)) return undefined;
  const bytes = Buffer.from(norm.slice(PREFIX.length), 'base64url');
  if (bytes.length !== 21 || !bytes.subarray(0, 6).equals(mailboxTag(mailboxKey))) return undefined;
  const kind = bytes.readUInt8(6) as IdKind;
  const a = bytes.readUInt16BE(7);
  const b = bytes.readUInt32BE(9);
  if (makeId(mailboxKey, kind, a, b) !== norm) return undefined;
  return { kind, a, b };
}
