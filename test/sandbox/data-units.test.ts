import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64Source, bufferSource, generatedSource, readAll } from '../../src/sandbox/data/bytes.js';
import { QuickXor } from '../../src/sandbox/drives/quickxor.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { parseMime } from '../../src/sandbox/mail/mime-read.js';
import { attachmentLeaf, encodeWords, filenameParameter, renderMessage, textLeaf } from '../../src/sandbox/mail/mime-write.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('QuickXorHash', () => {
  // Vectors from rclone (backend/onedrive/quickxorhash), checked against OneDrive.
  const vectors: Array<[string, string]> = [
    ['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['Sg==', 'SgAAAAAAAAAAAAAAAQAAAAAAAAA='],
    ['2fuxhBJXtpWFe8dOfdGeHw==', 'O9tHLAghgSvYohKFyMMxnNCHaHg='],
    [
      'PfxMcUd0vIW6VbHG/uj/Y0W6qEoKmyBD0nYebEKazKaKG+UaDqBEcmQjbfQeVnVLuodMoPp7P7TR1htX5n2VnkHh22xDyoJ8C/ZQKiSNqQfXvh83judf4RVr9exJCud8Uvgip6aVZTaPrJHVjQhMCp/dEnGvqg0oN5OVkM2qqAXvA0teKUDhgNM71sDBVBCGXxNOR2bpbD1iM4dnuT0ey4L+loXEHTL0fqMeUcEi2asgImnlNakwenDzz0x57aBwyq3AspCFGB1ncX4yYCr/OaCcS5OKi/00WH+wNQU3',
      'QX/YEpG0gDsmhEpCdWhsxDzsfVE=',
    ],
  ];
  it('matches the reference vectors, whole and in pieces', () => {
    for (const [input, want] of vectors) {
      const data = Buffer.from(input, 'base64');
      const whole = new QuickXor();
      whole.update(data);
      expect(whole.digest()).toBe(want);
      const pieces = new QuickXor();
      for (let i = 0; i < data.length; i += 7) pieces.update(data.subarray(i, i + 7));
      expect(pieces.digest()).toBe(want);
    }
  });

  it('takes the word-at-a-time path and the byte path to the same hash', () => {
    const data = randomBytes(100_003);
    const fast = new QuickXor();
    fast.update(data);
    const slow = new QuickXor();
    for (let i = 0; i < data.length; i += 1) slow.update(data.subarray(i, i + 1));
    expect(fast.digest()).toBe(slow.digest());
  });
});

describe('generated content', () => {
  it('is the same bytes for every read and any range, and base64 lengths are exact', async () => {
    const key = createHash('sha256').update('k').digest();
    const source = generatedSource(key, 300_007, Buffer.from('%PDF-1.7'));
    const all = await readAll(source);
    expect(all.subarray(0, 8).toString()).toBe('%PDF-1.7');
    expect(sha(await readAll(source))).toBe(sha(all));
    const parts: Buffer[] = [];
    for await (const c of source.chunks(123_456, 277_777)) parts.push(c);
    expect(Buffer.concat(parts)).toEqual(all.subarray(123_456, 277_777));
    for (const n of [0, 1, 56, 57, 58, 114, 1000]) {
      const lines = await readAll(base64Source(bufferSource(all.subarray(0, n)), true));
      expect(lines.length).toBe(base64Source(bufferSource(all.subarray(0, n)), true).length);
      expect(Buffer.from(lines.toString('latin1').replace(/\r\n/g, ''), 'base64')).toEqual(all.subarray(0, n));
      expect(lines.toString('latin1').split('\r\n').every((l) => l.length <= 76)).toBe(true);
    }
  });
});

describe('MIME', () => {
  it('writes RFC 2047 words and RFC 2231 continuations that read back', async () => {
    const name = 'Vertragsentwurf für die Zusammenarbeit mit Fabrikam und Northwind – überarbeitete Fassung.docx';
    expect(filenameParameter(name)).toMatch(/^filename\*0\*=utf-8''Vertragsentwurf%20f%C3%BCr/);
    for (const word of encodeWords('Änderung der Arbeitszeiten – 会議の議事録 und noch viel mehr Text')) expect(word.length).toBeLessThanOrEqual(75);
    const content = Buffer.from('attachment bytes ✓');
    const mime = await readAll(
      renderMessage(['Subject: =?utf-8?B?w4RuZGVydW5n?=', 'From: Jürgen <j@example.com>'], {
        kind: 'multipart',
        subtype: 'mixed',
        boundary: 'b1',
        parts: [textLeaf('plain', 'Grüße\nZeile 2 '), attachmentLeaf({ name, contentType: 'application/octet-stream', content: bufferSource(content) })],
      }),
    );
    const parsed = parseMime(mime);
    expect(parsed.subject).toBe('Änderung');
    expect(parsed.text).toBe('Grüße\r\nZeile 2 ');
    expect(parsed.attachments).toEqual([{ name, contentType: 'application/octet-stream', size: content.length, sha256: sha(content), inline: false }]);
  });

  it('is a function of the seed: the same seed gives the same mailbox bytes, another seed other bytes', async () => {
    const mimeOf = async (seed: string): Promise<string[]> => {
      const s = await startSandbox({ data: { seed, messages: 12 } });
      try {
        const list = s.mail.messages('ceo@contoso.com', 'Inbox');
        return Promise.all(list.map(async (m) => sha(await s.mail.mime('ceo@contoso.com', m.id))));
      } finally {
        await s.close();
      }
    };
    const a = await mimeOf('one');
    expect(await mimeOf('one')).toEqual(a);
    expect(await mimeOf('two')).not.toEqual(a);
  });
});

describe('sizes', () => {
  it('--mailboxes N gives contoso N mailboxes with data, generating users beyond its own', async () => {
    const s = await startSandbox({ data: { mailboxes: 8, messages: 6 } });
    try {
      const withMail = ['admin@contoso.onmicrosoft.com', 'backup@contoso.onmicrosoft.com', 'ceo@contoso.com', 'helpdesk@contoso.onmicrosoft.com', 'appadmin@contoso.onmicrosoft.com', 'user0001@contoso.onmicrosoft.com', 'user0003@contoso.onmicrosoft.com'];
      for (const upn of withMail) expect(s.mail.folders(upn).reduce((n, f) => n + f.totalItemCount, 0)).toBe(6);
      expect(() => s.mail.folders('user0004@contoso.onmicrosoft.com')).toThrow(/No mailbox/);
    } finally {
      await s.close();
    }
    const few = await startSandbox({ data: { mailboxes: 2, messages: 6 } });
    try {
      expect(few.mail.folders('backup@contoso.onmicrosoft.com').reduce((n, f) => n + f.totalItemCount, 0)).toBe(6);
      expect(few.mail.folders('ceo@contoso.com').reduce((n, f) => n + f.totalItemCount, 0)).toBe(0);
      expect(few.mail.folders('admin@fabrikam.onmicrosoft.com').reduce((n, f) => n + f.totalItemCount, 0)).toBe(6);
    } finally {
      await few.close();
    }
    await expect(startSandbox({ data: { messages: -1 } })).rejects.toThrow(/non-negative integer/);
  });
});
