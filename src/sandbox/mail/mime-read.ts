/**
 * Reads what a client posts as MIME (Graph create-from-MIME, EWS CreateItem): the headers Exchange
 * turns into properties, the text of the body, and the attachments. Enough for posted messages, which
 * are held in memory anyway; not a general MIME library.
 */
import { createHash } from 'node:crypto';
import type { Address } from './mime-write.js';

export interface ParsedAttachment {
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly inline: boolean;
}

export interface ParsedMessage {
  readonly subject: string;
  readonly from: Address | undefined;
  readonly to: Address[];
  readonly cc: Address[];
  readonly date: Date | undefined;
  readonly internetMessageId: string | undefined;
  readonly text: string;
  readonly html: string | undefined;
  readonly attachments: ParsedAttachment[];
  readonly importance: 'low' | 'normal' | 'high';
}

interface Entity {
  readonly headers: Map<string, string>;
  readonly body: Buffer;
}

function splitEntity(raw: Buffer): Entity {
  const text = raw.toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  const headerText = m ? text.slice(0, m.index) : text;
  const bodyStart = m ? m.index + m[0].length : raw.length;
  const headers = new Map<string, string>();
  for (const line of headerText.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body: raw.subarray(bodyStart) };
}

/** RFC 2047 encoded-words (B and Q) in a header value that was read as latin1. */
export function decodeWords(value: string): string {
  const raw = Buffer.from(value, 'latin1').toString('utf8');
  return raw.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?/g, (_all, charset: string, enc: string, data: string) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return /^utf-?8$/i.test(charset) ? bytes.toString('utf8') : bytes.toString('latin1');
  });
}

/** Parameters of a structured header, RFC 2231 continuations and charsets included. */
function parameters(value: string): { main: string; params: Map<string, string> } {
  const parts = value.match(/(?:[^;"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  const main = (parts.shift() ?? '').trim().toLowerCase();
  const pieces = new Map<string, { index: number; value: string; encoded: boolean }[]>();
  const params = new Map<string, string>();
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const rawName = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    const m = rawName.match(/^([^*]+)(?:\*(\d+))?(\*)?$/);
    if (!m?.[1]) continue;
    if (m[2] === undefined && !m[3]) {
      params.set(m[1], decodeWords(v));
      continue;
    }
    const list = pieces.get(m[1]) ?? [];
    list.push({ index: Number(m[2] ?? 0), value: v, encoded: m[3] === '*' });
    pieces.set(m[1], list);
  }
  for (const [name, list] of pieces) {
    list.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    const bytes: Buffer[] = [];
    for (const [i, piece] of list.entries()) {
      let v = piece.value;
      if (i === 0 && piece.encoded) {
        const q = v.match(/^([^']*)'[^']*'(.*)$/);
        if (q) {
          charset = q[1] || 'utf-8';
          v = q[2] ?? '';
        }
      }
      bytes.push(piece.encoded ? Buffer.from(v.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1') : Buffer.from(v, 'latin1'));
    }
    const joined = Buffer.concat(bytes);
    params.set(name, /^utf-?8$/i.test(charset) ? joined.toString('utf8') : joined.toString('latin1'));
  }
  return { main, params };
}

export function parseAddresses(value: string | undefined): Address[] {
  if (!value) return [];
  const decoded = decodeWords(value);
  const out: Address[] = [];
  for (const item of decoded.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const m = item.match(/^\s*(.*?)\s*<([^>]+)>\s*$/);
    if (m) out.push({ name: (m[1] ?? '').replace(/^"|"$/g, '').replace(/\\(.)/g, '$1'), address: (m[2] ?? '').trim() });
    else if (item.includes('@')) out.push({ name: '', address: item.trim() });
  }
  return out;
}

function decodeBody(entity: Entity): Buffer {
  const cte = (entity.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (cte === 'base64') return Buffer.from(entity.body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (cte === 'quoted-printable') {
    const text = entity.body.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  }
  return entity.body;
}

function children(entity: Entity, boundary: string): Entity[] {
  const text = entity.body.toString('latin1');
  const delimiter = `--${boundary}`;
  const out: Entity[] = [];
  let at = text.indexOf(delimiter);
  while (at >= 0) {
    const after = at + delimiter.length;
    if (text.startsWith('--', after)) break;
    const start = text.indexOf('\n', after) + 1;
    const next = text.indexOf(`\n${delimiter}`, start);
    const end = next < 0 ? text.length : next > 0 && text[next - 1] === '\r' ? next - 1 : next;
    out.push(splitEntity(entity.body.subarray(start, end)));
    at = next < 0 ? -1 : next + 1;
  }
  return out;
}

export function parseMime(raw: Buffer): ParsedMessage {
  const top = splitEntity(raw);
  let text = '';
  let html: string | undefined;
  const attachments: ParsedAttachment[] = [];
  const walk = (entity: Entity, depth: number): void => {
    const type = parameters(entity.headers.get('content-type') ?? 'text/plain');
    const disposition = parameters(entity.headers.get('content-disposition') ?? '');
    const boundary = type.params.get('boundary');
    if (type.main.startsWith('multipart/') && boundary && depth < 10) {
      for (const child of children(entity, boundary)) walk(child, depth + 1);
      return;
    }
    const name = disposition.params.get('filename') ?? type.params.get('name');
    const isBody = disposition.main !== 'attachment' && name === undefined && (type.main === 'text/plain' || type.main === 'text/html');
    if (isBody) {
      const content = decodeBody(entity).toString('utf8');
      if (type.main === 'text/html') html ??= content;
      else if (!text) text = content;
      return;
    }
    const content = decodeBody(entity);
    attachments.push({
      name: name ?? 'attachment',
      contentType: type.main,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      inline: disposition.main === 'inline',
    });
  };
  walk(top, 0);
  const dateHeader = top.headers.get('date');
  const date = dateHeader ? new Date(dateHeader) : undefined;
  const importance = (top.headers.get('importance') ?? '').toLowerCase();
  return {
    subject: decodeWords(top.headers.get('subject') ?? ''),
    from: parseAddresses(top.headers.get('from'))[0],
    to: parseAddresses(top.headers.get('to')),
    cc: parseAddresses(top.headers.get('cc')),
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
    internetMessageId: top.headers.get('message-id'),
    text,
    html,
    attachments,
    importance: importance === 'high' || importance === 'low' ? importance : 'normal',
  };
}
