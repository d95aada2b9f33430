/**
 * Writes RFC 5322 / MIME messages the way Exchange Online renders them for `$value`: CRLF lines,
 * UTF-8 encoded-words (RFC 2047) in headers, RFC 2231 file names, quoted-printable text and 76-column
 * base64 attachments. The result is a ByteSource with its exact length known before a byte is made,
 * so a message of several MB streams without being held.
 */
import { base64Source, bufferSource, concatSources, type ByteSource } from '../data/bytes.js';

export interface Address {
  readonly name: string;
  readonly address: string;
}

export type MimePart =
  | { readonly kind: 'leaf'; readonly headers: readonly string[]; readonly body: ByteSource }
  | { readonly kind: 'multipart'; readonly subtype: string; readonly boundary: string; readonly parts: readonly MimePart[] };

const CRLF = '\r\n';
const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/** RFC 2047 B-encoding in words of at most 75 characters, never splitting a character. */
export function encodeWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  for (const ch of text) {
    if (Buffer.byteLength(current + ch) > 45) {
      words.push(current);
      current = '';
    }
    current += ch;
  }
  if (current || !words.length) words.push(current);
  return words.map((w) => `=?utf-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`);
}

/** A header line, folded at 78 columns; non-ASCII unstructured text becomes encoded-words. */
export function unstructured(name: string, value: string): string {
  if (isAscii(value)) return fold(`${name}: ${value}`);
  return `${name}: ${encodeWords(value).join(`${CRLF} `)}`;
}

function fold(line: string): string {
  if (line.length <= 78) return line;
  const out: string[] = [];
  let rest = line;
  while (rest.length > 78) {
    const at = rest.lastIndexOf(' ', 78);
    if (at <= 0) break;
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out.join(CRLF);
}

export function formatAddress(a: Address): string {
  if (!a.name) return a.address;
  if (!isAscii(a.name)) return `${encodeWords(a.name).join(' ')} <${a.address}>`;
  return /[()<>[\]:;@\\,."]/.test(a.name) ? `"${a.name.replace(/["\\]/g, '\\$&')}" <${a.address}>` : `${a.name} <${a.address}>`;
}

export function addressHeader(name: string, list: readonly Address[]): string {
  return `${name}: ${list.map(formatAddress).join(`,${CRLF}\t`)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** RFC 5322 date in UTC: "Mon, 3 Nov 2026 09:12:44 +0000". */
export function rfc5322Date(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Quoted-printable (RFC 2045) of UTF-8 text; line breaks become CRLF hard breaks. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const bytes = Buffer.from(line, 'utf8');
    let current = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] ?? 0;
      const last = i === bytes.length - 1;
      let enc = b === 0x3d || b < 0x20 || b > 0x7e || (last && (b === 0x20 || b === 0x09)) ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
      if (b === 0x09 && !last) enc = '\t';
      if (current.length + enc.length > 75) {
        out.push(`${current}=`);
        current = '';
      }
      current += enc;
    }
    out.push(current);
  }
  return out.join(CRLF);
}

/** `name="…"` for Content-Type: ASCII as is, else an encoded-word (what Outlook and Exchange send). */
export function nameParameter(name: string): string {
  return isAscii(name) && !/["\\]/.test(name) ? `name="${name}"` : `name="${encodeWords(name).join(' ')}"`;
}

/** RFC 2231 `filename*` (with continuations when long) for non-ASCII names, `filename="…"` otherwise. */
export function filenameParameter(name: string): string {
  if (isAscii(name) && !/["\\]/.test(name)) return `filename="${name}"`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (encoded.length <= 60) return `filename*=utf-8''${encoded}`;
  const pieces: string[] = [];
  for (let at = 0, i = 0; at < encoded.length; i++) {
    let end = Math.min(encoded.length, at + 50);
    // Never split a %XX escape.
    const percent = encoded.lastIndexOf('%', end - 1);
    if (percent > end - 3 && percent >= at) end = percent;
    pieces.push(`filename*${i}*=${i === 0 ? "utf-8''" : ''}${encoded.slice(at, end)}`);
    at = end;
  }
  return pieces.join(`;${CRLF}\t`);
}

export function textLeaf(subtype: 'plain' | 'html', text: string): MimePart {
  return {
    kind: 'leaf',
    headers: [`Content-Type: text/${subtype}; charset="utf-8"`, 'Content-Transfer-Encoding: quoted-printable'],
    body: bufferSource(quotedPrintable(text)),
  };
}

export interface AttachmentPart {
  readonly name: string;
  readonly contentType: string;
  readonly content: ByteSource;
  readonly inline?: { readonly contentId: string };
  readonly date?: Date;
}

export function attachmentLeaf(a: AttachmentPart): MimePart {
  if (a.contentType === 'message/rfc822') {
    return { kind: 'leaf', headers: ['Content-Type: message/rfc822', `Content-Disposition: attachment; ${filenameParameter(a.name)}`], body: a.content };
  }
  const date = a.date ? `;${CRLF}\tcreation-date="${rfc5322Date(a.date)}";${CRLF}\tmodification-date="${rfc5322Date(a.date)}"` : '';
  const headers = [
    `Content-Type: ${a.contentType};${CRLF}\t${nameParameter(a.name)}`,
    unstructured('Content-Description', a.name),
    `Content-Disposition: ${a.inline ? 'inline' : 'attachment'};${CRLF}\t${filenameParameter(a.name)}; size=${a.content.length}${date}`,
    ...(a.inline ? [`Content-ID: <${a.inline.contentId}>`] : []),
    'Content-Transfer-Encoding: base64',
  ];
  return { kind: 'leaf', headers, body: base64Source(a.content, true) };
}

/** The part's headers (Content-Type and what belongs to it) and its body as bytes. */
function partBody(part: MimePart): { headers: string[]; body: ByteSource } {
  if (part.kind === 'leaf') return { headers: [...part.headers], body: part.body };
  const pieces: ByteSource[] = [];
  for (const child of part.parts) {
    const { headers, body } = partBody(child);
    pieces.push(bufferSource(`--${part.boundary}${CRLF}${headers.join(CRLF)}${CRLF}${CRLF}`), body, bufferSource(CRLF));
  }
  pieces.push(bufferSource(`--${part.boundary}--${CRLF}`));
  return { headers: [`Content-Type: multipart/${part.subtype};${CRLF}\tboundary="${part.boundary}"`], body: concatSources(pieces) };
}

/** A whole message: the envelope headers, then the part's own headers, MIME-Version, a blank line, the body. */
export function renderMessage(envelope: readonly string[], root: MimePart): ByteSource {
  const { headers, body } = partBody(root);
  const head = [...envelope, ...headers, 'MIME-Version: 1.0'].join(CRLF);
  return concatSources([bufferSource(`${head}${CRLF}${CRLF}`), body]);
}
