/** Deterministic test and bench data (no vitest here: the bench imports it too). */

const WORDS = 'the quarterly report meeting schedule please review attached budget project update regards thanks team customer invoice'.split(' ');

/** Deterministic pseudo-random bytes (xorshift), for content that must not compress. */
export function noise(seed: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i + 4 <= length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  for (let i = length - (length % 4); i < length; i++) out[i] = i & 0xff;
  return out;
}

/** A MIME-like message of about `size` bytes: headers, text and a base64 part (realistic compression). */
export function mime(seed: number, subject = `Report ${seed}`, size = 10_000): Buffer {
  let text = '';
  let x = seed + 1;
  while (text.length < size * 0.6) {
    x = (x * 1103515245 + 12345) >>> 0;
    text += WORDS[x % WORDS.length] + (x % 11 === 0 ? '.\r\n' : ' ');
  }
  const attachment = noise(seed, Math.floor(size * 0.3)).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `From: Sender ${seed} <s${seed}@contoso.com>\r\nTo: alice@contoso.com\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: multipart/mixed; boundary="b${seed}"\r\n\r\n--b${seed}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n` +
      `--b${seed}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b${seed}--\r\n`,
  );
}

/**
 * The crash test's item content: shared between sources when i % 3 === 0; item 0 of every fourth
 * cycle is large (a list of several chunks).
 */
export function itemContent(source: string, cycle: number, i: number): Buffer {
  const shared = i % 3 === 0;
  const seed = (shared ? 0 : source === 'A' ? 1_000_000 : 2_000_000) + cycle * 100 + i;
  if (i === 0 && cycle % 4 === 1) return Buffer.concat([mime(seed, `Large ${seed}`, 4_000), noise(seed, 3_000_000)]);
  return mime(seed, `Message ${seed}`, 2_000 + (seed % 7) * 1_000);
}
